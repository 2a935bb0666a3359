/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.hypervisor.RunningVm;
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
import org.vmha.core.guard.TimeoutGuard;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.testkit.DelegatingHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.api.time.ExecutorTaskScheduler;
import org.vmha.core.time.MonotonicClock;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.failover.AgentConfig;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.failover.ReplicaStore;

/**
 * The {@link HostAgentFencingThreadsTest} is responsible for finding 1 of the safety audit with real threads, as
 * the agent runs in Karaf: the agent's thread blocks in storage calls that hang (each given up by the
 * {@link TimeoutGuard} only after its timeout), so the agent cannot fence on its own thread in time; the
 * {@link LeaseWatchdog}, on a thread and a monotonic clock of its own, kills the VM before the datastore lease
 * expires, so no peer can ever start a second copy. Also a start that takes longer than the lease keeps its
 * lease renewed while it runs.
 *
 * @author vmha - Initial contribution
 */
class HostAgentFencingThreadsTest {

    private static final String LUN = "lun-vm1";
    private static final long INTERVAL_MS = 100;
    private static final long LEASE_MS = 1_000;

    private final Clock clock = Clock.systemUTC();
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(clock, LEASE_MS);
    private final ScheduledExecutorService agentThread = Executors.newSingleThreadScheduledExecutor();
    private final ScheduledExecutorService fenceThread = Executors.newSingleThreadScheduledExecutor();
    private final ScheduledExecutorService vmThread = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorTaskScheduler agentScheduler = new ExecutorTaskScheduler(clock, agentThread);
    private final InMemoryTransport transport = new InMemoryTransport(agentScheduler, 1, 0, 0, 0);
    private final TimeoutGuard guard = new TimeoutGuard("test-guard", 4, 64, 800);
    private final ResourceVector capacity = ResourceVector.of(100_000, 100_000);
    private final AtomicLong stoppedAt = new AtomicLong(-1);
    private final SimulatedHypervisor hv = new SimulatedHypervisor("H1", capacity, storage,
            new ExecutorTaskScheduler(clock, vmThread), new SimulatedHypervisor.Settings(0, 0, 100),
            new SimulatedHypervisor.Listener() {
                @Override
                public void started(String host, RunningVm vm) {
                }

                @Override
                public void stopped(String host, String lun, String reason) {
                    stoppedAt.compareAndSet(-1, clock.millis());
                }
            });
    private final CountDownLatch unhang = new CountDownLatch(1);
    private volatile boolean hang;
    private volatile long startTakesMillis;
    private volatile long readHardwareTakesMillis;
    private final java.util.concurrent.ExecutorService restarts = Executors.newFixedThreadPool(2);
    private LeaseWatchdog watchdog;
    private HostAgent agent;

