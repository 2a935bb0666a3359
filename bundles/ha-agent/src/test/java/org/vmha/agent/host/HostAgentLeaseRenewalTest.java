/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StorageAdapter;
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
 * The {@link HostAgentLeaseRenewalTest} is responsible for the agent's lease renewal on a virtual
 * clock: a lease is renewed only once at most half of it (at least two heartbeat intervals) is left,
 * a VM the hypervisor lost is given back at the next heartbeat whether or not its lease is due, and a
 * host whose datastore is unreachable has its VM killed by the watchdog half an interval before the lease
 * expires, counted from the start of the last successful renewal.
 *
 * @author vmha - Initial contribution
 */
class HostAgentLeaseRenewalTest {

    private static final String LUN = "lun-vm1";
    private static final long LEASE_MS = 10_000;

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), LEASE_MS);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final ResourceVector capacity = ResourceVector.of(100_000, 100_000);
    private final SimulatedHypervisor hv = new SimulatedHypervisor("H1", capacity, storage, sched,
            new SimulatedHypervisor.Settings(500, 2000, 100), null);
    private boolean datastoreDown;

    /** The agent's view of the datastore: fails like an unreachable one while {@link #datastoreDown}. */
    private final StorageAdapter agentStorage = UnreachableDatastore.whileDown(storage, () -> datastoreDown);

    private HostAgent start() {
        Vmx vmx = new Vmx(1, 512, null, null, null, null);
        storage.provisionVolume("vm1");
        Lease l = storage.acquireLease(LUN, "H1");
        storage.writeHardware(LUN, l.generation(), vmx);
        hv.start(new StartRequest("vm1", LUN, vmx, l.generation(), false));
        ReplicaStore store = ReplicaStore.inMemory();
        store.save(new FailoverTable(1, List.of(new FailoverTableEntry("vm1", LUN, "H1", null, RestartPriority.MEDIUM,
                ResourceVector.of(100, 100), VmState.RUNNING, l.generation()))));
        AgentConfig cfg = new AgentConfig(1000, 3000, null, null, 30_000, 4, 1000, 60_000, 5, 30);
        HostAgent a = new HostAgent("H1", capacity, cfg,
                new HostRuntime(sched, transport.endpoint("H1"), agentStorage, hv, new DirectGuard(),
                        LeaseWatchdog.started("H1", sched, hv, cfg.heartbeatIntervalMillis() / 4), Runnable::run),
                store, new FailoverPlanner(), Map.of("H1", capacity));
        a.start();
        return a;
    }

    private LeaseState lease() {
        return storage.inspectLease(LUN).orElseThrow();
    }

    @Test
    void aLeaseIsRenewedOnlyWhenAtMostHalfOfItIsLeft() {
        HostAgent a = start();
        // granted at 0 until 10 s; the heartbeats at 1 s ... 4 s find 9 s ... 6 s left: not due
        sched.runUntil(4_999);
        assertThat(lease().expiresAtMillis()).isEqualTo(10_000);
        // at 5 s half of it is left
        sched.runUntil(5_000);
        assertThat(lease().expiresAtMillis()).isEqualTo(15_000);
        sched.runUntil(9_999);
        assertThat(lease().expiresAtMillis()).isEqualTo(15_000);
        sched.runUntil(10_000);
        assertThat(lease().expiresAtMillis()).isEqualTo(20_000);
        assertThat(lease().generation()).isEqualTo(1);
        assertThat(a.leasedLuns()).containsExactly(LUN);
        assertThat(hv.runs(LUN)).isTrue();
    }

    @Test
    void aVmTheHypervisorLostIsGivenBackAtTheNextHeartbeatThoughItsLeaseIsNotDue() {
        HostAgent a = start();
        sched.runUntil(1_500);
        hv.powerOff(LUN);
        sched.runUntil(1_999);
        assertThat(lease().released()).isFalse();
        assertThat(a.leasedLuns()).containsExactly(LUN);
        // the heartbeat at 2 s: 8 s of the lease are left, yet it goes back to the cluster, and this host,
        // the only one, restarts the protected VM under a new generation at once
        sched.runUntil(2_000);
        assertThat(lease().generation()).isEqualTo(2);
        assertThat(lease().owner()).isEqualTo("H1");
        assertThat(a.leasedLuns()).containsExactly(LUN);
        sched.runUntil(3_000);
        assertThat(hv.runs(LUN)).isTrue();
    }

    @Test
    void aHostThatCannotRenewHasItsVmKilledHalfAnIntervalBeforeTheLeaseExpires() {
        start();
        sched.runUntil(5_000);
        assertThat(lease().expiresAtMillis()).isEqualTo(15_000);
        datastoreDown = true;
        // due from 10 s on; the renewals at 10 ... 14 s fail, the VM keeps running
        sched.runUntil(14_499);
        assertThat(hv.runs(LUN)).isTrue();
        // the deadline of the renewal that started at 5 s: 5 s + 10 s lease - 0.5 s margin
        sched.runUntil(14_500);
        assertThat(hv.runs(LUN)).isFalse();
        assertThat(lease().isLive(sched.nowMillis())).as("still live: nobody else may hold it yet").isTrue();
    }
}
