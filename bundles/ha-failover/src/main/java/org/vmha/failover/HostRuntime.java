/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Objects;
import java.util.concurrent.Executor;

import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.time.TaskScheduler;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.core.guard.AdapterGuard;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link HostRuntime} is responsible for naming what one host's agent runs on: its thread's clock and timers,
 * the network channel, the datastore, the hypervisor, the guard every adapter call goes through, the lease watchdog
 * (which its owner starts and stops, and which outlives the agent while the hypervisor runs VMs) and the executor
 * restarts run on. The deployment (ha-agent's component, ha-sim) builds it; the agent's parts take from it what
 * they need.
 *
 * @param scheduler time and timers of the agent's serial thread
 * @param transport network channel (heartbeats, table, events)
 * @param storage the datastore (leases, checkpoints, datastore heartbeats, isolation markers)
 * @param hypervisor this host's hypervisor
 * @param guard every adapter call goes through it
 * @param watchdog kills this host's VMs whose lease deadlines pass, on its own clock and thread
 * @param restartExecutor runs restarts (adapter calls); {@code Runnable::run} in the simulator
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostRuntime(TaskScheduler scheduler, ClusterTransport transport, StorageAdapter storage,
        HypervisorAdapter hypervisor, AdapterGuard guard, LeaseWatchdog watchdog, Executor restartExecutor) {

    /** Every part is required. */
    public HostRuntime {
        Objects.requireNonNull(scheduler, "host runtime: scheduler is required");
        Objects.requireNonNull(transport, "host runtime: transport is required");
        Objects.requireNonNull(storage, "host runtime: storage adapter is required");
        Objects.requireNonNull(hypervisor, "host runtime: hypervisor adapter is required");
        Objects.requireNonNull(guard, "host runtime: adapter guard is required");
        Objects.requireNonNull(watchdog, "host runtime: lease watchdog is required");
        Objects.requireNonNull(restartExecutor, "host runtime: restart executor is required");
    }

    /**
     * @param host this host
     * @return its adapters behind the guard
     */
    public GuardedAdapters adapters(String host) {
        return new GuardedAdapters(host, storage, hypervisor, guard);
    }
}
