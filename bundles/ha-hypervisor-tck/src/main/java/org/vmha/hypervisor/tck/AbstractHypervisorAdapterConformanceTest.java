/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorAdapterFactory;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.ResourceUsage;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.StaleGenerationException;
import org.vmha.api.storage.StorageAdapter;

/**
 * The {@link AbstractHypervisorAdapterConformanceTest} is responsible for proving that a
 * {@link HypervisorAdapter} and its {@link HypervisorAdapterFactory} follow the SPI contract: cold start
 * and resume from the latest complete checkpoint, refusal of a second start, power off, guest shutdown,
 * reset, checkpoints written through the storage SPI under the lease generation, fencing on a stale
 * generation, listing, usage, close, and errors that name the host and the VM. Every hypervisor
 * adapter's tests extend it and implement {@link #createStorage()}, {@link #createAdapter},
 * {@link #factory()} and {@link #testVmx(String)}.
 * <p>
 * The suite asserts only what the SPI's javadoc promises. It works against a real, slow hypervisor:
 * it never sleeps for a fixed time but polls (every {@link #pollInterval()}) until a condition holds or
 * its timeout ({@link #bootTimeout()}, {@link #shutdownTimeout()}) passes, and it bounds every start
 * and checkpoint call by {@link #callTimeout()}. An adapter on virtual time overrides
 * {@link #letTimePass(Duration)}. Each test uses a fresh datastore from {@link #createStorage()}, and
 * powers off and closes every adapter it created when it ends.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public abstract class AbstractHypervisorAdapterConformanceTest {

    /** The host of most tests. */
    protected static final String HOST = "tck-h1";
    /** The host that takes VMs over. */
    protected static final String OTHER_HOST = "tck-h2";

    protected StorageAdapter storage;
    private final List<HypervisorAdapter> created = new ArrayList<>();

    /**
     * Creates a fresh, empty datastore for one test; its leases must not expire during a test.
     *
     * @return the datastore the VMs' volumes live on
     * @throws Exception if it cannot be created
     */
    protected abstract StorageAdapter createStorage() throws Exception;

    /**
     * Creates the adapter under test for one host, as the adapter's factory would.
     *
     * @param host the host the adapter runs VMs on
     * @param storage the datastore holding the volumes
     * @return a new adapter
     * @throws Exception if it cannot be created
     */
    protected abstract HypervisorAdapter createAdapter(String host, StorageAdapter storage) throws Exception;

    /** @return the adapter's factory, the service its bundle registers */
    protected abstract HypervisorAdapterFactory factory();

    /**
     * @param vm the VM name
     * @return the hardware description of a small VM this adapter can start (and resume) quickly
     */
    protected abstract Vmx testVmx(String vm);

    /**
     * Prepares a provisioned volume before its VM is started; the default writes the VMX. Adapters that
     * need more on the volume (disks) override it.
     *
     * @param lun the volume
     * @param generation the lease generation held
     * @param vmx the VM's hardware description
     */
    protected void prepareVolume(String lun, long generation, Vmx vmx) {
        storage.writeHardware(lun, generation, vmx);
    }

    /** @return the configuration map {@link #factory()} is given, empty by default */
    protected Map<String, Object> factoryConfiguration() {
        return Map.of();
    }

    /**
     * @return a setting the factory must refuse (key and bad value), or empty to skip that test; the
     *         factory's {@link IllegalArgumentException} must name the key
     */
    protected Optional<Map.Entry<String, Object>> badSetting() {
        return Optional.empty();
    }

    /** @return the clock the adapter judges time by, the system clock by default */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Whether {@link HypervisorAdapter#close()} stops the VMs (a simulated adapter) rather than leaving
     * them running (a real hypervisor).
     *
     * @return false by default
     */
    protected boolean closeStopsVms() {
        return false;
    }

    /** @return how long a started VM may take to finish booting, 60 s by default */
    protected Duration bootTimeout() {
        return Duration.ofSeconds(60);
    }

    /** @return how long a guest may take to shut down after {@code shutdownGuest}, 60 s by default */
    protected Duration shutdownTimeout() {
        return Duration.ofSeconds(60);
    }

    /** @return how long one {@code start} or {@code checkpoint} call may block, 60 s by default */
    protected Duration callTimeout() {
        return Duration.ofSeconds(60);
    }

    /** @return how often the suite looks again while it waits, 20 ms by default */
    protected Duration pollInterval() {
        return Duration.ofMillis(20);
    }

    /**
     * Lets time pass while the suite waits; the default sleeps. An adapter on virtual time advances its
     * scheduler instead.
     *
     * @param duration how long
     * @throws InterruptedException if interrupted while sleeping
     */
    protected void letTimePass(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    @BeforeEach
    void createStorageUnderTest() throws Exception {
        storage = createStorage();
    }

    @AfterEach
    void stopEverything() {
        for (HypervisorAdapter h : created) {
            try {
                for (String lun : h.runningLuns()) {
                    h.powerOff(lun);
                }
            } catch (RuntimeException e) {
                // closed already, or the test broke it: close anyway
            }
            h.close();
        }
        created.clear();
        if (storage != null) {
            storage.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * @param host the host
     * @return a new adapter for the host, closed when the test ends
     */
    protected HypervisorAdapter adapter(String host) {
        try {
            HypervisorAdapter h = createAdapter(host, storage);
            created.add(h);
            return h;
        } catch (Exception e) {
            throw new AssertionError("cannot create the adapter for " + host + ": " + e, e);
        }
    }

    /** A provisioned volume and the lease a host holds on it. */
    protected record Volume(String vm, String lun, Vmx vmx, Lease lease) {

        /** @return the lease generation */
        public long generation() {
            return lease.generation();
        }

        /**
         * @param resume whether to resume from the latest checkpoint
         * @return the start request under this lease
         */
        public StartRequest request(boolean resume) {
            return new StartRequest(vm, lun, vmx, lease.generation(), resume);
        }
    }

    /**
     * Provisions a VM's volume, takes its lease for {@code host} and prepares it.
     *
     * @param vm the VM name
     * @param host the lease holder
     * @return the volume
     */
    protected Volume volume(String vm, String host) {
        String lun = storage.provisionVolume(vm).lun();
        Lease lease = storage.acquireLease(lun, host);
        Vmx vmx = testVmx(vm);
        prepareVolume(lun, lease.generation(), vmx);
        return new Volume(vm, lun, vmx, lease);
    }

    /**
     * Hands a volume's lease over to another host: released, then acquired anew (a new generation).
     *
     * @param v the volume
     * @param host the new holder
     * @return the volume under the new lease
     */
    protected Volume takeOver(Volume v, String host) {
        storage.releaseLease(v.lease());
        Lease lease = storage.acquireLease(v.lun(), host);
        assertThat(lease.generation()).as("generation after a takeover").isGreaterThan(v.generation());
        return new Volume(v.vm(), v.lun(), v.vmx(), lease);
    }

    /** Starts a VM, bounded by {@link #callTimeout()}. */
    protected RunningVm start(HypervisorAdapter h, StartRequest request) {
        return bounded("start(" + request.lun() + ")", () -> h.start(request));
    }

    /** Checkpoints a VM, bounded by {@link #callTimeout()}. */
    protected CheckpointInfo checkpoint(HypervisorAdapter h, String lun, long generation) {
        return bounded("checkpoint(" + lun + ")", () -> h.checkpoint(lun, generation));
    }

    private <T> T bounded(String what, Callable<T> call) {
        return assertTimeoutPreemptively(callTimeout(), call::call,
                () -> what + " did not return within " + callTimeout().toMillis() + " ms");
    }

    /**
     * Polls until {@code condition} holds of what {@code probe} returns.
     *
     * @return the value that satisfied it
     */
    protected <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> condition) {
        long wallStart = System.nanoTime();
        long waitedMillis = 0;
        T last = probe.get();
        while (!condition.test(last)) {
            if (waitedMillis >= timeout.toMillis()
                    || System.nanoTime() - wallStart >= timeout.toNanos()) {
                fail("waited " + timeout.toMillis() + " ms for " + what + "; last seen: " + last);
            }
            try {
                letTimePass(pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            waitedMillis += pollInterval().toMillis();
            last = probe.get();
        }
        return last;
    }

    /** @return the VM with that lun as the adapter lists it, if it does */
    protected static Optional<RunningVm> listed(HypervisorAdapter h, String lun) {
        return h.listRunning().stream().filter(vm -> vm.lun().equals(lun)).findFirst();
    }

    /** Waits until the VM is listed and no longer booting. */
    protected RunningVm awaitBooted(HypervisorAdapter h, String lun) {
        return await(lun + " to finish booting on " + h.host(), bootTimeout(), () -> listed(h, lun),
                vm -> vm.isPresent() && !vm.get().booting()).orElseThrow();
    }

    /** Waits until the VM is no longer listed. */
    protected void awaitGone(HypervisorAdapter h, String lun, Duration timeout) {
        await(lun + " to be gone from " + h.host(), timeout, () -> listed(h, lun), Optional::isEmpty);
    }

    private CheckpointInfo latestCheckpoint(String lun) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        return storage.readLatestCheckpoint(lun, sink).orElseThrow(() -> new AssertionError(lun
                + " has no complete checkpoint"));
    }

    private static Set<String> lunsOf(List<RunningVm> vms) {
        Set<String> out = new HashSet<>();
        for (RunningVm vm : vms) {
            out.add(vm.lun());
        }
        return out;
    }

    // ------------------------------------------------------------------ factory

    @Test
    void factorySupportsItsTypeAndCreatesAnAdapterForTheHost() {
        HypervisorAdapter probe = adapter(HOST);
        HypervisorAdapterFactory f = factory();

        assertThat(f.supportsType(probe.type())).isTrue();
        assertThat(f.supportsType("no-such-hypervisor")).isFalse();
        HypervisorAdapter h = f.create(probe.type(), OTHER_HOST, factoryConfiguration(), storage, clock());
        created.add(h);
        assertThat(h.type()).isEqualTo(probe.type());
        assertThat(h.host()).isEqualTo(OTHER_HOST);
        assertThat(probe.host()).isEqualTo(HOST);
    }

    @Test
    void factoryRefusesAnUnsupportedTypeNamingIt() {
        assertThatThrownBy(() -> factory().create("no-such-hypervisor", HOST, factoryConfiguration(), storage,
                clock())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-hypervisor");
    }

    @Test
    void factoryRefusesABadSettingNamingIt() {
        Optional<Map.Entry<String, Object>> bad = badSetting();
        assumeTrue(bad.isPresent(), "the adapter's test names no bad setting");
        Map<String, Object> config = new java.util.TreeMap<>(factoryConfiguration());
        config.put(bad.get().getKey(), bad.get().getValue());
        String type = adapter(HOST).type();

        assertThatThrownBy(() -> factory().create(type, OTHER_HOST, config, storage, clock()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.get().getKey());
    }

    // ------------------------------------------------------------------ start

    @Test
    void aColdStartIsListedWithItsGenerationUntilItHasBooted() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        long before = clock().millis();

        RunningVm vm = start(h, v.request(false));

        long after = clock().millis();
        assertThat(vm.vm()).isEqualTo("vm1");
        assertThat(vm.lun()).isEqualTo(v.lun());
        assertThat(vm.generation()).isEqualTo(v.generation());
        assertThat(vm.resumedFromCheckpoint()).isEqualTo(-1);
        assertThat(vm.resumed()).isFalse();
        assertThat(vm.startedAtMillis()).isBetween(before, after);
        RunningVm listed = listed(h, v.lun()).orElseThrow(() -> new AssertionError(v.lun() + " is not listed"));
        assertThat(listed.generation()).isEqualTo(v.generation());
        assertThat(h.runningLuns()).contains(v.lun());

        RunningVm booted = awaitBooted(h, v.lun());
        assertThat(booted.vm()).isEqualTo("vm1");
        assertThat(booted.generation()).isEqualTo(v.generation());
        assertThat(booted.startedAtMillis()).isEqualTo(vm.startedAtMillis());
        assertThat(booted.resumedFromCheckpoint()).isEqualTo(-1);
    }

    @Test
    void aResumeWithoutACheckpointBootsCold() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);

        RunningVm vm = start(h, v.request(true));

        assertThat(vm.resumedFromCheckpoint()).isEqualTo(-1);
        assertThat(awaitBooted(h, v.lun()).resumedFromCheckpoint()).isEqualTo(-1);
    }

    @Test
    void aSecondStartOfARunningVmIsRefusedNamingTheVmAndHostAndLeavesItRunning() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        RunningVm first = start(h, v.request(false));

        assertThatThrownBy(() -> start(h, v.request(false))).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("vm1").hasMessageContaining(HOST);
        assertThatThrownBy(() -> start(h, v.request(true))).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("vm1").hasMessageContaining(HOST);

        assertThat(h.listRunning()).extracting(RunningVm::lun).containsExactly(v.lun());
        RunningVm still = listed(h, v.lun()).orElseThrow();
        assertThat(still.startedAtMillis()).isEqualTo(first.startedAtMillis());
        assertThat(still.generation()).isEqualTo(first.generation());
    }

    @Test
    void concurrentStartsOfOneVmLetExactlyOneWin() throws Exception {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RunningVm>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return h.start(v.request(false));
                }));
            }
            go.countDown();
            int won = 0;
            int refused = 0;
            for (Future<RunningVm> r : results) {
                try {
                    r.get(callTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    won++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(HypervisorException.class);
                    refused++;
                }
            }
            assertThat(won).isEqualTo(1);
            assertThat(refused).isEqualTo(threads - 1);
            assertThat(h.listRunning()).extracting(RunningVm::lun).containsExactly(v.lun());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aResumeOfAVolumeThatDoesNotExistIsRefusedNamingTheVmAndHost() {
        HypervisorAdapter h = adapter(HOST);
        StartRequest missing = new StartRequest("ghost", "lun-ghost", testVmx("ghost"), 1, true);

        assertThatThrownBy(() -> start(h, missing)).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("ghost").hasMessageContaining(HOST);
        assertThat(h.runningLuns()).doesNotContain("lun-ghost");
    }

    // ------------------------------------------------------------------ checkpoints and resume

    @Test
    void aCheckpointIsWrittenThroughTheStorageUnderTheLeaseGeneration() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        start(h, v.request(false));
        awaitBooted(h, v.lun());

        CheckpointInfo info = checkpoint(h, v.lun(), v.generation());

        assertThat(info.lun()).isEqualTo(v.lun());
        assertThat(info.generation()).isEqualTo(v.generation());
        assertThat(info.sequence()).isGreaterThanOrEqualTo(1);
        assertThat(storage.listCheckpoints(v.lun())).contains(info);
        CheckpointInfo next = checkpoint(h, v.lun(), v.generation());
        assertThat(next.sequence()).isGreaterThan(info.sequence());
        assertThat(next.generation()).isEqualTo(v.generation());
        assertThat(storage.listCheckpoints(v.lun())).contains(next);
        assertThat(listed(h, v.lun())).as("a checkpoint leaves the VM running").isPresent();
    }

    @Test
    void aTakenOverVmResumesFromTheLatestCompleteCheckpointUnderTheNewGeneration() {
        HypervisorAdapter h1 = adapter(HOST);
        HypervisorAdapter h2 = adapter(OTHER_HOST);
        Volume v = volume("vm1", HOST);
        start(h1, v.request(false));
        awaitBooted(h1, v.lun());
        checkpoint(h1, v.lun(), v.generation());
        checkpoint(h1, v.lun(), v.generation());
        assertThat(h1.powerOff(v.lun())).isTrue();
        long latest = latestCheckpoint(v.lun()).sequence();

        Volume taken = takeOver(v, OTHER_HOST);
        RunningVm resumed = start(h2, taken.request(true));

        assertThat(resumed.resumedFromCheckpoint()).isEqualTo(latest);
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.generation()).isEqualTo(taken.generation());
        RunningVm booted = awaitBooted(h2, v.lun());
        assertThat(booted.resumedFromCheckpoint()).isEqualTo(latest);
        assertThat(booted.generation()).isEqualTo(taken.generation());
        CheckpointInfo after = checkpoint(h2, v.lun(), taken.generation());
        assertThat(after.generation()).isEqualTo(taken.generation());
        assertThat(after.sequence()).isGreaterThan(latest);
    }

    @Test
    void aStartWithoutResumeBootsColdEvenWithCheckpoints() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        start(h, v.request(false));
        awaitBooted(h, v.lun());
        checkpoint(h, v.lun(), v.generation());
        h.powerOff(v.lun());

        RunningVm cold = start(h, v.request(false));

        assertThat(cold.resumedFromCheckpoint()).isEqualTo(-1);
        assertThat(awaitBooted(h, v.lun()).resumedFromCheckpoint()).isEqualTo(-1);
    }

    @Test
    void aCheckpointAfterATakeoverIsRefusedAsStaleAndTheVmIsFenced() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        start(h, v.request(false));
        awaitBooted(h, v.lun());
        checkpoint(h, v.lun(), v.generation());

        Volume taken = takeOver(v, OTHER_HOST);
        List<CheckpointInfo> beforeRefusal = storage.listCheckpoints(v.lun());

        // an adapter that checkpoints on its own may have learnt of the takeover first and fenced the VM
        // already: then the VM no longer runs here, which is the other error checkpoint documents
        assertThatThrownBy(() -> checkpoint(h, v.lun(), v.generation()))
                .isInstanceOfAny(StaleGenerationException.class, HypervisorException.class);
        assertThat(listed(h, v.lun())).as("fenced by the time checkpoint returned").isEmpty();
        assertThat(h.runningLuns()).doesNotContain(v.lun());
        assertThat(storage.listCheckpoints(v.lun())).isEqualTo(beforeRefusal)
                .allSatisfy(c -> assertThat(c.generation()).isLessThan(taken.generation()));
    }

    @Test
    void aVmStartedUnderAStaleGenerationNeverWritesACheckpoint() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        Volume taken = takeOver(v, OTHER_HOST);
        int before = storage.listCheckpoints(v.lun()).size();

        // the adapter may refuse at start (it checked the lease) or at the first write (the storage did)
        HypervisorException refusedAtStart = null;
        try {
            start(h, v.request(false));
        } catch (HypervisorException e) {
            refusedAtStart = e;
        }
        if (refusedAtStart == null) {
            // booted, or fenced already by a checkpoint of the adapter's own
            Optional<RunningVm> vm = await(v.lun() + " to boot or be fenced", bootTimeout(), () -> listed(h, v.lun()),
                    o -> o.isEmpty() || !o.get().booting());
            if (vm.isPresent()) {
                assertThatThrownBy(() -> checkpoint(h, v.lun(), v.generation()))
                        .isInstanceOfAny(StaleGenerationException.class, HypervisorException.class);
            }
            assertThat(listed(h, v.lun())).as("fenced by the time checkpoint returned").isEmpty();
        } else {
            assertThat(refusedAtStart).hasMessageContaining("vm1").hasMessageContaining(HOST);
            assertThat(listed(h, v.lun())).isEmpty();
        }

        assertThat(storage.listCheckpoints(v.lun())).hasSize(before)
                .allSatisfy(c -> assertThat(c.generation()).isNotEqualTo(v.generation()));
        assertThat(storage.inspectLease(v.lun()).orElseThrow().generation()).isEqualTo(taken.generation());
    }

    // ------------------------------------------------------------------ stop, shutdown, reset

    @Test
    void powerOffStopsAtOnceAndIgnoresWhatDoesNotRun() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        start(h, v.request(false));

        assertThat(h.powerOff(v.lun())).isTrue();

        assertThat(listed(h, v.lun())).isEmpty();
        assertThat(h.runningLuns()).doesNotContain(v.lun());
        assertThat(h.powerOff(v.lun())).as("a second power off").isFalse();
        assertThat(h.powerOff("lun-never-started")).isFalse();
    }

    @Test
    void aPoweredOffVmCanBeStartedAgain() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        start(h, v.request(false));
        awaitBooted(h, v.lun());
        h.powerOff(v.lun());

        RunningVm again = start(h, v.request(false));

        assertThat(again.lun()).isEqualTo(v.lun());
        assertThat(awaitBooted(h, v.lun()).generation()).isEqualTo(v.generation());
    }

    @Test
    void aGuestShutdownEndsWithTheVmGoneAndIgnoresWhatDoesNotRun() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        start(h, v.request(false));
        awaitBooted(h, v.lun());

        assertThat(h.shutdownGuest(v.lun())).isTrue();

        awaitGone(h, v.lun(), shutdownTimeout());
        assertThat(h.runningLuns()).doesNotContain(v.lun());
        assertThat(h.shutdownGuest(v.lun())).as("a shutdown of a VM that is off").isFalse();
        assertThat(h.shutdownGuest("lun-never-started")).isFalse();
    }

    @Test
    void aResetKeepsTheVmRunningHereUnderItsGeneration() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);
        start(h, v.request(false));
        awaitBooted(h, v.lun());

        h.reset(v.lun());

        RunningVm after = awaitBooted(h, v.lun());
        assertThat(after.generation()).isEqualTo(v.generation());
        assertThat(after.vm()).isEqualTo("vm1");
        assertThat(checkpoint(h, v.lun(), v.generation()).generation()).isEqualTo(v.generation());
    }

    @Test
    void operationsOnAVmThatDoesNotRunHereNameTheVmAndHost() {
        HypervisorAdapter h = adapter(HOST);

        assertThatThrownBy(() -> h.reset("lun-absent")).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("lun-absent").hasMessageContaining(HOST);
        assertThatThrownBy(() -> checkpoint(h, "lun-absent", 1)).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("lun-absent").hasMessageContaining(HOST);
        Volume v = volume("vm1", HOST);
        assertThatThrownBy(() -> checkpoint(h, v.lun(), v.generation())).isInstanceOf(HypervisorException.class)
                .hasMessageContaining(v.lun()).hasMessageContaining(HOST);
        assertThat(storage.listCheckpoints(v.lun())).isEmpty();
    }

    // ------------------------------------------------------------------ listing and usage

    @Test
    void listRunningIsInLunOrderAndRunningLunsAndUsageAgreeWithIt() {
        HypervisorAdapter h = adapter(HOST);
        assertThat(h.listRunning()).isEmpty();
        assertThat(h.runningLuns()).isEmpty();
        assertThat(h.usage().runningVms()).isZero();
        assertThat(h.usage().used()).isEqualTo(ResourceVector.ZERO);
        Volume c = volume("vm-c", HOST);
        Volume a = volume("vm-a", HOST);
        Volume b = volume("vm-b", HOST);

        start(h, c.request(false));
        start(h, a.request(false));
        start(h, b.request(true));

        List<RunningVm> vms = h.listRunning();
        assertThat(vms).extracting(RunningVm::lun).containsExactly(a.lun(), b.lun(), c.lun());
        assertThat(vms).extracting(RunningVm::vm).containsExactly("vm-a", "vm-b", "vm-c");
        assertThat(vms).extracting(RunningVm::generation).containsExactly(a.generation(), b.generation(),
                c.generation());
        Set<String> luns = h.runningLuns();
        assertThat(luns).isEqualTo(lunsOf(vms));
        assertThatThrownBy(() -> luns.add("lun-x")).isInstanceOf(UnsupportedOperationException.class);
        ResourceUsage usage = h.usage();
        assertThat(usage.runningVms()).isEqualTo(3);

        h.powerOff(b.lun());

        assertThat(h.listRunning()).extracting(RunningVm::lun).containsExactly(a.lun(), c.lun());
        assertThat(h.runningLuns()).isEqualTo(lunsOf(h.listRunning()));
        assertThat(h.usage().runningVms()).isEqualTo(2);
        h.powerOff(a.lun());
        h.powerOff(c.lun());
        assertThat(h.runningLuns()).isEmpty();
        assertThat(h.usage().runningVms()).isZero();
        assertThat(h.usage().used()).isEqualTo(ResourceVector.ZERO);
    }

    @Test
    void eachHostListsOnlyItsOwnVms() {
        HypervisorAdapter h1 = adapter(HOST);
        HypervisorAdapter h2 = adapter(OTHER_HOST);
        Volume v1 = volume("vm1", HOST);
        Volume v2 = volume("vm2", OTHER_HOST);

        start(h1, v1.request(false));
        start(h2, v2.request(false));

        assertThat(h1.listRunning()).extracting(RunningVm::lun).containsExactly(v1.lun());
        assertThat(h2.listRunning()).extracting(RunningVm::lun).containsExactly(v2.lun());
        assertThat(h1.powerOff(v2.lun())).isFalse();
        assertThat(h2.listRunning()).extracting(RunningVm::lun).containsExactly(v2.lun());
    }

    // ------------------------------------------------------------------ close

    @Test
    void aClosedAdapterStartsNothingAndClosingTwiceDoesNothing() {
        HypervisorAdapter h = adapter(HOST);
        Volume v = volume("vm1", HOST);

        h.close();
        h.close();

        assertThatThrownBy(() -> start(h, v.request(false))).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("vm1").hasMessageContaining(HOST);
    }

    @Test
    void closingASimulatedAdapterMakesItsVmsVanishWithTheirLeasesKept() {
        assumeTrue(closeStopsVms(), "a real hypervisor's VMs keep running through close()");
        HypervisorAdapter h = adapter(HOST);
        Volume v1 = volume("vm1", HOST);
        Volume v2 = volume("vm2", HOST);
        start(h, v1.request(false));
        start(h, v2.request(false));
        awaitBooted(h, v1.lun());
        CheckpointInfo saved = checkpoint(h, v1.lun(), v1.generation());

        h.close();

        assertThat(h.listRunning()).isEmpty();
        assertThat(storage.inspectLease(v1.lun()).orElseThrow()).satisfies(l -> {
            assertThat(l.owner()).isEqualTo(HOST);
            assertThat(l.generation()).isEqualTo(v1.generation());
            assertThat(l.released()).isFalse();
        });
        HypervisorAdapter h2 = adapter(OTHER_HOST);
        Volume taken = takeOver(v1, OTHER_HOST);
        assertThat(start(h2, taken.request(true)).resumedFromCheckpoint())
                .isEqualTo(latestCheckpoint(v1.lun()).sequence()).isGreaterThanOrEqualTo(saved.sequence());
    }
}
