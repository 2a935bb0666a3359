/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
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
 * The {@link HostAgentLeaseAuditTest} is responsible for audit finding 6: every replica says vm1 runs on H2, which
 * is partitioned (its datastore heartbeats are fresh), but the update that moved vm1 to H3 was lost and H3 holds
 * its lease; when H3 dies, the survivors must find out from the lease, not wait for a table that will never come.
 *
 * @author vmha - Initial contribution
 */
class HostAgentLeaseAuditTest {

    private static final String LUN = "lun-vm1";

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), 3000);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final Map<String, SimulatedHypervisor> hvs = new TreeMap<>();
    private final Map<String, HostAgent> agents = new TreeMap<>();
    private final Map<String, LeaseWatchdog> watchdogs = new TreeMap<>();


    @Test
    void aVmWhoseTableHostIsPartitionedButWhoseLeaseHolderDiedIsRestarted() {
        Map<String, ResourceVector> caps = new TreeMap<>();
        for (String h : List.of("H1", "H2", "H3")) {
            caps.put(h, ResourceVector.of(8000, 8192));
            hvs.put(h, new SimulatedHypervisor(h, caps.get(h), storage, sched,
                    new SimulatedHypervisor.Settings(500, 2000, 100), null));
        }
        Vmx vmx = new Vmx(1, 512, null, null, null, null);
        storage.provisionVolume("vm1");
        Lease first = storage.acquireLease(LUN, "H2");
        storage.writeHardware(LUN, first.generation(), vmx);
        storage.releaseLease(first);
        Lease moved = storage.acquireLease(LUN, "H3");
        hvs.get("H3").start(new StartRequest("vm1", LUN, vmx, moved.generation(), true));
        // the stale table everybody holds: vm1 on H2 at the first generation
        FailoverTable stale = new FailoverTable(1, List.of(new FailoverTableEntry("vm1", LUN, "H2", null,
                RestartPriority.HIGH, ResourceVector.of(500, 512), VmState.RUNNING, first.generation())));
        AgentConfig cfg = new AgentConfig(1000, 2500, null, null, 30_000, 4, 1000, 60_000, 5, 5);
        for (String h : caps.keySet()) {
            ReplicaStore store = ReplicaStore.inMemory();
            store.save(stale);
            LeaseWatchdog w = LeaseWatchdog.started(h, sched, hvs.get(h), 250);
            watchdogs.put(h, w);
            HostAgent a = new HostAgent(h, caps.get(h), cfg,
                    new HostRuntime(sched, transport.endpoint(h), storage, hvs.get(h), new DirectGuard(), w,
                            Runnable::run),
                    store, new FailoverPlanner(), caps);
            agents.put(h, a);
            a.start();
        }
        sched.runUntil(1_000);
        // H2 goes into maintenance (it takes no VM), then is cut from the network but keeps its datastore heartbeats:
        // partitioned, not failed
        transport.endpoint("management").publishTable(new org.vmha.api.transport.TableUpdate("management", 2, true,
                agents.get("H1").replica().entries(), new java.util.TreeSet<>(java.util.Set.of("H2"))));
        sched.runUntil(2_000);
        transport.setNetwork("H2", false);
        sched.runUntil(6_000);
        assertThat(agents.get("H1").replica().entry(LUN).orElseThrow().currentHost()).isEqualTo("H3");
        // the lost update: H1's and H3's replicas say vm1 is on H2 (H2 itself knows better, and tells nobody)
        FailoverTableEntry lost = stale.entries().get(0);
        agents.get("H1").replica().put(lost);
        agents.get("H3").replica().put(lost);
        sched.runUntil(10_000);
        assertThat(hvs.get("H3").runs(LUN)).isTrue();
        assertThat(agents.get("H1").peerStatus("H2")).hasToString("PARTITIONED");
        // H3, the real holder, dies
        agents.get("H3").stop();
        transport.endpoint("H3").unsubscribe();
        hvs.get("H3").crash();
        watchdogs.get("H3").stop();
        sched.runUntil(30_000);
        long copies = hvs.values().stream().filter(hv -> hv.runs(LUN)).count();
        assertThat(copies).as("vm1 runs again, once").isEqualTo(1);
        assertThat(hvs.get("H1").runs(LUN)).as("on the only survivor with a network").isTrue();
        assertThat(storage.inspectLease(LUN).orElseThrow().generation()).isEqualTo(moved.generation() + 1);
    }
}
