/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import org.vmha.api.storage.StorageUnavailableException;

import org.vmha.api.storage.StorageAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.storage.DiskHandle;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.SnapshotInfo;
import org.vmha.api.storage.VolumeInfo;
import org.vmha.storage.tck.MutableClock;

/**
 * The {@link SharedFsAdapterTest} is responsible for what is specific to the shared-directory
 * adapter: its on-disk layout, checkpoint retention, snapshot copies, and its configuration (guards
 * with fallback, placeholders, live changes through {@code @Modified}).
 *
 * @author vmha - Initial contribution
 */
class SharedFsAdapterTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);

    @Test
    void layoutIsOneDirectoryPerVolumePlusHeartbeatAndIsolationAreas() {
        Path root = dir.resolve("ds");
        SharedFsStorageAdapter a = new SharedFsStorageAdapter(new SharedFsSettings(root, 10_000, 0, 3, "auto", true),
                clock);
        a.provisionVolume("vm1");
        Lease l = a.acquireLease("lun-vm1", "h1");
        for (int i = 0; i < 5; i++) {
            a.writeCheckpoint("lun-vm1", l.generation(), new ByteArrayInputStream(new byte[] {(byte) i}));
        }
        a.writeHardware("lun-vm1", l.generation(), new org.vmha.api.model.Vmx(1, 512, null,
                null, null, null));
        DiskHandle disk = a.createDisk("lun-vm1", l.generation(), "root", 1L << 30);
        a.createSnapshot("lun-vm1", l.generation(), "s1");
        a.writeHeartbeat("h1", 1);
        a.writeIsolationMarker(new IsolationMarker("h1", 5, "power-off", List.of("lun-vm1")));

        Path vol = root.resolve("volumes/lun-vm1");
        assertThat(vol.resolve("volume.json")).isRegularFile();
        assertThat(vol.resolve("vmx.json")).isRegularFile();
        assertThat(vol.resolve("disks/root.vdisk")).isRegularFile().satisfies(p -> assertThat(
                Files.size(p)).isEqualTo(1L << 30));
        assertThat(disk.uri()).isEqualTo(vol.resolve("disks/root.vdisk").toUri());
        assertThat(vol.resolve("snapshots/s1/snapshot.json")).isRegularFile();
        assertThat(vol.resolve("snapshots/s1/disks/root.vdisk")).isRegularFile();
        assertThat(vol.resolve("lease/gen-00000000000000000001.json")).isRegularFile();
        assertThat(root.resolve("heartbeats/h1.json")).isRegularFile();
        assertThat(root.resolve("isolation/h1.json")).isRegularFile();
        assertThat(vol.resolve("state").toFile().list()).as("3 checkpoints retained, oldest deleted")
                .containsExactlyInAnyOrder(CheckpointFiles.name(3, 1), CheckpointFiles.name(4, 1),
                        CheckpointFiles.name(5, 1));
    }

    @Test
    void snapshotIsAnIndependentCopyAndTheMethodIsRecorded() throws Exception {
        Path root = dir.resolve("ds");
        SharedFsStorageAdapter a = new SharedFsStorageAdapter(new SharedFsSettings(root, 10_000, 0, 2, "auto", true),
                clock);
        a.provisionVolume("vm1");
        Lease l = a.acquireLease("lun-vm1", "h1");
        a.createDisk("lun-vm1", l.generation(), "root", 4096);
        Path disk = root.resolve("volumes/lun-vm1/disks/root.vdisk");
        Files.write(disk, "before".getBytes());

        SnapshotInfo s = a.createSnapshot("lun-vm1", l.generation(), "s1");
        Files.write(disk, "after!".getBytes());

        assertThat(s.method()).isIn(SnapshotInfo.CopyMethod.REFLINK, SnapshotInfo.CopyMethod.COPY);
        assertThat(a.listSnapshots("lun-vm1")).containsExactly(s);
        assertThat(Files.readString(root.resolve("volumes/lun-vm1/snapshots/s1/disks/root.vdisk"))).isEqualTo("before");
        a.rollbackSnapshot("lun-vm1", l.generation(), "s1");
        assertThat(Files.readString(disk)).isEqualTo("before");

        SharedFsStorageAdapter copying = new SharedFsStorageAdapter(new SharedFsSettings(root, 10_000, 0, 2, "copy",
                true), clock);
        assertThat(copying.createSnapshot("lun-vm1", l.generation(), "s2").method())
                .isEqualTo(SnapshotInfo.CopyMethod.COPY);
    }

    @Test
    void badConfigurationValuesFallBackToDefaultsWithAMessageNamingKeyAndValue() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> raw = new HashMap<>();
        raw.put(SharedFsSettings.KEY_ROOT, dir.resolve("ds").toString());
        raw.put(SharedFsSettings.KEY_LEASE, "soon");
        raw.put(SharedFsSettings.KEY_MARGIN, -5);
        raw.put(SharedFsSettings.KEY_RETAINED, "0");
        raw.put(SharedFsSettings.KEY_SNAPSHOT_MODE, "zfs");
        raw.put(SharedFsSettings.KEY_CREATE_ROOT, "maybe");

        SharedFsSettings s = SharedFsSettings.from(raw, problems::add);

        assertThat(s.leaseDurationMillis()).isEqualTo(SharedFsConfiguration.DEFAULT_LEASE_DURATION_MILLIS);
        assertThat(s.takeoverMarginMillis()).isEqualTo(SharedFsConfiguration.DEFAULT_TAKEOVER_MARGIN_MILLIS);
        assertThat(s.checkpointsRetained()).isEqualTo(SharedFsConfiguration.DEFAULT_CHECKPOINTS_RETAINED);
        assertThat(s.snapshotMode()).isEqualTo("auto");
        assertThat(s.createRootDirectory()).isTrue();
        assertThat(problems).hasSize(5).anyMatch(p -> p.contains("leaseDurationMillis") && p.contains("soon"))
                .anyMatch(p -> p.contains("takeoverMarginMillis") && p.contains("-5"))
                .anyMatch(p -> p.contains("snapshotMode") && p.contains("zfs"));
        assertThatThrownBy(() -> new SharedFsStorageAdapterFactory().createAdapter("sharedfs", raw, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soon");
        assertThatThrownBy(() -> new SharedFsStorageAdapterFactory().createAdapter("nfs4", Map.of(), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nfs4");
        assertThat(new SharedFsStorageAdapterFactory().supportsType("sharedfs")).isTrue();
    }

    @Test
    void defaultRootIsUnderKarafData() {
        String old = System.getProperty("karaf.data");
        System.setProperty("karaf.data", dir.resolve("karaf-data").toString());
        try {
            SharedFsSettings s = SharedFsSettings.from(Map.of(), p -> {
                throw new AssertionError(p);
            });
            assertThat(s.root()).isEqualTo(dir.resolve("karaf-data/vmha/datastore"));
        } finally {
            if (old == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", old);
            }
        }
    }

    @Test
    void factoryBuildsFromItsConfigurationLenientlyAndFromTheCallersStrictly() {
        Map<String, Object> configured = Map.of(SharedFsSettings.KEY_ROOT, dir.resolve("a").toString(),
                SharedFsSettings.KEY_LEASE, "not-a-number", SharedFsSettings.KEY_MARGIN, 0L);
        SharedFsStorageAdapterFactory factory = new SharedFsStorageAdapterFactory(configured);

        // the pid's configuration: a bad value is logged and replaced by its default
        StorageAdapter fromPid = factory.createAdapter(SharedFsStorageAdapter.TYPE, Map.of(), clock);
        assertThat(fromPid.location()).isEqualTo(dir.resolve("a").toString());
        assertThat(fromPid.leaseDurationMillis()).isEqualTo(SharedFsConfiguration.DEFAULT_LEASE_DURATION_MILLIS);
        fromPid.provisionVolume("vm1");

        // the caller's own settings: a bad value is refused, naming it
        assertThatThrownBy(() -> factory.createAdapter(SharedFsStorageAdapter.TYPE,
                Map.of(SharedFsSettings.KEY_ROOT, dir.resolve("b").toString(), SharedFsSettings.KEY_LEASE, "soon"),
                clock)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soon");
        assertThatThrownBy(() -> factory.createAdapter("nfs", Map.of(), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nfs'");

        // what it created is closed when the factory goes away, whoever still holds it
        StorageAdapter second = factory.createAdapter(SharedFsStorageAdapter.TYPE, Map.of(), clock);
        assertThat(second.listVolumes()).extracting(VolumeInfo::lun).containsExactly("lun-vm1");
        assertThat(factory.openAdapters()).isEqualTo(2);
        fromPid.close();
        assertThat(factory.openAdapters()).isEqualTo(1);
        factory.deactivate();
        assertThat(factory.openAdapters()).isZero();
        assertThatThrownBy(second::listVolumes).isInstanceOf(StorageUnavailableException.class);
    }
}
