/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import org.vmha.agent.host.HostAgent;
import org.vmha.api.model.ResourceVector;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.failover.ReplicaStore;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.testkit.FaultyHypervisor;
import org.vmha.testkit.InMemoryTransport;

/**
 * The {@link SimHost} is responsible for one simulated host of a {@link SimCluster}: its power, network and
 * datastore path, its {@link SimulatedHypervisor} (wrapped by a {@link FaultyHypervisor} for
 * {@code hypervisor-fail}), and its {@link HostAgent} with the agent's {@link AgentRuntime}, table replica and
 * {@link LeaseWatchdog}. It starts and stops these as the host powers on and off.
 * <p>
 * <b>Threading:</b> single-threaded, on the simulator's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class SimHost {

    /** Host lifecycle in the simulation. */
    enum Power { ON, OFF, REMOVED }

    private final SimCluster cluster;
    final String name;
    final ResourceVector capacity;
    /** The agent's path to the datastore. */
    final SwitchableStorage storage;
    /** The same path as the simulated hypervisor sees it (fails during a storage-hang). */
    final SwitchableStorage hvStorage;
    final ReplicaStore store = ReplicaStore.inMemory();
    final FaultyHypervisor.Faults faults = new FaultyHypervisor.Faults();
    Power power = Power.ON;
    boolean network = true;
    SimulatedHypervisor hv;
    /** {@link #hv} as the agent and the watchdog call it (hypervisor-fail). */
    FaultyHypervisor hva;
    HostAgent agent;
    LeaseWatchdog watchdog;
    AgentRuntime runtime;
    /** The last virtual time the host was seen failing (restart-thrash's excuse), MIN_VALUE for never. */
    long lastUnhealthy = Long.MIN_VALUE;

    /**
     * @param name the host's name
     * @param capacity its capacity
     * @param cluster the cluster it belongs to: its datastore, scheduler and transport
     */
    SimHost(String name, ResourceVector capacity, SimCluster cluster) {
        this.cluster = cluster;
        this.name = name;
        this.capacity = capacity;
        this.storage = new SwitchableStorage(name, cluster.shared);
        this.hvStorage = storage.hypervisorView(cluster.sched::nowMillis);
    }

    /** @return true if its agent cannot act now: off, paused, stuck in hung calls or its storage hangs */
    boolean unableToAct() {
        return power != Power.ON || runtime == null || runtime.blocked() || storage.hangs(cluster.sched.nowMillis());
    }

    /** Boots a fresh simulated hypervisor on the host (no VM runs on it yet). */
    void startHypervisor() {
        Scenario.Config cfg = cluster.cfg;
        hv = new SimulatedHypervisor(name, capacity, hvStorage, cluster.sched,
                new SimulatedHypervisor.Settings(cfg.bootDelayMs(), cfg.checkpointIntervalMs(), 100,
                        cfg.guestShutdownMs()), cluster.hypervisorWatch());
        hva = new FaultyHypervisor(hv, faults, cluster.hypervisorFailures());
    }

    /** Starts a new incarnation of the host's agent (its JVM): a new runtime, watchdog and agent. */
    void startAgent() {
        InMemoryTransport.Endpoint ep = cluster.transport.endpoint(name);
        // the watchdog runs on the scenario's clock, apart from the agent: it models the host's fencing process that
        // goes on while the agent's thread is stuck or its JVM is stopped
        if (watchdog != null) {
            watchdog.stop();
        }
        if (runtime != null) {
            runtime.kill();
        }
        Scenario.Config cfg = cluster.cfg;
        runtime = new AgentRuntime(cluster.sched);
        watchdog = LeaseWatchdog.started(name, cluster.sched, hva, Math.max(1, cfg.heartbeatIntervalMs() / 4));
        agent = new HostAgent(name, capacity, cluster.agentConfig,
                new HostRuntime(runtime.scheduler(), runtime.endpoint(ep), storage, hva,
                        new SimGuard(storage, runtime, cfg.adapterTimeoutMs()), watchdog, Runnable::run),
                store, cluster.planner, cluster.capacities());
        HostAgent started = agent;
        runtime.execute(started::start);
    }

    /** The host loses power: its agent, hypervisor (with its VMs), watchdog and agent thread are gone. */
    void crash() {
        agent.stop();
        cluster.transport.endpoint(name).unsubscribe();
        hv.crash();
        watchdog.stop();
        runtime.kill();
    }
}
