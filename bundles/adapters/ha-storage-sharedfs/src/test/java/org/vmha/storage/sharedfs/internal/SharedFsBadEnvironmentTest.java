/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.CorruptCheckpointException;
import org.vmha.api.storage.CorruptDataException;
import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.StorageUnavailableException;
import org.vmha.api.storage.VolumeInfo;
import org.vmha.storage.tck.MutableClock;

/**
 * The {@link SharedFsBadEnvironmentTest} is responsible for showing that a damaged or hostile
 * datastore (missing directory, permission denied, disk full, garbage and corrupt files) gives a
 * clear error naming what and where, never loses the last good state, and leaves the other volumes
 * served.
 *
 * @author vmha - Initial contribution
 */
class SharedFsBadEnvironmentTest {

    @TempDir
    Path dir;

    private MutableClock clock;

    @BeforeEach
    void clock() {
        clock = new MutableClock(1_700_000_000_000L);
    }

    private SharedFsStorageAdapter adapter(Path root, boolean createRoot) {
        return new SharedFsStorageAdapter(new SharedFsSettings(root, 60_000, 0, 2, "copy", createRoot), clock);
    }

    private static byte[] image(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static CheckpointInfo write(SharedFsStorageAdapter a, Lease l, byte[] data) {
        return a.writeCheckpoint(l.lun(), l.generation(), new ByteArrayInputStream(data));
    }

    private static byte[] latest(SharedFsStorageAdapter a, String lun) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.readLatestCheckpoint(lun, out).orElseThrow();
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ missing directory

    @Test
    void missingRootIsReportedByTheFactoryAndByEveryCall() {
        Path missing = dir.resolve("not-mounted");

        assertThatThrownBy(() -> new SharedFsStorageAdapterFactory().createAdapter("sharedfs", Map.of(
                SharedFsSettings.KEY_ROOT, missing.toString(), SharedFsSettings.KEY_CREATE_ROOT, "false"), clock))
                .isInstanceOf(StorageUnavailableException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("createRootDirectory=false (is the share mounted?)");
        SharedFsStorageAdapter a = adapter(missing, false);
        assertThatThrownBy(a::listVolumes).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("missing");
        assertThatThrownBy(() -> a.writeHeartbeat("h1", 1)).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("heartbeats");
        assertThat(Files.exists(missing)).as("an unmounted share is not created on the local disk").isFalse();
    }

    @Test
    void rootThatDisappearsAndComesBackIsServedAgain() throws IOException {
        Path root = Files.createDirectories(dir.resolve("ds"));
        SharedFsStorageAdapter a = adapter(root, false);
        a.provisionVolume("vm1");
        Path away = dir.resolve("ds-unmounted");
        Files.move(root, away);

        assertThatThrownBy(() -> a.inspectVolume("lun-vm1")).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining(root.toString());
        assertThatThrownBy(a::readHeartbeats).isInstanceOf(StorageUnavailableException.class);

        Files.move(away, root);
        assertThat(a.listVolumes()).extracting(VolumeInfo::lun).containsExactly("lun-vm1");
    }

    // ------------------------------------------------------------------ permission denied

    @Test
    void permissionDeniedOnOneVolumeKeepsItsStateAndTheOthersServed() throws Exception {
        Path root = dir.resolve("ds");
        SharedFsStorageAdapter a = adapter(root, true);
        a.provisionVolume("vm1");
        a.provisionVolume("vm2");
        Lease l1 = a.acquireLease("lun-vm1", "h1");
        Lease l2 = a.acquireLease("lun-vm2", "h1");
        write(a, l1, image(1000, 1));
        Path state = root.resolve("volumes/lun-vm1/state");
        boolean root0 = "root".equals(System.getProperty("user.name"));
        // root ignores permission bits, so as root the directory is made immutable instead (EPERM)
        Assumptions.assumeTrue(root0 ? run("chattr", "+i", state.toString()) == 0
                : state.toFile().setWritable(false), "cannot make " + state + " unwritable on this filesystem");
        try {
            assertThatThrownBy(() -> write(a, l1, image(1000, 2))).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("lun-vm1").hasMessageContaining(state.toString())
                    .hasMessageMatching("(?s).*(permission denied|not permitted).*");
            assertThat(latest(a, "lun-vm1")).isEqualTo(image(1000, 1));
            write(a, l2, image(500, 3));
            assertThat(latest(a, "lun-vm2")).isEqualTo(image(500, 3));
            assertThat(a.listVolumes()).hasSize(2);
        } finally {
            if (root0) {
                run("chattr", "-i", state.toString());
            } else {
                Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        write(a, l1, image(1000, 4));
        assertThat(latest(a, "lun-vm1")).isEqualTo(image(1000, 4));
    }

    // ------------------------------------------------------------------ disk full

    @Test
    void fullDiskFailsTheWriteCleanlyAndKeepsThePreviousCheckpoint() throws Exception {
        Path mount = dir.resolve("small");
        Files.createDirectories(mount);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()) == 0,
                "mounting a 1 MB tmpfs is not permitted here, so a full disk cannot be simulated");
        try {
            SharedFsStorageAdapter a = adapter(mount.resolve("ds"), true);
            a.provisionVolume("vm1");
            a.provisionVolume("vm2");
            Lease l1 = a.acquireLease("lun-vm1", "h1");
            Lease l2 = a.acquireLease("lun-vm2", "h1");
            write(a, l1, image(200_000, 1));

            assertThatThrownBy(() -> write(a, l1, image(2_000_000, 2)))
                    .isInstanceOf(StorageUnavailableException.class).hasMessageContaining("disk full")
                    .hasMessageContaining("lun-vm1");

            assertThat(latest(a, "lun-vm1")).isEqualTo(image(200_000, 1));
            try (Stream<Path> s = Files.list(mount.resolve("ds/volumes/lun-vm1/state"))) {
                assertThat(s.map(p -> p.getFileName().toString())).as("the partial file was removed")
                        .noneMatch(n -> n.startsWith("."));
            }
            write(a, l2, image(10_000, 3));
            assertThat(latest(a, "lun-vm2")).isEqualTo(image(10_000, 3));
            assertThat(a.writeHeartbeat("h1", 5).sequence()).isEqualTo(5);
        } finally {
            run("umount", mount.toString());
        }
    }

    // ------------------------------------------------------------------ garbage and corruption

    @Test
    void garbageFilesGiveClearErrorsAndOtherVolumesAreServed() throws IOException {
        Path root = dir.resolve("ds");
        SharedFsStorageAdapter a = adapter(root, true);
        a.provisionVolume("vm1");
        a.provisionVolume("vm2");
        a.provisionVolume("vm3");
        Lease l1 = a.acquireLease("lun-vm1", "h1");
        Lease l2 = a.acquireLease("lun-vm2", "h1");
        CheckpointInfo good = write(a, l1, image(3000, 1));
        write(a, l2, image(3000, 2));
        Path vol1 = root.resolve("volumes/lun-vm1");
        Files.writeString(vol1.resolve("vmx.json"), "{\n  \"generation\": 1,\n  \"hardware\": {not json\n");
        Files.write(vol1.resolve("state/random.bin"), image(100, 9));
        Files.write(vol1.resolve("state").resolve(CheckpointFiles.name(good.sequence() + 1, l1.generation())),
                image(5000, 9));
        Files.writeString(root.resolve("volumes/lun-vm3/volume.json"), "garbage");
        Files.createDirectories(root.resolve("volumes/junk-dir"));
        Files.writeString(root.resolve("heartbeats/h9.json"), "[1,2,3]");
        a.writeHeartbeat("h1", 4);

        assertThatThrownBy(() -> a.readHardware("lun-vm1")).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(vol1.resolve("vmx.json").toString()).hasMessageContaining("line 3");
        assertThatThrownBy(() -> a.readLatestCheckpoint("lun-vm1", OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(CorruptCheckpointException.class, e -> {
                    assertThat(e.sequence()).isEqualTo(good.sequence() + 1);
                    assertThat(e.getMessage()).contains("lun-vm1", "trailer");
                });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(a.readCheckpoint("lun-vm1", good.sequence(), out)).isEqualTo(good);
        assertThat(out.toByteArray()).isEqualTo(image(3000, 1));
        assertThat(a.listCheckpoints("lun-vm1")).containsExactly(good);
        assertThatThrownBy(() -> a.inspectVolume("lun-vm3")).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("volume.json");
        assertThat(a.listVolumes()).extracting(VolumeInfo::lun).containsExactly("lun-vm1", "lun-vm2");
        assertThat(latest(a, "lun-vm2")).isEqualTo(image(3000, 2));
        assertThat(a.readHeartbeats()).extracting(HeartbeatRecord::host).containsExactly("h1");

        CheckpointInfo next = write(a, l1, image(3000, 5));
        assertThat(next.sequence()).as("a new checkpoint supersedes the garbage").isEqualTo(good.sequence() + 2);
        assertThat(latest(a, "lun-vm1")).isEqualTo(image(3000, 5));
    }

    @Test
    void flippedOrTruncatedCheckpointIsReportedAndThePreviousStaysReadable() throws IOException {
        Path root = dir.resolve("ds");
        SharedFsStorageAdapter a = adapter(root, true);
        a.provisionVolume("vm1");
        Lease l = a.acquireLease("lun-vm1", "h1");
        CheckpointInfo first = write(a, l, image(300_000, 1));
        CheckpointInfo second = write(a, l, image(300_000, 2));
        Path file = root.resolve("volumes/lun-vm1/state").resolve(CheckpointFiles.name(second.sequence(),
                second.generation()));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(1234);
            int b = f.read();
            f.seek(1234);
            f.write(b ^ 0xFF);
        }

        assertThatThrownBy(() -> a.readLatestCheckpoint("lun-vm1", OutputStream.nullOutputStream()))
                .isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("checksum mismatch")
                .hasMessageContaining(file.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.readCheckpoint("lun-vm1", first.sequence(), out);
        assertThat(out.toByteArray()).isEqualTo(image(300_000, 1));

        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(100_000);
        }
        assertThatThrownBy(() -> a.readLatestCheckpoint("lun-vm1", OutputStream.nullOutputStream()))
                .isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("torn");
    }

    @Test
    void corruptLeaseFileIsReportedWithoutTakingTheVolumeOver() throws IOException {
        Path root = dir.resolve("ds");
        SharedFsStorageAdapter a = adapter(root, true);
        a.provisionVolume("vm1");
        a.provisionVolume("vm2");
        Path bad = LeaseFiles.genFile(root.resolve("volumes/lun-vm1/lease"), 1);
        Files.writeString(bad, "{\"lun\": \"lun-vm1\", \"generation\": ");

        assertThatThrownBy(() -> a.acquireLease("lun-vm1", "h1")).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(bad.toString());
        assertThat(a.acquireLease("lun-vm2", "h1").generation()).isEqualTo(1);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) {
            System.err.println(List.of(command) + " exited " + p.exitValue() + ": " + output);
        }
        return p.exitValue();
    }
}
