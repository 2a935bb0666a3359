/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.hypervisor;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.vmha.api.storage.CheckpointInfo;

/**
 * The {@link HypervisorAdapter} is responsible for the VMs of one host as a hypervisor sees them:
 * starting a VM from its VMX (optionally resuming from the latest complete memory checkpoint on its
 * volume), stopping and resetting it, checkpointing its memory state into the volume through the
 * storage SPI, and reporting what runs and how much it uses.
 * <p>
 * VMs are identified by their volume (lun). Every operation that writes to the volume carries the
 * lease generation the caller holds; a stale generation is refused by the storage, and an adapter
 * that learns its generation is stale stops the VM (it was fenced off).
 * <p>
 * <b>Threading:</b> implementations are thread-safe and may block (I/O, a real hypervisor's API);
 * callers go through a timeout guard and never call from a transport callback thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ConsumerType
public interface HypervisorAdapter extends AutoCloseable {

    /** @return the adapter type, e.g. {@code sim} */
    String type();

    /** @return the host this adapter runs VMs on */
    String host();

    /**
     * Starts a VM. Returns once the hypervisor accepted it; the VM may still be booting. A VM whose lun
     * already runs (or boots) here is refused, and the running one is left as it was.
     * <p>
     * The caller holds the volume's lease under {@link StartRequest#generation()}. The adapter need not
     * check it here: the VM's first write under a stale generation is refused by the storage, and the
     * adapter then stops the VM (so a VM started under a stale generation never writes a checkpoint).
     *
     * @param request what to start and from which state
     * @return the VM as now known to the hypervisor
     * @throws HypervisorException if the VM cannot be started (naming the VM and the reason): it already
     *         runs here, its memory image cannot be read for a resume, or the adapter is closed
     */
    RunningVm start(StartRequest request);

    /**
     * Powers a VM off at once (no guest cooperation). Unknown VMs are ignored.
     *
     * @param lun the VM's volume
     * @return true if the VM was running here
     */
    boolean powerOff(String lun);

    /**
     * Asks the guest to shut down cleanly; the VM is off when this returns or when
     * {@link #listRunning()} no longer shows it. Unknown VMs are ignored.
     *
     * @param lun the VM's volume
     * @return true if the VM was running here
     */
    boolean shutdownGuest(String lun);

    /**
     * Resets (hard reboot) a VM in place: the guest state is lost, the VM keeps running here.
     *
     * @param lun the VM's volume
     * @throws HypervisorException if the VM does not run here
     */
    void reset(String lun);

    /**
     * Checkpoints a running VM's memory state into its volume through the storage SPI.
     *
     * @param lun the VM's volume
     * @param generation the lease generation the caller holds, the one the VM was started under (the
     *        checkpoint is written under the VM's start generation)
     * @return the complete checkpoint written, as the storage reports it
     * @throws HypervisorException if the VM does not run here
     * @throws org.vmha.api.storage.StaleGenerationException if the lease was taken over (the adapter
     *         then powers the VM off)
     */
    CheckpointInfo checkpoint(String lun, long generation);

    /** @return the VMs this hypervisor runs (booting or running), in lun order */
    List<RunningVm> listRunning();

    /**
     * The volumes of the VMs this hypervisor runs, for callers that only need membership (an agent
     * checks every lease it renews against it each heartbeat). The default collects
     * {@link #listRunning()}; adapters may return a cached snapshot, rebuilt whenever a VM starts or
     * stops, so that it always holds the luns {@link #listRunning()} would list.
     *
     * @return the luns of the VMs this hypervisor runs (booting or running), immutable
     */
    default Set<String> runningLuns() {
        Set<String> out = new HashSet<>();
        for (RunningVm vm : listRunning()) {
            out.add(vm.lun());
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * What this hypervisor last heard from a VM's guest heartbeat channel (a guest agent or the guest's own writes to a
     * serial port), for the guest monitor. The default, for hypervisors that have no such channel, is empty.
     *
     * @param lun the VM's volume
     * @return the latest guest heartbeat since the VM started here, empty if the VM does not run here or its guest
     *         sent none
     */
    default Optional<GuestHeartbeat> guestHeartbeat(String lun) {
        return Optional.empty();
    }

    /** @return the resources the running VMs use now */
    ResourceUsage usage();

    /**
     * Releases the adapter's resources; VMs keep running unless the adapter is simulated. A simulated
     * adapter's VMs vanish as in a power loss (their leases are not released) and {@link #listRunning()}
     * is empty afterwards. Once closed, the adapter starts nothing ({@link #start} throws a
     * {@link HypervisorException} naming the host and the VM); closing again does nothing.
     */
    @Override
    void close();
}
