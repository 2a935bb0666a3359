/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.vmha.api.storage.Lease;

/**
 * The {@link StorageBenchmarkMain} is responsible for measuring the shared-directory adapter on a
 * real disk: checkpoint write and read throughput of a 256 MiB state image as a ratio to {@code dd}
 * on the same directory, lease acquire and renew latency, and heartbeat write latency. It is a plain
 * main class in the test sources, so it never runs during {@code verify}. See BENCHMARKS.md (storage).
 * <p>
 * Usage: {@code StorageBenchmarkMain <directory> [<rounds>]}
 *
 * @author vmha - Initial contribution
 */
public final class StorageBenchmarkMain {

    private static final int MIB = 1 << 20;
    private static final int IMAGE_MIB = 256;

    private StorageBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Paths.get(args.length > 0 ? args[0] : "target/storage-bench").toAbsolutePath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        FsIo.deleteTree(base);
        Files.createDirectories(base);
        boolean canDropCaches = dropCaches();
        System.out.printf("directory %s, %d rounds, page cache dropped before reads: %s%n", base, rounds,
                canDropCaches);

        SharedFsStorageAdapter a = new SharedFsStorageAdapter(new SharedFsSettings(base.resolve("ds"), 10_000, 0, 1,
                "auto", true), Clock.systemUTC());
        a.provisionVolume("bench");
        Lease lease = a.acquireLease("lun-bench", "bench-host");
        byte[] random = new byte[MIB];
        new Random(42).nextBytes(random);
        byte[] zeros = new byte[MIB];

        // dd of random bytes needs a source that costs nothing to read: a tmpfs file (kept by drop_caches)
        Path randomSource = Paths.get("/dev/shm").toFile().isDirectory()
                ? Files.createTempFile(Paths.get("/dev/shm"), "vmha-bench-", ".bin") : null;
        if (randomSource != null) {
            try (OutputStream out = Files.newOutputStream(randomSource)) {
                for (int i = 0; i < IMAGE_MIB; i++) {
                    out.write(random);
                }
            }
        }
        List<Double> ddWrite = new ArrayList<>();
        List<Double> ddWriteRandom = new ArrayList<>();
        List<Double> ckptWrite = new ArrayList<>();
        List<Double> ckptWriteRandom = new ArrayList<>();
        List<Double> ddRead = new ArrayList<>();
        List<Double> ckptRead = new ArrayList<>();
        Path ddFile = base.resolve("dd.bin");
        for (int r = 0; r < rounds; r++) {
            lease = a.renewLease(lease);
            final Lease l = lease;
            // like a checkpoint, dd replaces the previous image: its deletion is timed too
            Action ddZeros = () -> ddWrite.add(timeSeconds(() -> {
                Files.deleteIfExists(ddFile);
                run("dd", "if=/dev/zero", "of=" + ddFile, "bs=1M", "count=" + IMAGE_MIB, "conv=fsync");
            }));
            Action ddRandom = () -> {
                if (randomSource != null) {
                    ddWriteRandom.add(timeSeconds(() -> {
                        Files.deleteIfExists(ddFile);
                        run("dd", "if=" + randomSource, "of=" + ddFile, "bs=1M", "count=" + IMAGE_MIB,
                                "conv=fsync");
                    }));
                }
            };
            Action ckZeros = () -> ckptWrite.add(timeSeconds(() -> a.writeCheckpoint("lun-bench", l.generation(),
                    image(zeros))));
            Action ckRandom = () -> ckptWriteRandom.add(timeSeconds(() -> a.writeCheckpoint("lun-bench",
                    l.generation(), image(random))));
            // alternate the order each round, and start every timed write from a synced disk
            List<Action> writes = r % 2 == 0 ? List.of(ddZeros, ckZeros, ddRandom, ckRandom)
                    : List.of(ckRandom, ddRandom, ckZeros, ddZeros);
            for (Action w : writes) {
                run("sync");
                w.run();
            }
            Action ddReadAction = () -> ddRead.add(timeSeconds(() -> run("dd", "if=" + ddFile, "of=/dev/null",
                    "bs=1M")));
            Action ckReadAction = () -> ckptRead.add(timeSeconds(() -> a.readLatestCheckpoint("lun-bench",
                    OutputStream.nullOutputStream())));
            for (Action read : r % 2 == 0 ? List.of(ddReadAction, ckReadAction) : List.of(ckReadAction, ddReadAction)) {
                dropCaches();
                read.run();
            }
        }
        Files.deleteIfExists(ddFile);
        if (randomSource != null) {
            Files.deleteIfExists(randomSource);
        }
        double ddW = median(ddWrite);
        double ckW = median(ckptWrite);
        double ckWr = median(ckptWriteRandom);
        double ddR = median(ddRead);
        double ckR = median(ckptRead);
        System.out.printf(Locale.ROOT, "write 256 MiB: dd conv=fsync %.0f MiB/s, checkpoint of zeros %.0f MiB/s, "
                + "ratio %.2f; checkpoint of random bytes %.0f MiB/s, ratio %.2f%n", IMAGE_MIB / ddW, IMAGE_MIB / ckW,
                ddW / ckW, IMAGE_MIB / ckWr, ddW / ckWr);
        System.out.printf(Locale.ROOT, "read  256 MiB: dd %.0f MiB/s, checkpoint (verified) %.0f MiB/s, ratio %.2f%n",
                IMAGE_MIB / ddR, IMAGE_MIB / ckR, ddR / ckR);
        if (!ddWriteRandom.isEmpty()) {
            System.out.printf(Locale.ROOT, "write 256 MiB of random bytes: dd conv=fsync from tmpfs %.0f MiB/s, "
                    + "checkpoint %.0f MiB/s, ratio %.2f%n", IMAGE_MIB / median(ddWriteRandom), IMAGE_MIB / ckWr,
                    median(ddWriteRandom) / ckWr);
        }
        System.out.printf(Locale.ROOT, "median of per-round ratios: write zeros %.2f, write random (vs dd zeros) %.2f, "
                + "write random (vs dd random) %s, read %.2f%n", medianRatio(ddWrite, ckptWrite),
                medianRatio(ddWrite, ckptWriteRandom), ddWriteRandom.isEmpty() ? "n/a"
                        : String.format(Locale.ROOT, "%.2f", medianRatio(ddWriteRandom, ckptWriteRandom)),
                medianRatio(ddRead, ckptRead));
        System.out.println("  samples (s): dd write " + ddWrite + ", dd write random " + ddWriteRandom + ", ckpt write zeros " + ckptWrite + ", ckpt write random " + ckptWriteRandom + ", dd read " + ddRead
                + ", ckpt read " + ckptRead);

