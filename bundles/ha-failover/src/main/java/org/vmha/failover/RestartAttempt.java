/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Optional;

import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StorageException;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link RestartAttempt} is responsible for one attempt to start a VM on this host, off the agent's thread:
 * acquire the volume lease (a new generation, the fencing token), arm its deadline and have the agent renew it while
 * the VM starts, then start the VM from its VMX, resuming from the latest complete checkpoint unless it is a
 * power-on. A VM its own host stopped on purpose is not started.
 * <p>
 * <b>Threading:</b> {@link #attempt} runs on the restart executor; it makes adapter calls only and touches no agent
 * state but the in-flight leases.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class RestartAttempt {

    /**
     * What a restart attempt came to.
     *
     * @param lease the lease acquired, or null
     * @param vm the VM started, or null
     * @param held the refusal if another lease holds the volume, or null
     * @param failure what failed, or null
     * @param spend true if the failure spends the VM's retry budget (the VM's fault, not the datastore's)
     * @param stoppedOnPurpose true if the VM's host stopped it on purpose: nobody restarts it
     */
    record Outcome(Lease lease, RunningVm vm, LeaseHeldException held, String failure, boolean spend,
            boolean stoppedOnPurpose) {

        static Outcome of(Lease lease, RunningVm vm) {
            return new Outcome(lease, vm, null, null, false, false);
        }

        static Outcome failed(Lease lease, String failure, boolean spend) {
            return new Outcome(lease, null, null, failure, spend, false);
        }
    }

    private final String host;
    private final GuardedAdapters adapters;
    private final LeaseKeeper leases;

    /**
     * @param host this host
     * @param adapters the datastore and the hypervisor, behind the guard
     * @param leases arms the lease's deadline and holds the lease while the VM starts (the renewer renews it)
     */
    RestartAttempt(String host, GuardedAdapters adapters, LeaseKeeper leases) {
        this.host = host;
        this.adapters = adapters;
        this.leases = leases;
    }

    /**
     * @param e the VM's entry as planned
     * @return what came of it
     */
    Outcome attempt(FailoverTableEntry e) {
        if (stoppedOnPurpose(e)) {
            return new Outcome(null, null, null, null, false, true);
        }
        long started = leases.watchdogNow();
        Lease lease;
        try {
            lease = adapters.storage("acquireLease", e.lun(), () -> adapters.storage().acquireLease(e.lun(), host));
        } catch (LeaseHeldException ex) {
            return new Outcome(null, null, ex, null, false, false);
        } catch (RuntimeException ex) {
            // datastore unreachable: not the VM's fault, so the budget is not spent
            return Outcome.failed(null, "acquire lease: " + ex.getMessage(), false);
        }
        // from here the VM may run: its deadline is armed and the agent renews the lease while it starts
        leases.armAcquired(e.lun(), lease.generation(), started);
        leases.holdingWhileStarting(e.lun(), lease);
        try {
            Vmx vmx = adapters.storage("readHardware", e.lun(), () -> adapters.storage().readHardware(e.lun()))
                    .orElseGet(() -> PowerOperations.fallbackVmx(e));
            // a power-on boots; a failover or a migration resumes from the latest complete checkpoint
            boolean resume = !(e.state() instanceof VmState.Starting);
            RunningVm vm = adapters.hypervisor("start", e.lun(), () -> adapters.hypervisor()
                    .start(new StartRequest(e.vm(), e.lun(), vmx, lease.generation(), resume)));
            return Outcome.of(lease, vm);
        } catch (RuntimeException ex) {
            // the lease is kept until the hypervisor confirms the VM is not running: a start that timed out may
            // still complete (the completion stops it, then gives the lease back)
            return Outcome.failed(lease, "start: " + ex.getMessage(), true);
        }
    }

    /**
     * @return true if the entry's own host stopped the VM on purpose (a power-off or a hand-over gave the lease
     *         back at the entry's generation) and did not release it in an isolation response nor in a planned stop
     *         (the entry then waits for a restart): a stale table (a host that returns with an old replica) must not
     *         restart a VM an operator powered off
     */
    private boolean stoppedOnPurpose(FailoverTableEntry e) {
        if (e.currentHost() == null || host.equals(e.currentHost()) || e.state() instanceof VmState.Migrating
                || e.state() instanceof VmState.Starting || e.state() instanceof VmState.RestartPending) {
            // RestartPending: its host handed it over in a planned stop (PlannedStop), or it waits for capacity
            return false;
        }
        Optional<LeaseState> st = adapters.inspect(e.lun());
        if (st.isEmpty() || !st.get().released() || !st.get().owner().equals(e.currentHost())
                || st.get().generation() != e.generation()) {
            return false;
        }
        try {
            Optional<IsolationMarker> m = adapters.storage("readIsolationMarker", e.currentHost(),
                    () -> adapters.storage().readIsolationMarker(e.currentHost()));
            return m.isEmpty() || !m.get().releasedLuns().contains(e.lun());
        } catch (StorageException | AdapterCallException ex) {
            return false; // cannot tell: the restart goes on, the lease still decides
        }
    }
}
