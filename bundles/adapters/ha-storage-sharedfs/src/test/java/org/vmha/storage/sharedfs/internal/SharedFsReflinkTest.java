/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.SnapshotInfo;
import org.vmha.storage.tck.MutableClock;

/**
 * Snapshots are copy-on-write on a filesystem with reflinks: on a loop-mounted XFS (reflink=1) a snapshot of
 * a 64 MB disk records {@code REFLINK} and takes no data blocks, and the snapshot and the disk stay independent.
 * Needs root, {@code mkfs.xfs} (Debian xfsprogs, installed by .ci/run) and loop devices; elsewhere it is skipped
 * with the reason.
 */
class SharedFsReflinkTest {

    private static final int DISK_MB = 64;

    @TempDir
    Path dir;

    private Path mount;

    @BeforeEach
    void mountXfs() throws Exception {
        Path image = dir.resolve("xfs.img");
        mount = dir.resolve("mnt");
        Files.createDirectories(mount);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(320L << 20); // XFS wants at least 300 MB
        }
        Assumptions.assumeTrue(run("mkfs.xfs", "-q", "-m", "reflink=1", image.toString()) == 0,
                "mkfs.xfs is not available (Debian xfsprogs), so no reflink filesystem can be made here");
        Assumptions.assumeTrue(run("mount", "-o", "loop", image.toString(), mount.toString()) == 0,
                "loop-mounting a filesystem image is not permitted here");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", mount.toString());
        }
    }

    @Test
    void snapshotOnXfsIsAReflinkThatCostsNoDataBlocks() throws Exception {
        SharedFsStorageAdapter a = new SharedFsStorageAdapter(
                new SharedFsSettings(mount.resolve("ds"), 10_000, 0, 2, "auto", true), new MutableClock(1_000));
        a.provisionVolume("vm1");
        Lease l = a.acquireLease("lun-vm1", "h1");
        a.createDisk("lun-vm1", l.generation(), "root", DISK_MB << 20);
        Path disk = mount.resolve("ds/volumes/lun-vm1/disks/root.vdisk");
        byte[] data = new byte[DISK_MB << 20];
        ThreadLocalRandom.current().nextBytes(data);
        Files.write(disk, data);
        run("sync");
        long freeBefore = Files.getFileStore(mount).getUsableSpace();

        SnapshotInfo s = a.createSnapshot("lun-vm1", l.generation(), "s1");
        run("sync");
        long used = freeBefore - Files.getFileStore(mount).getUsableSpace();

        assertThat(s.method()).isEqualTo(SnapshotInfo.CopyMethod.REFLINK);
        assertThat(used).as("bytes the snapshot of a %d MB disk took", DISK_MB).isLessThan((DISK_MB << 20) / 8);
        Files.write(disk, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.WRITE);
        assertThat(Files.readAllBytes(mount.resolve("ds/volumes/lun-vm1/snapshots/s1/disks/root.vdisk")))
                .isEqualTo(data);
        a.rollbackSnapshot("lun-vm1", l.generation(), "s1");
        assertThat(Files.readAllBytes(disk)).isEqualTo(data);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return -1; // not installed
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
