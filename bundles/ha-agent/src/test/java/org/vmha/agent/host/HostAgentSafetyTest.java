/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.core.guard.DirectGuard;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.testkit.FaultyHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.VirtualScheduler;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.failover.AgentConfig;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.failover.ReplicaStore;

/**
 * The {@link HostAgentSafetyTest} is responsible for the audit's double-run paths on a virtual clock, each
 * driven through the production {@link HostAgent} and {@link LeaseWatchdog} with a hypervisor that fails the
 * way real ones do ({@link FaultyHypervisor}): a lease is given back, and a VM untracked, only once the
 * hypervisor confirms the VM is gone.
 *
 * @author vmha - Initial contribution
 */
class HostAgentSafetyTest {

    private static final String LUN = "lun-vm1";
    private static final long LEASE_MS = 10_000;

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), LEASE_MS);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final ResourceVector capacity = ResourceVector.of(100_000, 100_000);
    private final SimulatedHypervisor sim = new SimulatedHypervisor("H1", capacity, storage, sched,
            new SimulatedHypervisor.Settings(500, 2000, 100), null);
    private final FaultyHypervisor hv = new FaultyHypervisor(sim);
    private final List<CloudEvent> events = new ArrayList<>();
    private boolean datastoreDown;
    private LeaseWatchdog watchdog;
    private final List<String> kills = new ArrayList<>();
    private final Vmx vmx = new Vmx(1, 512, null, null, null, null);

    private final StorageAdapter agentStorage = UnreachableDatastore.whileDown(storage, () -> datastoreDown);

    HostAgentSafetyTest() {
        transport.observeEvents(events::add);
    }

    /** H1 runs vm1 (unless {@code running} is false: then its entry says it runs there but it does not). */
    private HostAgent start(AgentConfig cfg, boolean running) {
        storage.provisionVolume("vm1");
        Lease l = storage.acquireLease(LUN, "H1");
        storage.writeHardware(LUN, l.generation(), vmx);
        if (running) {
            sim.start(new StartRequest("vm1", LUN, vmx, l.generation(), false));
        } else {
            storage.releaseLease(l);
        }
        ReplicaStore store = ReplicaStore.inMemory();
        store.save(new FailoverTable(1, List.of(new FailoverTableEntry("vm1", LUN, "H1", null, RestartPriority.MEDIUM,
                ResourceVector.of(100, 100), VmState.RUNNING, l.generation()))));
        Map<String, ResourceVector> peers = new TreeMap<>(Map.of("H1", capacity, "H2", capacity));
        HostAgent a = new HostAgent("H1", capacity, cfg,
                new HostRuntime(sched, transport.endpoint("H1"), agentStorage, hv, new DirectGuard(),
                        watchdog = LeaseWatchdog.started("H1", sched, hv, cfg.heartbeatIntervalMillis() / 4),
                        Runnable::run),
                store, new FailoverPlanner(), peers);
        watchdog.onKill((f, failure) -> kills.add(f.lun() + " g" + f.generation() + (failure == null ? " killed"
                : " failed: " + failure)));
        a.start();
        return a;
    }

    private static AgentConfig config(IsolationResponse response, long shutdownTimeoutMillis) {
        return new AgentConfig(1000, 3000, response, null, 5_000, 4, 1000, 60_000, 5, 30, shutdownTimeoutMillis);
    }

    private LeaseState lease() {
        return storage.inspectLease(LUN).orElseThrow();
    }

    /** Runs to {@code until}, checking at every step that the lease is never given back while the VM runs. */
    private void runCheckingTheLeaseIsHeldWhileTheVmRuns(long until) {
        while (sched.nowMillis() < until) {
            sched.runUntil(sched.nowMillis() + 50);
            if (sim.runs(LUN)) {
                LeaseState s = lease();
                assertThat(s.isLive(sched.nowMillis()))
                        .as("at %d ms the VM runs on H1, so its lease must be held: %s", sched.nowMillis(), s).isTrue();
            }
        }
    }

    @Test
    void aPowerOffThatFailsDuringSelfFencingIsRetriedUntilTheVmIsGoneBeforeTheLeaseExpires() {
        HostAgent a = start(config(IsolationResponse.LEAVE_POWERED_ON, 300_000), true);
        sched.runUntil(5_000);
        assertThat(lease().expiresAtMillis()).isEqualTo(15_000);
        datastoreDown = true;
        hv.faults().arm(FaultyHypervisor.POWER_OFF, 1);
        // the deadline is 14.5 s: the watchdog's first power-off throws, the next one, a quarter interval later, works
        sched.runUntil(14_500);
        assertThat(sim.runs(LUN)).as("the first kill failed").isTrue();
        assertThat(a.leasedLuns()).as("still tracked while it runs").containsExactly(LUN);
        sched.runUntil(14_750);
        assertThat(sim.runs(LUN)).isFalse();
        assertThat(lease().isLive(sched.nowMillis())).as("gone before anybody else may take the volume").isTrue();
        sched.runUntil(16_000);
        assertThat(a.leasedLuns()).isEmpty();
        assertThat(hv.calls(FaultyHypervisor.POWER_OFF)).isGreaterThanOrEqualTo(2);
        // what a deployment logs: the failed kill, naming why, then the kill
        assertThat(kills).hasSize(2);
        assertThat(kills.get(0)).startsWith(LUN + " g1 failed: power-off of " + LUN + " on H1 failed");
        assertThat(kills.get(1)).isEqualTo(LUN + " g1 killed");
    }

    @Test
    void anIsolationPowerOffThatFailsIsRetriedAndTheLeaseGoesBackOnlyOnceTheVmIsGone() {
        transport.setNetwork("H1", false);
        hv.faults().arm(FaultyHypervisor.POWER_OFF, 2);
        HostAgent a = start(config(IsolationResponse.POWER_OFF, 300_000), true);
        runCheckingTheLeaseIsHeldWhileTheVmRuns(20_000);
        assertThat(a.isolationApplied()).isTrue();
        assertThat(sim.runs(LUN)).isFalse();
        assertThat(lease().released()).isTrue();
        assertThat(storage.readIsolationMarker("H1")).map(IsolationMarker::releasedLuns).hasValue(List.of(LUN));
        assertThat(events).filteredOn(e -> e.type().equals(EventTypes.HOST_ISOLATED)).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("released", List.of(LUN)));
    }

    @Test
    void aSlowGuestShutdownKeepsItsLeaseUntilTheGuestIsOff() {
        transport.setNetwork("H1", false);
        hv.guestShutdownTakes(sched, 4_000);
        HostAgent a = start(config(IsolationResponse.SHUTDOWN, 300_000), true);
        runCheckingTheLeaseIsHeldWhileTheVmRuns(16_000);
        assertThat(a.isolationApplied()).isTrue();
        assertThat(sim.runs(LUN)).isFalse();
        assertThat(lease().released()).as("given back once the guest was off").isTrue();
        assertThat(storage.readIsolationMarker("H1")).map(IsolationMarker::releasedLuns).hasValue(List.of(LUN));
        assertThat(hv.calls(FaultyHypervisor.POWER_OFF)).as("the guest went down by itself").isZero();
    }

    @Test
    void aGuestThatIgnoresTheShutdownIsPoweredOffAfterTheShutdownTimeout() {
        transport.setNetwork("H1", false);
        hv.guestShutdownTakes(sched, FaultyHypervisor.NEVER);
        start(config(IsolationResponse.SHUTDOWN, 10_000), true);
        // isolation from about 2.5 s (no peer heard past the failure timeout), response after the 5 s delay
        runCheckingTheLeaseIsHeldWhileTheVmRuns(15_000);
        assertThat(sim.runs(LUN)).as("within the shutdown timeout the guest is left alone").isTrue();
        assertThat(hv.calls(FaultyHypervisor.POWER_OFF)).isZero();
        runCheckingTheLeaseIsHeldWhileTheVmRuns(30_000);
        assertThat(sim.runs(LUN)).isFalse();
        assertThat(hv.calls(FaultyHypervisor.POWER_OFF)).isPositive();
        assertThat(lease().released()).isTrue();
    }

    @Test
    void aStartThatTimesOutButRunsLaterIsStoppedBeforeItsLeaseGoesBackAndThenRestartedOnce() {
        hv.startsRunButFail(1, r -> new AdapterCallException("hypervisor sim@" + hv.host() + " start(" + r.lun()
                + ") did not return within 5000 ms (test)", null));
        HostAgent a = start(config(IsolationResponse.LEAVE_POWERED_ON, 300_000), false);
        // the entry says H1 runs vm1 but it does not: the agent restarts it; the first start "times out"
        runCheckingTheLeaseIsHeldWhileTheVmRuns(20_000);
        assertThat(sim.runs(LUN)).as("restarted after the failed attempt").isTrue();
        assertThat(a.leasedLuns()).containsExactly(LUN);
        assertThat(lease().owner()).isEqualTo("H1");
        assertThat(lease().generation()).as("one failed attempt, one good one").isEqualTo(3);
        assertThat(sim.listRunning()).hasSize(1);
    }

    @Test
    void aStoppedAgentLeavesItsVmsToTheWatchdogWhichKillsThemBeforeTheirLeasesExpire() {
        HostAgent a = start(config(IsolationResponse.LEAVE_POWERED_ON, 300_000), true);
        sched.runUntil(5_000);
        assertThat(lease().expiresAtMillis()).isEqualTo(15_000);
        a.stop();
        sched.runUntil(14_499);
        assertThat(sim.runs(LUN)).isTrue();
        sched.runUntil(14_500);
        assertThat(sim.runs(LUN)).isFalse();
        assertThat(lease().isLive(sched.nowMillis())).isTrue();
    }

    @Test
    void aLeaseShorterThanTwoHeartbeatIntervalsIsRefusedWithAReason() {
        InMemoryStorageAdapter shortLease = new InMemoryStorageAdapter(sched.clock(), 1500);
        HostAgent a = new HostAgent("H1", capacity, AgentConfig.DEFAULTS,
                new HostRuntime(sched, transport.endpoint("H1"), shortLease, hv, new DirectGuard(),
                        LeaseWatchdog.started("H1", sched, hv, 250), Runnable::run),
                ReplicaStore.inMemory(), new FailoverPlanner(), Map.of());
        assertThatThrownBy(a::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the lease (1500 ms) must last at least two heartbeat intervals (2000 ms)");
        assertThat(AgentConfig.DEFAULTS.problemsWith(10_000, 10_000)).singleElement().asString()
                .contains("the adapter call timeout (10000 ms) must be shorter than the lease (10000 ms)");
        assertThat(AgentConfig.DEFAULTS.problemsWith(10_000, 5_000)).isEmpty();
    }
}
