/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.DiskHandle;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseException;
import org.vmha.api.storage.LeaseExpiredException;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.storage.LeaseRenewal;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.NotFoundException;
import org.vmha.api.storage.SnapshotInfo;
import org.vmha.api.storage.StaleGenerationException;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageException;
import org.vmha.api.storage.VolumeExistsException;
import org.vmha.api.storage.VolumeInfo;

/**
 * The {@link AbstractStorageAdapterConformanceTest} is responsible for proving that a
 * {@link StorageAdapter} follows the SPI contract: volumes, hardware description, checkpoints,
 * disks, snapshots, leases with generation fencing, heartbeats and isolation markers. Every SAN
 * adapter's tests extend it and implement {@link #createAdapter(MutableClock, long)}.
 * <p>
 * The adapter must judge time only by the clock it is given; the suite moves that clock.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public abstract class AbstractStorageAdapterConformanceTest {

    /** Lease duration used by the suite, milliseconds. */
    protected static final long LEASE_MS = 10_000;

    protected MutableClock clock;
    protected StorageAdapter adapter;

    /**
     * Creates a fresh, empty adapter.
     *
     * @param clock the clock that must judge lease expiry
     * @param leaseDurationMillis the lease duration to configure
     * @return the adapter under test
     * @throws Exception if it cannot be created
     */
    protected abstract StorageAdapter createAdapter(MutableClock clock, long leaseDurationMillis) throws Exception;

    /**
     * How long past a holder's expiry an adapter waits before allowing a takeover (clock-skew
     * allowance); the suite advances the clock by this much more.
     *
     * @return milliseconds, 0 by default
     */
    protected long takeoverMarginMillis() {
        return 0;
    }

    @BeforeEach
    void createAdapterUnderTest() throws Exception {
        clock = new MutableClock(1_700_000_000_000L);
        adapter = createAdapter(clock, LEASE_MS);
    }

    @AfterEach
    void closeAdapterUnderTest() {
        if (adapter != null) {
            adapter.close();
        }
    }

    /** Moves past the current lease's expiry and the takeover margin. */
    protected void expireLease() {
        clock.advance(LEASE_MS + takeoverMarginMillis() + 1);
    }

    protected static Vmx hardware(String vmId, int vcpus) {
        return new Vmx(vcpus, 2048,
                List.of(new Vmx.Nic("prod", "00:50:56:00:00:01", "eth0")),
                List.of(new Vmx.Hba("50:01:43:80:12:34:56:78", "hba0")),
                List.of(new Vmx.Disk("lun-" + vmId, 10_240, "root", "scsi0:0")),
                Map.of("guest.os", "linux", "boot.order", "disk", "vm.id", vmId));
    }

    protected static byte[] image(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected CheckpointInfo write(String lun, long generation, byte[] data) {
        return adapter.writeCheckpoint(lun, generation, new ByteArrayInputStream(data));
    }

    protected byte[] readLatest(String lun) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(adapter.readLatestCheckpoint(lun, out)).isPresent();
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ volumes

    @Test
    void provisionedVolumesAreListedSortedAndInspectable() {
        VolumeInfo b = adapter.provisionVolume("vm-b");
        VolumeInfo a = adapter.provisionVolume("vm-a");

        assertThat(a.lun()).isEqualTo("lun-vm-a");
        assertThat(b.vmId()).isEqualTo("vm-b");
        assertThat(adapter.listVolumes()).extracting(VolumeInfo::lun).containsExactly("lun-vm-a", "lun-vm-b");
        VolumeInfo inspected = adapter.inspectVolume("lun-vm-a");
        assertThat(inspected.vmId()).isEqualTo("vm-a");
        assertThat(inspected.createdAtMillis()).isEqualTo(clock.millis());
        assertThat(inspected.hasHardware()).isFalse();
        assertThat(inspected.latestCheckpointSequence()).isZero();
    }

    @Test
    void provisioningTwiceIsRefused() {
        adapter.provisionVolume("vm1");
        assertThatThrownBy(() -> adapter.provisionVolume("vm1")).isInstanceOf(VolumeExistsException.class)
                .hasMessageContaining("lun-vm1");
    }

    @Test
    void badNamesAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> adapter.provisionVolume("../etc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vmId").hasMessageContaining("../etc");
        assertThatThrownBy(() -> adapter.inspectVolume("a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lun");
        adapter.provisionVolume("vm1");
        assertThatThrownBy(() -> adapter.acquireLease("lun-vm1", "host one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    }

    @Test
    void unknownVolumeIsNotFound() {
        assertThatThrownBy(() -> adapter.inspectVolume("lun-nope")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("lun-nope");
        assertThatThrownBy(() -> adapter.acquireLease("lun-nope", "h1")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> adapter.readLatestCheckpoint("lun-nope", OutputStream.nullOutputStream()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletedVolumeIsGoneAndNeedsTheLease() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");
        write("lun-vm1", lease.generation(), image(1000, 1));
        assertThatThrownBy(() -> adapter.deleteVolume("lun-vm1", lease.generation() + 1))
                .isInstanceOf(StaleGenerationException.class);

        adapter.deleteVolume("lun-vm1", lease.generation());

        assertThat(adapter.listVolumes()).isEmpty();
        assertThatThrownBy(() -> adapter.inspectVolume("lun-vm1")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> write("lun-vm1", lease.generation(), image(10, 1)))
                .isInstanceOf(NotFoundException.class);
    }

    // ------------------------------------------------------------------ hardware

    @Test
    void hardwareDescriptionRoundTrips() {
        adapter.provisionVolume("vm1");
        assertThat(adapter.readHardware("lun-vm1")).isEmpty();
        Lease lease = adapter.acquireLease("lun-vm1", "h1");

        adapter.writeHardware("lun-vm1", lease.generation(), hardware("vm1", 2));
        assertThat(adapter.readHardware("lun-vm1")).contains(hardware("vm1", 2));
        adapter.writeHardware("lun-vm1", lease.generation(), hardware("vm1", 4));

        assertThat(adapter.readHardware("lun-vm1")).contains(hardware("vm1", 4));
        assertThat(adapter.inspectVolume("lun-vm1").hasHardware()).isTrue();
    }

    // ------------------------------------------------------------------ checkpoints

    @Test
    void checkpointsGetIncreasingSequencesAndTheLatestIsStreamedOut() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");
        assertThat(adapter.readLatestCheckpoint("lun-vm1", OutputStream.nullOutputStream())).isEmpty();

        CheckpointInfo c1 = write("lun-vm1", lease.generation(), image(4096, 1));
        CheckpointInfo c2 = write("lun-vm1", lease.generation(), image(70_000, 2));
        CheckpointInfo c3 = write("lun-vm1", lease.generation(), new byte[0]);
        CheckpointInfo c4 = write("lun-vm1", lease.generation(), image(3 * 1024 * 1024 + 17, 4));

        assertThat(List.of(c1.sequence(), c2.sequence(), c3.sequence(), c4.sequence())).isSorted()
                .doesNotHaveDuplicates();
        assertThat(c4.generation()).isEqualTo(lease.generation());
        assertThat(c4.sizeBytes()).isEqualTo(3 * 1024 * 1024 + 17);
        assertThat(c4.checksum()).matches("crc32c:[0-9a-f]{8}");
        assertThat(c4.lun()).isEqualTo("lun-vm1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(adapter.readLatestCheckpoint("lun-vm1", out)).contains(c4);
        assertThat(out.toByteArray()).isEqualTo(image(3 * 1024 * 1024 + 17, 4));
        assertThat(adapter.inspectVolume("lun-vm1").latestCheckpointSequence()).isEqualTo(c4.sequence());
    }

    @Test
    void retainedCheckpointsAreListedOldestFirstAndReadableBySequence() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");
        write("lun-vm1", lease.generation(), image(100, 1));
        CheckpointInfo c2 = write("lun-vm1", lease.generation(), image(200, 2));
        CheckpointInfo c3 = write("lun-vm1", lease.generation(), image(300, 3));

        List<CheckpointInfo> listed = adapter.listCheckpoints("lun-vm1");
        assertThat(listed).isNotEmpty().endsWith(c3);
        assertThat(listed).extracting(CheckpointInfo::sequence).isSorted();
        assertThat(listed.size()).as("at least the previous checkpoint is retained").isGreaterThanOrEqualTo(2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(adapter.readCheckpoint("lun-vm1", c2.sequence(), out)).isEqualTo(c2);
        assertThat(out.toByteArray()).isEqualTo(image(200, 2));
        assertThatThrownBy(() -> adapter.readCheckpoint("lun-vm1", 999, OutputStream.nullOutputStream()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("999");
    }

    // ------------------------------------------------------------------ leases

    @Test
    void firstAcquireGrantsGenerationOneAndInspectShowsIt() {
        adapter.provisionVolume("vm1");
        assertThat(adapter.inspectLease("lun-vm1")).isEmpty();

        Lease lease = adapter.acquireLease("lun-vm1", "h1");

        assertThat(lease.generation()).isEqualTo(1);
        assertThat(lease.host()).isEqualTo("h1");
        assertThat(lease.expiresAtMillis()).isEqualTo(clock.millis() + LEASE_MS);
        LeaseState state = adapter.inspectLease("lun-vm1").orElseThrow();
        assertThat(state.owner()).isEqualTo("h1");
        assertThat(state.generation()).isEqualTo(1);
        assertThat(state.expiresAtMillis()).isEqualTo(lease.expiresAtMillis());
        assertThat(state.released()).isFalse();
    }

    @Test
    void liveLeaseCannotBeTakenOverEvenByTheSameHost() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");
        clock.advance(LEASE_MS - 1);

        assertThatThrownBy(() -> adapter.acquireLease("lun-vm1", "h2")).isInstanceOfSatisfying(
                LeaseHeldException.class, e -> {
                    assertThat(e.holder()).isEqualTo("h1");
                    assertThat(e.generation()).isEqualTo(lease.generation());
                    assertThat(e.expiresAtMillis()).isEqualTo(lease.expiresAtMillis());
                    assertThat(e.getMessage()).contains("lun-vm1", "h1");
                });
        assertThatThrownBy(() -> adapter.acquireLease("lun-vm1", "h1")).isInstanceOf(LeaseHeldException.class);
    }

    @Test
    void takeoverAfterExpiryGetsAHigherGenerationAndFencesTheOldHolder() {
        adapter.provisionVolume("vm1");
        Lease old = adapter.acquireLease("lun-vm1", "h1");
        write("lun-vm1", old.generation(), image(100, 1));
        expireLease();

        Lease taken = adapter.acquireLease("lun-vm1", "h2");

        assertThat(taken.generation()).isGreaterThan(old.generation());
        assertThat(adapter.inspectLease("lun-vm1").orElseThrow().owner()).isEqualTo("h2");
        assertThatThrownBy(() -> write("lun-vm1", old.generation(), image(100, 2)))
                .isInstanceOfSatisfying(StaleGenerationException.class, e -> {
                    assertThat(e.generation()).isEqualTo(old.generation());
                    assertThat(e.currentGeneration()).isEqualTo(taken.generation());
                    assertThat(e.getMessage()).contains("lun-vm1", String.valueOf(old.generation()));
                });
        assertThatThrownBy(() -> adapter.writeHardware("lun-vm1", old.generation(), hardware("vm1", 1)))
                .isInstanceOf(StaleGenerationException.class);
        assertThatThrownBy(() -> adapter.createDisk("lun-vm1", old.generation(), "d", 1))
                .isInstanceOf(StaleGenerationException.class);
        assertThatThrownBy(() -> adapter.createSnapshot("lun-vm1", old.generation(), "s"))
                .isInstanceOf(StaleGenerationException.class);
        assertThatThrownBy(() -> adapter.renewLease(old)).isInstanceOf(StaleGenerationException.class);
        assertThatThrownBy(() -> adapter.releaseLease(old)).isInstanceOf(LeaseException.class);
        assertThat(readLatest("lun-vm1")).isEqualTo(image(100, 1));
        write("lun-vm1", taken.generation(), image(100, 3));
        assertThat(readLatest("lun-vm1")).isEqualTo(image(100, 3));
    }

    @Test
    void expiredHolderIsRefusedEvenWithoutATakeover() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");
        clock.advance(LEASE_MS);

        assertThatThrownBy(() -> write("lun-vm1", lease.generation(), image(10, 1)))
                .isInstanceOf(LeaseExpiredException.class).hasMessageContaining("lun-vm1");
        assertThatThrownBy(() -> adapter.renewLease(lease)).isInstanceOf(LeaseExpiredException.class);
        assertThat(adapter.listCheckpoints("lun-vm1")).isEmpty();
    }

    @Test
    void renewalExtendsTheLease() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");
        clock.advance(LEASE_MS - 100);

        Lease renewed = adapter.renewLease(lease);
        clock.advance(LEASE_MS - 100);

        assertThat(renewed.generation()).isEqualTo(lease.generation());
        assertThat(renewed.expiresAtMillis()).isEqualTo(lease.expiresAtMillis() + LEASE_MS - 100);
        write("lun-vm1", renewed.generation(), image(10, 1));
        assertThat(adapter.inspectLease("lun-vm1").orElseThrow().expiresAtMillis())
                .isEqualTo(renewed.expiresAtMillis());
        assertThatThrownBy(() -> adapter.acquireLease("lun-vm1", "h2")).isInstanceOf(LeaseHeldException.class);
    }

    @Test
    void batchRenewalRenewsEachLeaseAsRenewLeaseDoesAndReportsEachFailureInOrder() {
        adapter.provisionVolume("vm1");
        adapter.provisionVolume("vm2");
        adapter.provisionVolume("vm3");
        Lease live = adapter.acquireLease("lun-vm1", "h1");
        Lease stale = adapter.acquireLease("lun-vm2", "h1");
        Lease released = adapter.acquireLease("lun-vm3", "h1");
        adapter.releaseLease(stale);
        Lease taken = adapter.acquireLease("lun-vm2", "h2");
        adapter.releaseLease(released);
        clock.advance(LEASE_MS - 100);

        List<LeaseRenewal> out = adapter.renewLeases(List.of(live, stale, released));

        assertThat(out).extracting(LeaseRenewal::lease).containsExactly(live, stale, released);
        assertThat(out.get(0).failure()).isNull();
        assertThat(out.get(0).renewed().generation()).isEqualTo(live.generation());
        assertThat(out.get(0).renewed().expiresAtMillis()).isEqualTo(live.expiresAtMillis() + LEASE_MS - 100);
        assertThat(adapter.inspectLease("lun-vm1").orElseThrow().expiresAtMillis())
                .isEqualTo(out.get(0).renewed().expiresAtMillis());
        assertThat(out.get(1).renewed()).isNull();
        assertThat(out.get(1).failure()).isInstanceOf(StaleGenerationException.class).hasMessageContaining("lun-vm2");
        assertThat(out.get(2).failure()).isInstanceOf(LeaseExpiredException.class).hasMessageContaining("released");
        assertThat(adapter.inspectLease("lun-vm2").orElseThrow().owner()).isEqualTo(taken.host());
        assertThat(adapter.renewLeases(List.of())).isEmpty();
    }

    @Test
    void releasedLeaseCanBeAcquiredAtOnceAndItsGenerationIsDead() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");

        adapter.releaseLease(lease);

        assertThat(adapter.inspectLease("lun-vm1").orElseThrow().released()).isTrue();
        assertThatThrownBy(() -> write("lun-vm1", lease.generation(), image(10, 1)))
                .isInstanceOf(LeaseExpiredException.class).hasMessageContaining("released");
        Lease next = adapter.acquireLease("lun-vm1", "h2");
        assertThat(next.generation()).isEqualTo(lease.generation() + 1);
    }

    @Test
    void writesWithANeverGrantedGenerationAreRefused() {
        adapter.provisionVolume("vm1");
        assertThatThrownBy(() -> write("lun-vm1", 1, image(10, 1))).isInstanceOf(StaleGenerationException.class)
                .hasMessageContaining("lun-vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");
        assertThatThrownBy(() -> write("lun-vm1", lease.generation() + 5, image(10, 1)))
                .isInstanceOf(StaleGenerationException.class);
    }

    @Test
    void generationsStrictlyIncreaseOverManyOwnershipChanges() {
        adapter.provisionVolume("vm1");
        List<Long> generations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Lease lease = adapter.acquireLease("lun-vm1", "h" + (i % 3));
            generations.add(lease.generation());
            if (i % 2 == 0) {
                adapter.releaseLease(lease);
            } else {
                expireLease();
            }
        }
        assertThat(generations).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(generations.get(0)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ disks

    @Test
    void disksAreCreatedAndListedByName() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");

        adapter.createDisk("lun-vm1", lease.generation(), "data", 1 << 20);
        DiskHandle root = adapter.createDisk("lun-vm1", lease.generation(), "root", 4 << 20);

        assertThat(root.uri()).isNotNull();
        assertThat(root.sizeBytes()).isEqualTo(4 << 20);
        assertThat(adapter.listDisks("lun-vm1")).extracting(DiskHandle::name).containsExactly("data", "root");
        assertThat(adapter.inspectVolume("lun-vm1").diskCount()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ snapshots

    @Test
    void snapshotCapturesHardwareAndStateAndRollbackRestoresThem() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");
        adapter.writeHardware("lun-vm1", lease.generation(), hardware("vm1", 2));
        CheckpointInfo before = write("lun-vm1", lease.generation(), image(5000, 1));
        adapter.createDisk("lun-vm1", lease.generation(), "root", 4096);

        SnapshotInfo snap = adapter.createSnapshot("lun-vm1", lease.generation(), "before-upgrade");
        adapter.writeHardware("lun-vm1", lease.generation(), hardware("vm1", 8));
        CheckpointInfo after = write("lun-vm1", lease.generation(), image(6000, 2));
        adapter.createDisk("lun-vm1", lease.generation(), "extra", 4096);

        assertThat(snap.checkpointSequence()).isEqualTo(before.sequence());
        assertThat(snap.generation()).isEqualTo(lease.generation());
        assertThat(adapter.listSnapshots("lun-vm1")).extracting(SnapshotInfo::name).containsExactly("before-upgrade");
        assertThatThrownBy(() -> adapter.createSnapshot("lun-vm1", lease.generation(), "before-upgrade"))
                .isInstanceOf(StorageException.class).hasMessageContaining("before-upgrade");

        adapter.rollbackSnapshot("lun-vm1", lease.generation(), "before-upgrade");

        assertThat(adapter.readHardware("lun-vm1")).contains(hardware("vm1", 2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CheckpointInfo restored = adapter.readLatestCheckpoint("lun-vm1", out).orElseThrow();
        assertThat(out.toByteArray()).isEqualTo(image(5000, 1));
        assertThat(restored.sequence()).as("rollback commits a new checkpoint").isGreaterThan(after.sequence());
        assertThat(adapter.listDisks("lun-vm1")).extracting(DiskHandle::name).containsExactly("root");

        adapter.deleteSnapshot("lun-vm1", lease.generation(), "before-upgrade");
        assertThat(adapter.listSnapshots("lun-vm1")).isEmpty();
        assertThatThrownBy(() -> adapter.rollbackSnapshot("lun-vm1", lease.generation(), "before-upgrade"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("before-upgrade");
    }

    @Test
    void snapshotOfAnEmptyVolumeRollsBackToEmpty() {
        adapter.provisionVolume("vm1");
        Lease lease = adapter.acquireLease("lun-vm1", "h1");
        SnapshotInfo snap = adapter.createSnapshot("lun-vm1", lease.generation(), "empty");
        adapter.writeHardware("lun-vm1", lease.generation(), hardware("vm1", 2));

        adapter.rollbackSnapshot("lun-vm1", lease.generation(), "empty");

        assertThat(snap.checkpointSequence()).isZero();
        assertThat(adapter.readHardware("lun-vm1")).isEmpty();
    }

    // ------------------------------------------------------------------ heartbeats

    @Test
    void heartbeatsAreReadPerHostSortedWithTheirLatestSequenceAndTime() {
        assertThat(adapter.readHeartbeats()).isEmpty();
        adapter.writeHeartbeat("h2", 1);
        adapter.writeHeartbeat("h1", 7);
        clock.advance(1000);
        HeartbeatRecord latest = adapter.writeHeartbeat("h2", 2);

        assertThat(latest).isEqualTo(new HeartbeatRecord("h2", 2, clock.millis()));
        assertThat(adapter.readHeartbeats()).containsExactly(new HeartbeatRecord("h1", 7, clock.millis() - 1000),
                new HeartbeatRecord("h2", 2, clock.millis()));
        assertThat(adapter.readHeartbeat("h1")).map(HeartbeatRecord::sequence).contains(7L);
        assertThat(adapter.readHeartbeat("h3")).isEmpty();
    }

    @Test
    void isolationMarkersAreWrittenReadAndCleared() {
        assertThat(adapter.readIsolationMarker("h1")).isEmpty();
        IsolationMarker marker = new IsolationMarker("h1", clock.millis(), "power-off", List.of("lun-b", "lun-a"));

        adapter.writeIsolationMarker(marker);

        Optional<IsolationMarker> read = adapter.readIsolationMarker("h1");
        assertThat(read).contains(marker);
        assertThat(read.orElseThrow().releasedLuns()).containsExactly("lun-a", "lun-b");
        assertThat(adapter.readIsolationMarker("h2")).isEmpty();
        adapter.clearIsolationMarker("h1");
        adapter.clearIsolationMarker("h1");
        assertThat(adapter.readIsolationMarker("h1")).isEmpty();
    }

    @Test
    void aFailureOnOneVolumeDoesNotAffectAnother() {
        adapter.provisionVolume("vm1");
        adapter.provisionVolume("vm2");
        Lease l2 = adapter.acquireLease("lun-vm2", "h1");
        assertThatThrownBy(() -> write("lun-vm1", 3, image(10, 1))).isInstanceOf(StaleGenerationException.class);

        write("lun-vm2", l2.generation(), image(10, 2));

        assertThat(readLatest("lun-vm2")).isEqualTo(image(10, 2));
    }
}
