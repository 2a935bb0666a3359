/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.function.LongSupplier;

import org.vmha.api.event.data.VmPoweredOff;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.StorageException;
import org.vmha.core.event.HostEvents;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link PowerOperations} is responsible for powering this host's VMs off and on on request. A power-off is
 * tried until the hypervisor confirms the VM is gone, and only then is its lease released and the entry published as
 * powered off; a power-on acquires the lease and boots the VM fresh.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class PowerOperations {

    private final String host;
    private final AgentConfig config;
    private final LongSupplier clock;
    private final GuardedAdapters adapters;
    private final LeaseKeeper leases;
    private final FailoverTableReplica replica;
    private final ReplicaPublisher publisher;
    private final VmStops stops;
    private final ScanEpochs epochs;
    private final HostEvents events;

    /**
     * @param agent this host, its settings (heartbeat interval) and the epochs moved when this host's VMs change
     * @param clock the agent's clock
     * @param adapters the datastore and the hypervisor, behind the guard
     * @param leases this host's leases
     * @param replica the table replica
     * @param publisher publishes the entries changed
     * @param stops VMs being stopped
     * @param events where {@code VmPoweredOff} goes
     */
    PowerOperations(AgentContext agent, LongSupplier clock, GuardedAdapters adapters, LeaseKeeper leases,
            FailoverTableReplica replica, ReplicaPublisher publisher, VmStops stops, HostEvents events) {
        this.host = agent.host();
        this.config = agent.config();
        this.clock = clock;
        this.adapters = adapters;
        this.leases = leases;
        this.replica = replica;
        this.publisher = publisher;
        this.stops = stops;
        this.epochs = agent.epochs();
        this.events = events;
    }

    /**
     * Powers a VM of this host off. A VM that keeps running keeps its lease renewed, and its entry is published as
     * running meanwhile.
     *
     * @param lun the VM's volume
     * @param announce true to publish {@code VmPoweredOff} once it is gone (an operator's request)
     * @return true if it ran here
     */
    boolean powerOff(String lun, boolean announce) {
        long now = clock.getAsLong();
        boolean was = adapters.runningLuns().contains(lun);
        Lease at = leases.get(lun);
        long generation = at == null ? -1 : at.generation();
        stops.request(lun, VmStops.Purpose.REQUESTED, false, now, 0, () -> gone(lun, announce, generation));
        stops.drive(now, adapters.runningLuns());
        VmStops.Stop pending = stops.view().get(lun);
        if (pending != null && pending.lastError != null) {
            // the hypervisor refused: the VM still runs here under its lease, and the power-off is tried again at
            // every check; say so to everyone meanwhile
            replica.entry(lun).ifPresent(e -> publisher.put(e.withPlacement(host, VmState.RUNNING)));
        }
        return was;
    }

    private void gone(String lun, boolean announce, long generation) {
        Lease l = leases.remove(lun);
        if (l != null) {
            leases.release(l);
        }
        leases.disarm(lun);
        epochs.localChanged();
        replica.entry(lun).ifPresent(e -> publisher.put(e.withPlacement(host, VmState.POWERED_OFF)));
        if (announce) {
            FailoverTableEntry e = replica.entry(lun).orElse(null);
            String vm = e == null ? lun : e.vm();
            events.emit(vm, new VmPoweredOff(vm, lun, host, generation));
        }
    }

    /**
     * Powers a VM on here: acquires its lease and boots it fresh (a powered-off VM has no memory state
     * to resume).
     *
     * @param lun the VM's volume
     * @throws StorageException or {@link HypervisorException} if it cannot start, naming the VM
     */
    void powerOn(String lun) {
        FailoverTableEntry e = replica.entry(lun)
                .orElseThrow(() -> new IllegalArgumentException(
                        "VM volume " + lun + " is not in the table of " + host));
        long started = leases.watchdogNow();
        Lease lease = adapters.storage("acquireLease", lun, () -> adapters.storage().acquireLease(lun, host));
        leases.armAcquired(lun, lease.generation(), started);
        try {
            Vmx vmx = adapters.storage("readHardware", lun, () -> adapters.storage().readHardware(lun))
                    .orElseGet(() -> fallbackVmx(e));
            adapters.hypervisor("start", lun, () -> adapters.hypervisor()
                    .start(new StartRequest(e.vm(), lun, vmx, lease.generation(), false)));
        } catch (RuntimeException ex) {
            // whatever the failed start left running goes before the lease is given back
            leases.put(lun, lease);
            stops.request(lun, VmStops.Purpose.START_FAILED, false, clock.getAsLong(),
                    config.heartbeatIntervalMillis(), () -> {
                        Lease held = leases.remove(lun);
                        leases.release(held != null ? held : lease);
                        leases.disarm(lun);
                        epochs.localChanged();
                    });
            throw ex;
        }
        leases.put(lun, lease);
        publisher.put(new FailoverTableEntry(e.vm(), lun, host, e.alternateHost(), e.priority(), e.reservation(),
                VmState.RUNNING, lease.generation(), e.isolationResponse()));
    }

    /**
     * @param e a VM's entry
     * @return the hardware it starts with when its volume holds none: one vCPU and its memory reservation
     */
    static Vmx fallbackVmx(FailoverTableEntry e) {
        return Vmx.builder().memoryMb(Math.max(1, e.reservation().get(ResourceVector.MEMORY_MB))).build();
    }
}