    /** The agent's datastore: while {@link #hang}, every call blocks until the test ends (the guard gives up). */
    private final StorageAdapter hangingStorage = (StorageAdapter) Proxy.newProxyInstance(
            StorageAdapter.class.getClassLoader(), new Class<?>[] {StorageAdapter.class}, (proxy, m, args) -> {
                if (hang && !m.getName().equals("type") && !m.getName().equals("leaseDurationMillis")) {
                    unhang.await();
                }
                if (m.getName().equals("readHardware")) {
                    busy(readHardwareTakesMillis);
                }
                try {
                    return m.invoke(storage, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });

    @AfterEach
    void tearDown() throws Exception {
        unhang.countDown();
        if (agent != null) {
            agentThread.submit(agent::stop).get(5, TimeUnit.SECONDS);
        }
        if (watchdog != null) {
            watchdog.stop();
        }
        hv.close();
        guard.close();
        agentThread.shutdownNow();
        restarts.shutdownNow();
        fenceThread.shutdownNow();
        vmThread.shutdownNow();
    }

    private void startAgent(boolean vmRunning) throws Exception {
        Vmx vmx = new Vmx(1, 512, null, null, null, null);
        storage.provisionVolume("vm1");
        Lease l = storage.acquireLease(LUN, "H1");
        storage.writeHardware(LUN, l.generation(), vmx);
        if (vmRunning) {
            hv.start(new StartRequest("vm1", LUN, vmx, l.generation(), false));
        } else {
            storage.releaseLease(l);
        }
        ReplicaStore store = ReplicaStore.inMemory();
        store.save(new FailoverTable(1, List.of(new FailoverTableEntry("vm1", LUN, "H1", null, RestartPriority.MEDIUM,
                ResourceVector.of(100, 100), VmState.RUNNING, l.generation()))));
        AgentConfig cfg = new AgentConfig(INTERVAL_MS, 3 * INTERVAL_MS, null, null, 30_000, 4, INTERVAL_MS, 10_000, 5,
                30);
        watchdog = LeaseWatchdog.started("H1", new ExecutorTaskScheduler(new MonotonicClock(), fenceThread), hv, 10);
        agent = new HostAgent("H1", capacity, cfg,
                new HostRuntime(agentScheduler, transport.endpoint("H1"), hangingStorage, new SlowStarts(hv), guard,
                        watchdog, restarts),
                store, new FailoverPlanner(), Map.of("H1", capacity));
        agentThread.submit(agent::start).get(5, TimeUnit.SECONDS);
    }

    private static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + timeoutMillis + " ms: " + what);
            }
            Thread.onSpinWait();
            Thread.sleep(1); // polling interval, not a wait for an outcome
        }
    }

    @Test
    void hungStorageCallsDoNotDelayTheKillPastTheLease() throws Exception {
        startAgent(true);
        long first = storage.inspectLease(LUN).orElseThrow().expiresAtMillis();
        await("a renewal", 3_000, () -> storage.inspectLease(LUN).orElseThrow().expiresAtMillis() > first);
        hang = true;
        LeaseState atHang = storage.inspectLease(LUN).orElseThrow();
        await("the VM killed", 5_000, () -> stoppedAt.get() >= 0);
        LeaseState now = storage.inspectLease(LUN).orElseThrow();
        assertThat(now.generation()).isEqualTo(atHang.generation());
        // renewals may have gone through between the read above and the hang taking effect, never after it
        assertThat(stoppedAt.get()).as("killed before the datastore lease expired (%s)", now)
                .isLessThan(now.expiresAtMillis());
        assertThat(watchdog.kills()).isEqualTo(1);
    }

    @Test
    void aRestartSlowerThanTheLeaseKeepsItsLeaseRenewedWhileItRuns() throws Exception {
        // each call within the guard's 800 ms timeout, together longer than the 1 s lease
        readHardwareTakesMillis = 700;
        startTakesMillis = 700;
        startAgent(false);
        // the agent restarts vm1 (its entry says H1 runs it) on a restart thread, for longer than a lease
        await("the slow start done", 10_000, () -> hv.runs(LUN) && agentSnapshot().contains(LUN));
        LeaseState l = storage.inspectLease(LUN).orElseThrow();
        assertThat(l.owner()).isEqualTo("H1");
        assertThat(l.generation()).as("the lease taken for the start, never lost meanwhile").isEqualTo(2);
        assertThat(l.isLive(clock.millis())).isTrue();
        assertThat(watchdog.kills()).isZero();
        assertThat(stoppedAt.get()).isEqualTo(-1);
    }

    private java.util.Set<String> agentSnapshot() {
        try {
            return agentThread.submit(() -> java.util.Set.copyOf(agent.leasedLuns())).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts that take {@link #startTakesMillis} on the calling thread before the VM runs. */
    private final class SlowStarts extends DelegatingHypervisor {

        SlowStarts(SimulatedHypervisor delegate) {
            super(delegate);
        }

        @Override
        public RunningVm start(StartRequest request) {
            busy(startTakesMillis);
            return super.start(request);
        }
    }

    /** Keeps the calling thread busy, as a slow adapter call does (the agent's own thread stays free). */
    private static void busy(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
