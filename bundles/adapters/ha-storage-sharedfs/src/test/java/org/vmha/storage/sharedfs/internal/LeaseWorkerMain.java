/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.storage.StorageException;

/**
 * The {@link LeaseWorkerMain} is responsible for being one host in the multi-process lease tests:
 * a separate JVM that races for, holds, or writes through the lease of one volume and reports every
 * outcome on stdout, one line each.
 * <p>
 * Usage: {@code <mode> <root> <lun> <host> <leaseMs> <marginMs> [<runMs>]} with mode {@code race},
 * {@code hold} or {@code torn}.
 *
 * @author vmha - Initial contribution
 */
public final class LeaseWorkerMain {

    static final int RACE_WINS = 5;

    private LeaseWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        SharedFsSettings settings = new SharedFsSettings(Paths.get(args[1]), Long.parseLong(args[4]),
                Long.parseLong(args[5]), 2, "copy", false);
        SharedFsStorageAdapter adapter = new SharedFsStorageAdapter(settings, Clock.systemUTC());
        String lun = args[2];
        String host = args[3];
        long runMs = args.length > 6 ? Long.parseLong(args[6]) : 60_000;
        long deadline = System.currentTimeMillis() + runMs;
        switch (mode) {
            case "race" -> race(adapter, lun, host, deadline);
            case "hold" -> hold(adapter, lun, host, deadline);
            case "torn" -> torn(adapter, lun, host);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        System.out.flush();
        System.exit(0);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Wins the lease {@value #RACE_WINS} times (or until the deadline): acquire, write a checkpoint, release. */
    private static void race(SharedFsStorageAdapter adapter, String lun, String host, long deadline)
            throws InterruptedException {
        Random random = new Random(host.hashCode());
        int wins = 0;
        while (wins < RACE_WINS && System.currentTimeMillis() < deadline) {
            try {
                Lease lease = adapter.acquireLease(lun, host);
                say("ACQUIRED " + lease.generation());
                CheckpointInfo c = adapter.writeCheckpoint(lun, lease.generation(),
                        new ByteArrayInputStream(host.getBytes()));
                say("WROTE " + c.generation() + " " + c.sequence());
                adapter.releaseLease(lease);
                say("RELEASED " + lease.generation());
                wins++;
            } catch (LeaseHeldException e) {
                TimeUnit.MILLISECONDS.sleep(random.nextInt(5));
            } catch (StorageException e) {
                say("ERROR " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
    }

    private static Lease acquire(SharedFsStorageAdapter adapter, String lun, String host, long deadline)
            throws InterruptedException {
        while (true) {
            try {
                return adapter.acquireLease(lun, host);
            } catch (LeaseHeldException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    /** Acquires, then renews and writes a checkpoint every quarter lease, reporting each outcome. */
    private static void hold(SharedFsStorageAdapter adapter, String lun, String host, long deadline)
            throws InterruptedException {
        Lease lease = acquire(adapter, lun, host, deadline);
        say("ACQUIRED " + lease.generation() + " " + lease.expiresAtMillis());
        long period = Math.max(10, adapter.leaseDurationMillis() / 4);
        while (System.currentTimeMillis() < deadline) {
            try {
                lease = adapter.renewLease(lease);
                say("RENEWED " + lease.generation() + " " + lease.expiresAtMillis());
            } catch (StorageException e) {
                say("REFUSED-RENEW " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
            try {
                CheckpointInfo c = adapter.writeCheckpoint(lun, lease.generation(),
                        new ByteArrayInputStream(("state of " + host).getBytes()));
                say("WROTE " + c.generation() + " " + c.sequence());
            } catch (StorageException e) {
                say("REFUSED-WRITE " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
            TimeUnit.MILLISECONDS.sleep(period);
        }
    }

    /** Writes one complete checkpoint, then starts a second one and stalls in the middle of it. */
    private static void torn(SharedFsStorageAdapter adapter, String lun, String host) throws InterruptedException {
        Lease lease = acquire(adapter, lun, host, System.currentTimeMillis() + 30_000);
        byte[] first = new byte[1 << 20];
        new Random(1).nextBytes(first);
        CheckpointInfo c = adapter.writeCheckpoint(lun, lease.generation(), new ByteArrayInputStream(first));
        say("WROTE " + c.generation() + " " + c.sequence());
        lease = adapter.renewLease(lease);
        adapter.writeCheckpoint(lun, lease.generation(), new InputStream() {
            private long produced;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (produced >= 4L << 20) {
                    say("STREAMING " + produced);
                    try {
                        TimeUnit.MINUTES.sleep(5); // the test kills us here, in the middle of the checkpoint
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("not killed");
                }
                int n = (int) Math.min(len, (4L << 20) - produced);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) 0x5A;
                }
                produced += n;
                return n;
            }
        });
        say("UNEXPECTED-COMPLETE");
    }
}
