/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.vmha.agent.host.HostAgent;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Vmx;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.management.ManagementService;
import org.vmha.testkit.FaultyHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.testkit.VirtualScheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link Simulation} is responsible for running one {@link Scenario} deterministically with the
 * production classes: one {@link HostAgent} per host (detector, isolation, failover executor,
 * replica, retry queue), the {@link FailoverPlanner}, the optional {@link ManagementService}, the
 * {@link SimulatedHypervisor}, the {@link InMemoryStorageAdapter} and the {@link InMemoryTransport},
 * all on one {@link VirtualScheduler}. It builds the pieces and runs them:
 * <ul>
 * <li>{@link SimCluster}: the shared world (scheduler, datastore, transport, management service) with its
 * {@link SimHost}s and {@link SimVm}s, built from the inventory by {@link ClusterSetup};</li>
 * <li>{@link ScenarioSteps}: the scenario's events applied at their virtual times;</li>
 * <li>{@link InvariantChecker}: the invariants of ARCHITECTURE.md checked at every step (among them
 * {@code restart-thrash}: more than {@value #THRASH_RESTARTS} restarts within {@value #THRASH_WINDOW_MS} ms);</li>
 * <li>{@link SimLog}: the events and violations as they happen; {@link SimReport}: the output document.</li>
 * </ul>
 * Each agent runs on its own {@link AgentRuntime} (its serial thread: paused by {@code agent-pause},
 * stalled by hung storage calls of a {@code storage-hang} through its {@link SimGuard}); its hypervisor is
 * wrapped by a {@link FaultyHypervisor} ({@code hypervisor-fail}); its lease watchdog runs on the global
 * scheduler, apart from the agent.
 * Same scenario and seed give byte-identical output: every collection is ordered, every random draw
 * comes from the seed, and time is virtual.
 * <p>
 * <b>Threading:</b> single-threaded; {@link #run()} once.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class Simulation {

    /** {@code restart-thrash}: more restarts than this within {@link #THRASH_WINDOW_MS} is thrash. */
    public static final int THRASH_RESTARTS = InvariantChecker.THRASH_RESTARTS;
    /** {@code restart-thrash}: the window of virtual time the restarts are counted in. */
    public static final long THRASH_WINDOW_MS = InvariantChecker.THRASH_WINDOW_MS;

    private final SimCluster cluster;
    private final SimLog log;
    private final InvariantChecker invariants;
    private final ScenarioSteps steps;
    private boolean ran;

    /**
     * Observes agent events with the wall-clock time they were published (benchmarks).
     *
     * @author vmha - Initial contribution
     */
    @FunctionalInterface
    public interface EventProbe {

        /**
         * @param type the CloudEvent type
         * @param nanoTime {@link System#nanoTime()} when it was published
         */
        void published(String type, long nanoTime);
    }

    /** Sees what the simulated hypervisors do (tests). */
    @FunctionalInterface
    interface HypervisorProbe {
        /**
         * @param atMillis virtual time
         * @param host the host
         * @param what {@code start}, {@code stop} or {@code checkpoint}
         * @param lun the VM's volume
         * @param detail the checkpoint resumed from (-1 cold), the stop reason, or the checkpoint's sequence
         */
        void seen(long atMillis, String host, String what, String lun, String detail);
    }

    /** @param scenario the scenario */
    public Simulation(Scenario scenario) {
        this.cluster = new SimCluster(scenario);
        this.log = new SimLog(cluster.sched);
        this.invariants = new InvariantChecker(cluster, log);
        this.steps = new ScenarioSteps(cluster, log, invariants);
        cluster.watchHypervisors(invariants, (host, op, lun, left) -> {
            log.hypervisorFailed(host, op, lun, left);
            invariants.hostFailed(host);
        });
        cluster.transport.observeEvents(e -> {
            log.published(e);
            invariants.published(e);
        });
    }

    /** @param sink sees every agent event as published; call before {@link #run()} */
    public void onCloudEvent(Consumer<CloudEvent> sink) {
        log.onCloudEvent(sink);
    }

    /** @param probe sees every agent event with its wall-clock publication time; call before {@link #run()} */
    public void onEvent(EventProbe probe) {
        log.onEvent(probe);
    }

    /** @param probe sees every VM start, stop and checkpoint of every simulated hypervisor; call before {@link #run()} */
    void onHypervisor(HypervisorProbe probe) {
        invariants.onHypervisor(probe);
    }

    /**
     * For tests of the invariants: at a virtual time, starts a VM on a host's hypervisor behind HA's back (as an
     * operator with the hypervisor's own tools would), resuming from its latest checkpoint, under the volume's
     * current lease generation.
     *
     * @param atMillis when
     * @param host a host that is on then
     * @param vm the VM's name
     */
    void startBehindTheAgents(long atMillis, String host, String vm) {
        VirtualScheduler sched = cluster.sched;
        sched.schedule(atMillis - sched.nowMillis(), () -> {
            SimVm v = cluster.vms.get(vm);
            long generation = cluster.shared.inspectLease(v.lun).map(l -> l.generation()).orElse(0L);
            Vmx vmx = cluster.shared.readHardware(v.lun).orElseThrow();
            cluster.hosts.get(host).hv.start(new StartRequest(vm, v.lun, vmx, generation, true));
        });
    }

    /**
     * For tests of the invariants: at a virtual time, the guest of a VM dies on its host (a guest crash, not a host
     * failure): the hypervisor stops it without HA asking.
     *
     * @param atMillis when
     * @param host the host it runs on then
     * @param vm the VM's name
     */
    void crashGuestBehindTheAgents(long atMillis, String host, String vm) {
        VirtualScheduler sched = cluster.sched;
        sched.schedule(atMillis - sched.nowMillis(),
                () -> cluster.hosts.get(host).hv.powerOff(cluster.vms.get(vm).lun));
    }

    /**
     * Runs the scenario to its end time.
     *
     * @return the output document (vms, hosts, events, violations)
     */
    public ObjectNode run() {
        if (ran) {
            throw new IllegalStateException("a simulation runs once");
        }
        ran = true;
        new ClusterSetup(cluster).build();
        steps.scheduleAll();
        cluster.sched.schedule(cluster.cfg.heartbeatIntervalMs(), invariants::periodicCheck);
        cluster.sched.runUntil(cluster.scenario.untilMillis());
        return new SimReport(cluster, log).build();
    }

    /**
     * For tests: where a host's agent believes each VM runs, from its table replica, after {@link #run()}.
     *
     * @param host a host that is on
     * @return VM name to the replica entry's current host ({@code "-"} for none), by VM name
     */
    SortedMap<String, String> replicaPlacements(String host) {
        SimHost h = cluster.hosts.get(host);
        if (h == null || h.agent == null || h.power != SimHost.Power.ON) {
            throw new IllegalArgumentException("host " + host + " has no running agent");
        }
        SortedMap<String, String> m = new TreeMap<>();
        for (FailoverTableEntry e : h.agent.replica().entries()) {
            SimVm v = cluster.byLun.get(e.lun());
            m.put(v == null ? e.vm() : v.name, e.currentHost() == null ? "-" : e.currentHost());
        }
        return m;
    }
}
