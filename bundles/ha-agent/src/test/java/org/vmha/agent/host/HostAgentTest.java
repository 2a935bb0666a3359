/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

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
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.VirtualScheduler;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.failover.AgentConfig;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.failover.ReplicaStore;

/**
 * The {@link HostAgentTest} is responsible for the failover executor on a small cluster of real agents
 * on a virtual clock: restarts resume from checkpoints, go highest priority first, are bounded in
 * concurrency, and happen exactly once.
 *
 * @author vmha - Initial contribution
 */
class HostAgentTest {

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), 3000);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final Map<String, SimulatedHypervisor> hvs = new TreeMap<>();
    private final Map<String, HostAgent> agents = new TreeMap<>();
    private final List<CloudEvent> events = new ArrayList<>();
    private final Deque<Runnable> pending = new ArrayDeque<>();
    private final Vmx vmx = new Vmx(1, 512, null, null, null, null);

    HostAgentTest() {
        transport.observeEvents(events::add);
    }

    private void cluster(int vmsOnH1, Executor executorOfH2, AgentConfig cfg) {
        Map<String, ResourceVector> caps = new TreeMap<>();
        for (String h : List.of("H1", "H2")) {
            caps.put(h, ResourceVector.of(100_000, 100_000));
            hvs.put(h, new SimulatedHypervisor(h, caps.get(h), storage, sched,
                    new SimulatedHypervisor.Settings(500, 2000, 100), null));
        }
        List<FailoverTableEntry> entries = new ArrayList<>();
        RestartPriority[] prios = RestartPriority.values();
        for (int i = 0; i < vmsOnH1; i++) {
            String vm = "vm" + i;
            storage.provisionVolume(vm);
            Lease l = storage.acquireLease("lun-" + vm, "H1");
            storage.writeHardware("lun-" + vm, l.generation(), vmx);
            hvs.get("H1").start(new StartRequest(vm, "lun-" + vm, vmx, l.generation(), false));
            entries.add(new FailoverTableEntry(vm, "lun-" + vm, "H1", "H2", prios[1 + i % 5],
                    ResourceVector.of(100, 100), VmState.RUNNING, l.generation()));
        }
        FailoverTable doc = new FailoverTable(1, entries);
        for (String h : List.of("H1", "H2")) {
            ReplicaStore store = ReplicaStore.inMemory();
            store.save(doc);
            HostAgent a = new HostAgent(h, caps.get(h), cfg,
                    new HostRuntime(sched, transport.endpoint(h), storage, hvs.get(h), new DirectGuard(),
                            LeaseWatchdog.started(h, sched, hvs.get(h), cfg.heartbeatIntervalMillis() / 4),
                            h.equals("H2") ? executorOfH2 : Runnable::run),
                    store, new FailoverPlanner(), caps);
            agents.put(h, a);
            a.start();
        }
    }

    private List<String> restarted() {
        List<String> out = new ArrayList<>();
        for (CloudEvent e : events) {
            if (e.type().equals(EventTypes.VM_RESTARTED)) {
                out.add(e.subject());
            }
        }
        return out;
    }

    @Test
    void survivorRestartsEveryProtectedVmOnceFromItsCheckpointHighestPriorityFirst() {
        cluster(5, Runnable::run, AgentConfig.DEFAULTS);
        sched.runUntil(10_000);
        agents.get("H1").stop();
        hvs.get("H1").crash();
        sched.runUntil(30_000);
        assertThat(restarted()).hasSize(5).doesNotHaveDuplicates();
        // priorities: vm0 LOWEST, vm1 LOW, vm2 MEDIUM, vm3 HIGH, vm4 HIGHEST
        assertThat(restarted()).containsExactly("vm4", "vm3", "vm2", "vm1", "vm0");
        for (int i = 0; i < 5; i++) {
            String lun = "lun-vm" + i;
            assertThat(hvs.get("H2").runs(lun)).isTrue();
            FailoverTableEntry e = agents.get("H2").replica().entry(lun).orElseThrow();
            assertThat(e.currentHost()).isEqualTo("H2");
            assertThat(e.generation()).isEqualTo(2);
            assertThat(storage.inspectLease(lun).orElseThrow().owner()).isEqualTo("H2");
        }
        CloudEvent first = events.stream().filter(e -> e.type().equals(EventTypes.VM_RESTARTED)).findFirst()
                .orElseThrow();
        assertThat(((Number) first.data().get("resumedFromCheckpoint")).longValue()).isGreaterThan(0);
        assertThat(first.data()).containsEntry("from", "H1").containsEntry("host", "H2");
        assertThat(events).filteredOn(e -> e.type().equals(EventTypes.LEASE_TAKEN_OVER)).hasSize(5)
                .allSatisfy(e -> assertThat(e.data()).containsEntry("from", "H1").containsEntry("to", "H2")
                        .containsEntry("generation", 2L));
    }

    @Test
    void restartsAreBoundedByMaxConcurrentRestarts() {
        AgentConfig cfg = new AgentConfig(1000, 3000, null, null, 30_000, 2, 1000, 60_000, 5, 5);
        cluster(5, pending::add, cfg);
        sched.runUntil(10_000);
        agents.get("H1").stop();
        hvs.get("H1").crash();
        // run until the first restarts are dispatched
        while (pending.isEmpty() && sched.nowMillis() < 30_000) {
            sched.runNext(Long.MAX_VALUE);
        }
        assertThat(pending).hasSize(2);
        int maxSeen = 0;
        int ran = 0;
        while (ran < 5 && sched.nowMillis() < 60_000) {
            maxSeen = Math.max(maxSeen, pending.size());
            Runnable r = pending.poll();
            if (r != null) {
                r.run();
                ran++;
            }
            sched.runNext(Long.MAX_VALUE);
        }
        sched.runUntil(sched.nowMillis() + 1000);
        assertThat(ran).isEqualTo(5);
        assertThat(maxSeen).isLessThanOrEqualTo(2);
        assertThat(restarted()).hasSize(5);
    }

    @Test
    void aReturningHostLearnsTheNewPlacementInsteadOfRestarting() {
        cluster(3, Runnable::run, AgentConfig.DEFAULTS);
        sched.runUntil(5_000);
        agents.get("H1").stop();
        hvs.get("H1").crash();
        sched.runUntil(20_000);
        assertThat(restarted()).hasSize(3);
        // H1 comes back with its persisted (stale) replica
        SimulatedHypervisor fresh = new SimulatedHypervisor("H1", ResourceVector.of(100_000, 100_000), storage, sched,
                new SimulatedHypervisor.Settings(500, 2000, 100), null);
        ReplicaStore stale = ReplicaStore.inMemory();
        List<FailoverTableEntry> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.add(new FailoverTableEntry("vm" + i, "lun-vm" + i, "H1", "H2", RestartPriority.MEDIUM,
                    ResourceVector.of(100, 100), VmState.RUNNING, 1));
        }
        stale.save(new FailoverTable(1, old));
        HostAgent back = new HostAgent("H1", ResourceVector.of(100_000, 100_000), AgentConfig.DEFAULTS,
                new HostRuntime(sched, transport.endpoint("H1"), storage, fresh, new DirectGuard(),
                        LeaseWatchdog.started("H1", sched, fresh, 250), Runnable::run),
                stale, new FailoverPlanner(), Map.of("H2", ResourceVector.of(100_000, 100_000)));
        back.start();
        sched.runUntil(40_000);
        assertThat(fresh.listRunning()).isEmpty();
        assertThat(restarted()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(back.replica().entry("lun-vm" + i).orElseThrow().currentHost()).isEqualTo("H2");
        }
    }

    @Test
    void aFailingReplicaFileDoesNotSilenceTheHost() {
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        Map<String, ResourceVector> caps = new TreeMap<>();
        for (String h : List.of("H1", "H2")) {
            caps.put(h, ResourceVector.of(100_000, 100_000));
            hvs.put(h, new SimulatedHypervisor(h, caps.get(h), storage, sched,
                    new SimulatedHypervisor.Settings(500, 2000, 100), null));
        }
        for (String h : List.of("H1", "H2")) {
            ReplicaStore inner = ReplicaStore.inMemory();
            ReplicaStore store = !h.equals("H1") ? inner : new ReplicaStore() {
                @Override
                public java.util.Optional<FailoverTable> load() {
                    return inner.load();
                }

                @Override
                public void save(FailoverTable table) {
                    if (broken.get()) {
                        throw new IllegalStateException("disk full: replica of H1");
                    }
                    inner.save(table);
                }
            };
            HostAgent a = new HostAgent(h, caps.get(h), AgentConfig.DEFAULTS,
                    new HostRuntime(sched, transport.endpoint(h), storage, hvs.get(h), new DirectGuard(),
                            LeaseWatchdog.started(h, sched, hvs.get(h), 250), Runnable::run),
                    store, new FailoverPlanner(), caps);
            agents.put(h, a);
            a.start();
        }
        sched.runUntil(10_000);
        broken.set(true);
        // a table change makes H1 flush its replica on every tick from now on
        agents.get("H2").powerOffVm("lun-none-such");
        transport.endpoint("M").publishTable(new org.vmha.api.transport.TableUpdate("M", 99, true,
                List.of(new FailoverTableEntry("vmx", "lun-vmx", "H2", "H1", RestartPriority.MEDIUM,
                        ResourceVector.of(1, 1), VmState.POWERED_OFF, 0))));
        sched.runUntil(40_000);

        assertThat(agents.get("H1").tickFailures()).isPositive();
        assertThat(agents.get("H1").lastTickFailure()).contains("disk full: replica of H1");
        assertThat(events).noneMatch(e -> e.type().equals(EventTypes.HOST_FAILED)
                || e.type().equals(EventTypes.HOST_PARTITIONED));
    }
}
