/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.core.guard.DirectGuard;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.failover.AgentConfig;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.failover.ReplicaStore;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link HostAgentPlannedStopTest} is responsible for a host's planned stop on a small cluster of real agents on
 * a virtual clock: the stopping host announces {@code host.stopping}, powers its VMs off and gives their leases back;
 * its leave message makes the survivor resume them at once, long before the failure detector would have, and no
 * agent reports it failed. A host of the same node that stands down takes none of them.
 *
 * @author vmha - Initial contribution
 */
class HostAgentPlannedStopTest {

    private static final List<String> HOSTS = List.of("H1", "H2", "H3");

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), 3000);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final Map<String, SimulatedHypervisor> hvs = new TreeMap<>();
    private final Map<String, HostAgent> agents = new TreeMap<>();
    private final List<CloudEvent> events = new ArrayList<>();
    private final Vmx vmx = new Vmx(1, 512, null, null, null, null);

    HostAgentPlannedStopTest() {
        transport.observeEvents(events::add);
    }

    /** Three hosts; H1 runs {@code vms} VMs whose alternate is {@code alternate}. */
    private void cluster(int vms, String alternate) {
        Map<String, ResourceVector> caps = new TreeMap<>();
        for (String h : HOSTS) {
            caps.put(h, ResourceVector.of(100_000, 100_000));
            hvs.put(h, new SimulatedHypervisor(h, caps.get(h), storage, sched,
                    new SimulatedHypervisor.Settings(500, 2000, 100), null));
        }
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            String vm = "vm" + i;
            storage.provisionVolume(vm);
            Lease l = storage.acquireLease("lun-" + vm, "H1");
            storage.writeHardware("lun-" + vm, l.generation(), vmx);
            hvs.get("H1").start(new StartRequest(vm, "lun-" + vm, vmx, l.generation(), false));
            entries.add(new FailoverTableEntry(vm, "lun-" + vm, "H1", alternate, RestartPriority.MEDIUM,
                    ResourceVector.of(100, 100), VmState.RUNNING, l.generation()));
        }
        FailoverTable doc = new FailoverTable(1, entries);
        AgentConfig cfg = AgentConfig.DEFAULTS;
        for (String h : HOSTS) {
            ReplicaStore store = ReplicaStore.inMemory();
            store.save(doc);
            HostAgent a = new HostAgent(h, caps.get(h), cfg,
                    new HostRuntime(sched, transport.endpoint(h), storage, hvs.get(h), new DirectGuard(),
                            LeaseWatchdog.started(h, sched, hvs.get(h), cfg.heartbeatIntervalMillis() / 4),
                            Runnable::run),
                    store, new FailoverPlanner(), caps);
            agents.put(h, a);
            a.start();
        }
    }

    private List<CloudEvent> ofType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    /** Runs H1's planned stop as AgentRun does: begin, tick until handed over, finish. */
    private long leaveH1(String handOver) {
        HostAgent h1 = agents.get("H1");
        h1.beginLeave(handOver);
        long began = sched.nowMillis();
        while (!h1.handedOverAll() && sched.nowMillis() < began + 15_000) {
            sched.runUntil(sched.nowMillis() + 50);
        }
        h1.finishLeave();
        return began;
    }

    @Test
    void theSurvivorsResumeALeavingHostsVmsAtOnceAndNobodyReportsItFailed() {
        cluster(4, "H2");
        sched.runUntil(10_000);

        long began = leaveH1("survivors");
        hvs.get("H1").close();
        long leftAt = sched.nowMillis();
        sched.runUntil(leftAt + 1_500);

        // resumed within one heartbeat interval of the leave, where detection alone takes the failure timeout (2.5 s)
        assertThat(ofType(EventTypes.VM_RESTARTED)).extracting(CloudEvent::subject)
                .containsExactlyInAnyOrder("vm0", "vm1", "vm2", "vm3");
        assertThat(ofType(EventTypes.VM_RESTARTED)).allSatisfy(e -> {
            assertThat(e.data()).containsEntry("host", "H2").containsEntry("from", "H1");
            assertThat(((Number) e.data().get("resumedFromCheckpoint")).longValue()).isPositive();
        });
        assertThat(ofType(EventTypes.VM_RESTARTED)).allSatisfy(e -> assertThat(e.time().toEpochMilli())
                .isLessThanOrEqualTo(leftAt + 1_000));
        sched.runUntil(leftAt + 30_000);
        assertThat(ofType(EventTypes.HOST_FAILED)).isEmpty();
        assertThat(ofType(EventTypes.VM_RESTARTED)).hasSize(4);

        CloudEvent stopping = ofType(EventTypes.HOST_STOPPING).get(0);
        assertThat(stopping.subject()).isEqualTo("H1");
        assertThat(stopping.time().toEpochMilli()).isEqualTo(began);
        assertThat(stopping.data()).containsEntry("vms", List.of("vm0", "vm1", "vm2", "vm3"))
                .containsEntry("handOver", "survivors").containsEntry("reason", "planned stop");
        for (int i = 0; i < 4; i++) {
            assertThat(hvs.get("H2").runs("lun-vm" + i)).isTrue();
            assertThat(storage.inspectLease("lun-vm" + i).orElseThrow().owner()).isEqualTo("H2");
        }
    }

    @Test
    void aHostOfTheSameNodeThatStandsDownTakesNoneOfTheVms() {
        cluster(3, "H2");
        sched.runUntil(10_000);
        // the whole node (H1 and H2) stops: H2 stands down first, as the component does
        agents.get("H2").standDown();
        leaveH1("with-node");
        hvs.get("H1").close();
        sched.runUntil(sched.nowMillis() + 5_000);

        assertThat(hvs.get("H2").listRunning()).isEmpty();
        assertThat(ofType(EventTypes.HOST_FAILED)).isEmpty();
        // H3, on another node, is a survivor: it resumes them (its planner's choice once H2 is not taking them)
        sched.runUntil(sched.nowMillis() + 30_000);
        assertThat(ofType(EventTypes.VM_RESTARTED)).extracting(e -> e.data().get("host")).doesNotContain("H2");
        for (int i = 0; i < 3; i++) {
            assertThat(hvs.get("H1").runs("lun-vm" + i)).isFalse();
        }
    }

    @Test
    void aHostThatReturnsAfterLeavingIsHeardAgain() {
        cluster(1, "H2");
        sched.runUntil(10_000);
        leaveH1("survivors");
        hvs.get("H1").close();
        sched.runUntil(sched.nowMillis() + 5_000);
        assertThat(ofType(EventTypes.VM_RESTARTED)).hasSize(1);

        SimulatedHypervisor fresh = new SimulatedHypervisor("H1", ResourceVector.of(100_000, 100_000), storage, sched,
                new SimulatedHypervisor.Settings(500, 2000, 100), null);
        HostAgent back = new HostAgent("H1", ResourceVector.of(100_000, 100_000), AgentConfig.DEFAULTS,
                new HostRuntime(sched, transport.endpoint("H1"), storage, fresh, new DirectGuard(),
                        LeaseWatchdog.started("H1", sched, fresh, 250), Runnable::run),
                ReplicaStore.inMemory(), new FailoverPlanner(),
                Map.of("H2", ResourceVector.of(100_000, 100_000), "H3", ResourceVector.of(100_000, 100_000)));
        back.start();
        sched.runUntil(sched.nowMillis() + 10_000);
        assertThat(ofType(EventTypes.HOST_RETURNED)).extracting(CloudEvent::subject).contains("H1");
        assertThat(ofType(EventTypes.HOST_FAILED)).isEmpty();
        assertThat(fresh.listRunning()).isEmpty();
    }
}