        a.releaseLease(lease);
        int n = 200;
        List<Double> acquire = new ArrayList<>();
        List<Double> renew = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Lease l = a.acquireLease("lun-bench", "bench-host");
            long t1 = System.nanoTime();
            l = a.renewLease(l);
            long t2 = System.nanoTime();
            a.releaseLease(l);
            acquire.add((t1 - t0) / 1e6);
            renew.add((t2 - t1) / 1e6);
        }
        List<Double> heartbeat = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long t0 = System.nanoTime();
            a.writeHeartbeat("bench-host", i);
            heartbeat.add((System.nanoTime() - t0) / 1e6);
        }
        report("lease acquire", acquire);
        report("lease renew", renew);
        report("heartbeat write", heartbeat);
        FsIo.deleteTree(base);
    }

    private static void report(String what, List<Double> millis) {
        List<Double> s = new ArrayList<>(millis);
        Collections.sort(s);
        System.out.printf(Locale.ROOT, "%-16s n=%d median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
                s.size(), s.get(s.size() / 2), s.get((int) (s.size() * 0.9)), s.get((int) (s.size() * 0.99)),
                s.get(s.size() - 1));
    }

    private static InputStream image(byte[] block) {
        return new InputStream() {
            private long remaining = (long) IMAGE_MIB * MIB;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (remaining <= 0) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, block.length), remaining);
                System.arraycopy(block, 0, b, off, n);
                remaining -= n;
                return n;
            }
        };
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private static double timeSeconds(Action action) throws Exception {
        long t0 = System.nanoTime();
        action.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double medianRatio(List<Double> reference, List<Double> measured) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < reference.size(); i++) {
            ratios.add(reference.get(i) / measured.get(i));
        }
        return median(ratios);
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static boolean dropCaches() {
        try {
            run("sync");
            Files.writeString(Paths.get("/proc/sys/vm/drop_caches"), "3", StandardCharsets.US_ASCII);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
