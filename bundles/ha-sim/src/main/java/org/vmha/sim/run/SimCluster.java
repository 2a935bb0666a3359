/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.agent.host.HostAgent;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.ResourceVector;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.failover.AgentConfig;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.management.ManagementService;
import org.vmha.testkit.FaultyHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link SimCluster} is responsible for the shared world of one {@link Simulation}: the
 * {@link VirtualScheduler} everything runs on, the {@link InMemoryStorageAdapter} datastore, the
 * {@link InMemoryTransport}, the {@link FailoverPlanner} and {@link AgentConfig} every agent gets, the
 * {@link SimHost}s and {@link SimVm}s by name, and the optional {@link ManagementService}.
 * <p>
 * <b>Threading:</b> single-threaded, on the simulator's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class SimCluster {

    final Scenario scenario;
    final Scenario.Config cfg;
    final VirtualScheduler sched = new VirtualScheduler(0);
    final InMemoryStorageAdapter shared;
    final InMemoryTransport transport;
    final FailoverPlanner planner;
    final AgentConfig agentConfig;
    final SortedMap<String, SimHost> hosts = new TreeMap<>();
    final SortedMap<String, SimVm> vms = new TreeMap<>();
    final Map<String, SimVm> byLun = new HashMap<>();
    /** The VMs that are down although they should run (downSince set), by name: what checkDown visits. */
    final SortedMap<String, SimVm> down = new TreeMap<>();
    /** Why a VM's next start is a cold one (no checkpoint to resume from), by lun. */
    final Map<String, String> coldStart = new HashMap<>();
    /** Hosts in maintenance mode through the running management service (what it publishes). */
    final TreeSet<String> maintenance = new TreeSet<>();
    /** The inventory's table (version 1): a fresh management service starts from it. */
    FailoverTable inventoryTable;
    ManagementService management;
    private SimulatedHypervisor.Listener hypervisorWatch;
    private FaultyHypervisor.Observer hypervisorFailures;

    /** @param scenario the scenario: its config and seed make the datastore, transport and agents' config */
    SimCluster(Scenario scenario) {
        this.scenario = scenario;
        this.cfg = scenario.config();
        this.shared = new InMemoryStorageAdapter(sched.clock(), cfg.leaseDurationMs());
        this.transport = new InMemoryTransport(sched, scenario.seed(), cfg.messageLoss(), cfg.messageDelayMinMs(),
                cfg.messageDelayMaxMs(), cfg.messageDuplication());
        this.planner = new FailoverPlanner(cfg.maxConcurrentRestarts(), true);
        this.agentConfig = new AgentConfig(cfg.heartbeatIntervalMs(), cfg.failureTimeoutMs(), cfg.isolationResponse(),
                cfg.isolationResponseOverrides(), cfg.isolationDelayMs(), cfg.maxConcurrentRestarts(),
                cfg.heartbeatIntervalMs(), 60_000, 5, 30);
    }

    /**
     * @param watch sees every start, stop and checkpoint of every simulated hypervisor started from now on
     * @param failures sees every injected hypervisor failure
     */
    void watchHypervisors(SimulatedHypervisor.Listener watch, FaultyHypervisor.Observer failures) {
        this.hypervisorWatch = watch;
        this.hypervisorFailures = failures;
    }

    /** @return what watches every simulated hypervisor */
    SimulatedHypervisor.Listener hypervisorWatch() {
        return hypervisorWatch;
    }

    /** @return what sees every injected hypervisor failure */
    FaultyHypervisor.Observer hypervisorFailures() {
        return hypervisorFailures;
    }

    /** @return the capacity of every host not removed, by name */
    SortedMap<String, ResourceVector> capacities() {
        SortedMap<String, ResourceVector> m = new TreeMap<>();
        for (SimHost h : hosts.values()) {
            if (h.power != SimHost.Power.REMOVED) {
                m.put(h.name, h.capacity);
            }
        }
        return m;
    }

    /**
     * Starts a new management service.
     *
     * @param table the table it starts from
     */
    void startManagement(FailoverTable table) {
        management = new ManagementService(transport.endpoint(ManagementService.SOURCE), sched,
                new AlternateHostPlanner(cfg.maxConcurrentRestarts()), cfg.managementIntervalMs(),
                cfg.failureTimeoutMs(), 60, table, capacities());
        management.start();
    }

    /**
     * @param action the scenario action that needs it
     * @return the running management service
     * @throws IllegalStateException if it is off
     */
    ManagementService requireManagement(String action) {
        if (management == null || !management.running()) {
            throw new IllegalStateException("'" + action + "' needs the management service, which is off");
        }
        return management;
    }

    /** @return the table replica of the lowest-named host that is on and has an agent, else the empty table */
    FailoverTable firstAgentTable() {
        for (SimHost h : hosts.values()) {
            if (h.power == SimHost.Power.ON && h.agent != null) {
                return h.agent.replica().table();
            }
        }
        return FailoverTable.EMPTY;
    }

    /** @return the lowest-named running, reachable agent: its replica tells the state of VMs that run nowhere */
    HostAgent observer() {
        for (SimHost h : hosts.values()) {
            if (h.power == SimHost.Power.ON && h.agent != null && h.network) {
                return h.agent;
            }
        }
        return null;
    }
}
