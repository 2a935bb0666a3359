/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Optional;
import java.util.Set;

import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseState;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link StrayReconciler} is responsible for what the hypervisor runs here against the leases this host holds:
 * at start it adopts the VMs the hypervisor runs under a lease this host still holds and stops the others; at a
 * heartbeat it stops the stray VMs the hypervisor runs without a lease. A stop is tried again until the hypervisor
 * confirms the VM is gone.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class StrayReconciler {

    private final String host;
    private final AgentConfig config;
    private final GuardedAdapters adapters;
    private final LeaseKeeper leases;
    private final VmStops stops;
    private final ScanEpochs epochs;
    private final Set<String> inFlight;

    /**
     * @param host this host
     * @param config settings (fence margin)
     * @param adapters the datastore and the hypervisor, behind the guard
     * @param leases the leases held and their deadlines
     * @param stops VMs being stopped
     * @param epochs moved when this host's VMs change
     * @param inFlight the volumes whose restart is in flight (read only)
     */
    StrayReconciler(String host, AgentConfig config, GuardedAdapters adapters, LeaseKeeper leases, VmStops stops,
            ScanEpochs epochs, Set<String> inFlight) {
        this.host = host;
        this.config = config;
        this.adapters = adapters;
        this.leases = leases;
        this.stops = stops;
        this.epochs = epochs;
        this.inFlight = inFlight;
    }

    /**
     * Adopts the VMs the hypervisor runs under a lease this host still holds (arming what is left of the lease on
     * the watchdog's clock) and stops the others until the hypervisor confirms they are gone.
     *
     * @param now current time
     */
    void adopt(long now) {
        for (RunningVm vm : adapters.listRunning()) {
            Optional<LeaseState> l = adapters.inspect(vm.lun());
            if (l.isPresent() && l.get().owner().equals(host) && l.get().generation() == vm.generation()
                    && l.get().isLive(now)) {
                leases.put(vm.lun(), new Lease(vm.lun(), host, vm.generation(), l.get().acquiredAtMillis(),
                        l.get().expiresAtMillis()));
                // what is left of the lease, on the watchdog's clock
                leases.arm(vm.lun(), vm.generation(),
                        leases.watchdogNow() + l.get().expiresAtMillis() - now - config.fenceMarginMillis());
            } else {
                // not ours (any more): stopped, and tried again until the hypervisor confirms it is gone
                stops.request(vm.lun(), VmStops.Purpose.STRAY, false, now, 0, epochs::localChanged);
            }
        }
    }

    /**
     * Stops every VM the hypervisor runs here that this agent holds no lease for, is not starting and is not
     * stopping already: a start that completed after its timeout, a VM left over from before a restart of the
     * agent, or one whose lease was taken over. Tried again until the hypervisor confirms it is gone.
     *
     * @param now current time
     */
    void stopStrays(long now) {
        for (String lun : adapters.runningLuns()) {
            if (!leases.holds(lun) && !inFlight.contains(lun) && !leases.starting(lun) && !stops.contains(lun)) {
                stops.request(lun, VmStops.Purpose.STRAY, false, now, 0, epochs::localChanged);
            }
        }
    }
}
