/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.storage.LeaseState;

/**
 * The {@link SharedFsMultiProcessTest} is responsible for proving the lease and crash-safety
 * protocols with real, separate JVM processes sharing one datastore directory: racing owners,
 * an owner killed with SIGKILL, an owner paused with SIGSTOP past its expiry, and a writer killed in
 * the middle of a checkpoint.
 *
 * @author vmha - Initial contribution
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedFsMultiProcessTest {

    private static final long LEASE_MS = 600;
    /**
     * The lease of a worker that holds a volume: long enough that a worker JVM starting on a busy 2-core machine (class
     * loading, an fsync behind a build's writes) renews before its first lease runs out, which 600 ms was not.
     */
    private static final long HOLD_LEASE_MS = 2_000;
    private static final long MARGIN_MS = 100;
    private static final String LUN = "lun-vm1";

    @TempDir
    Path dir;

    private Path root;
    private SharedFsStorageAdapter adapter;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void datastore() {
        root = dir.resolve("datastore");
        adapter = new SharedFsStorageAdapter(new SharedFsSettings(root, LEASE_MS, MARGIN_MS, 2, "copy", true),
                Clock.systemUTC());
        adapter.provisionVolume("vm1");
    }

    @AfterEach
    void killWorkers() throws InterruptedException {
        for (Worker w : workers) {
            signal("CONT", w.process.pid());
            w.process.destroyForcibly();
            w.process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void racingProcessesGetExactlyOneOwnerPerGenerationAndGenerationsIncrease() throws Exception {
        for (int i = 0; i < 4; i++) {
            start("race", "racer" + i, 30_000, 5000); // released at once; long enough for a cold JVM's first write
        }
        for (Worker w : workers) {
            assertThat(w.process.waitFor(40, TimeUnit.SECONDS)).as("racer finished").isTrue();
            w.reader.join(5000);
        }

        Map<Long, String> ownerByGeneration = new HashMap<>();
        int total = 0;
        for (Worker w : workers) {
            assertThat(w.lines()).as(w.host + " reported no errors").noneMatch(l -> l.startsWith("ERROR"));
            List<Long> mine = w.lines().stream().filter(l -> l.startsWith("ACQUIRED ")).map(l -> Long.parseLong(
                    l.split(" ")[1])).toList();
            assertThat(mine).as(w.host + " saw strictly increasing generations").isSortedAccordingTo(Long::compare)
                    .doesNotHaveDuplicates();
            for (long g : mine) {
                String previous = ownerByGeneration.put(g, w.host);
                assertThat(previous).as("generation " + g + " owned by " + w.host + " and " + previous).isNull();
            }
            List<String> wrote = w.lines().stream().filter(l -> l.startsWith("WROTE ")).toList();
            assertThat(wrote).hasSize(mine.size());
            total += mine.size();
        }
        assertThat(total).as("every racer won " + LeaseWorkerMain.RACE_WINS + " times")
                .isEqualTo(4 * LeaseWorkerMain.RACE_WINS);
        assertThat(ownerByGeneration.values()).as("more than one racer won at some point").hasSizeGreaterThan(1);
        LeaseState last = adapter.inspectLease(LUN).orElseThrow();
        assertThat(last.generation()).isEqualTo(Collections.max(ownerByGeneration.keySet()));
        assertThat(last.owner()).isEqualTo(ownerByGeneration.get(last.generation()));
        for (CheckpointInfo c : adapter.listCheckpoints(LUN)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            adapter.readCheckpoint(LUN, c.sequence(), out);
            assertThat(out.toString(StandardCharsets.UTF_8)).as("checkpoint of generation " + c.generation()
                    + " was written by its owner").isEqualTo(ownerByGeneration.get(c.generation()));
        }
    }

    @Test
    void killedOwnerIsTakenOverOnlyAfterItsLeaseExpires() throws Exception {
        Worker owner = start("hold", "owner", 30_000, HOLD_LEASE_MS);
        owner.await(l -> l.startsWith("RENEWED"), "the owner renews");

        owner.process.destroyForcibly(); // SIGKILL
        assertThat(owner.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        LeaseState dead = adapter.inspectLease(LUN).orElseThrow();
        assertThat(dead.owner()).isEqualTo("owner");

        int refusals = 0;
        Lease taken = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (taken == null && System.currentTimeMillis() < deadline) {
            try {
                taken = adapter.acquireLease(LUN, "survivor");
                // the adapter's own time of the grant: a time taken here before the call may be a few ms earlier
                // than the adapter's clock read inside it on a loaded machine
                assertThat(adapter.inspectLease(LUN).orElseThrow().acquiredAtMillis())
                        .as("takeover after expiry plus margin")
                        .isGreaterThanOrEqualTo(dead.expiresAtMillis() + MARGIN_MS);
            } catch (LeaseHeldException e) {
                refusals++;
                assertThat(e.holder()).isEqualTo("owner");
                assertThat(System.currentTimeMillis()).as("refused only before expiry plus margin")
                        .isLessThan(dead.expiresAtMillis() + MARGIN_MS + 1);
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
        assertThat(taken).as("survivor acquired").isNotNull();
        assertThat(taken.generation()).isEqualTo(dead.generation() + 1);
        assertThat(refusals).as("the survivor was refused while the lease was live").isPositive();
    }

    @Test
    void pausedOwnerHasEveryWriteRefusedAfterItWakesUp() throws Exception {
        Worker owner = start("hold", "sleeper", 30_000, HOLD_LEASE_MS);
        owner.await(l -> l.startsWith("WROTE"), "the owner writes");

        signal("STOP", owner.process.pid());
        Lease taken = acquireWithin(10_000, "survivor");
        long staleGeneration = taken.generation() - 1;
        long lastStaleSequence = adapter.listCheckpoints(LUN).stream().filter(c -> c.generation() == staleGeneration)
                .mapToLong(CheckpointInfo::sequence).max().orElse(0);
        CheckpointInfo mine = adapter.writeCheckpoint(LUN, taken.generation(), new ByteArrayInputStream(
                "survivor state".getBytes(StandardCharsets.UTF_8)));
        int seenBeforeWake = owner.lines().size();
        signal("CONT", owner.process.pid());

        owner.awaitLines(all -> all.subList(seenBeforeWake, all.size()).stream()
                .filter(l -> l.startsWith("REFUSED-WRITE")).count() >= 3, "the woken owner tries to write, thrice");
        List<String> after = owner.lines().subList(seenBeforeWake, owner.lines().size());
        for (String l : after) {
            if (l.startsWith("WROTE")) {
                assertThat(Long.parseLong(l.split(" ")[2])).as("only a write committed before the pause: " + l)
                        .isLessThanOrEqualTo(lastStaleSequence);
            } else if (l.startsWith("RENEWED")) {
                assertThat(Long.parseLong(l.split(" ")[2])).as("only a renewal from before the pause: " + l)
                        .isLessThanOrEqualTo(taken.acquiredAtMillis());
            }
        }
        assertThat(after).anyMatch(l -> l.startsWith("REFUSED-WRITE StaleGenerationException")
                && l.contains("generation " + staleGeneration) && l.contains(LUN));
        assertThat(after).anyMatch(l -> l.startsWith("REFUSED-RENEW StaleGenerationException"));
        assertThat(adapter.listCheckpoints(LUN)).filteredOn(c -> c.generation() == staleGeneration)
                .allMatch(c -> c.sequence() <= lastStaleSequence);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(adapter.readLatestCheckpoint(LUN, out)).contains(mine);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("survivor state");
        assertThat(adapter.inspectLease(LUN).orElseThrow().owner()).isEqualTo("survivor");
    }

    @Test
    void writerKilledMidCheckpointLeavesThePreviousCheckpointReadable() throws Exception {
        Worker writer = start("torn", "writer", 30_000, 2000); // a cold JVM's first 1 MB write must fit
        String wrote = writer.await(l -> l.startsWith("WROTE"), "the first checkpoint");
        writer.await(l -> l.startsWith("STREAMING"), "the second checkpoint half-way");

        writer.process.destroyForcibly();
        assertThat(writer.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        try (Stream<Path> s = Files.list(root.resolve("volumes").resolve(LUN).resolve("state"))) {
            assertThat(s.map(p -> p.getFileName().toString())).as("the torn checkpoint stayed a temporary file")
                    .anyMatch(n -> n.startsWith(".tmp-ckpt-"));
        }
        long firstSequence = Long.parseLong(wrote.split(" ")[2]);
        assertThat(adapter.listCheckpoints(LUN)).extracting(CheckpointInfo::sequence).containsExactly(firstSequence);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(adapter.readLatestCheckpoint(LUN, out)).map(CheckpointInfo::sequence).contains(firstSequence);
        byte[] expected = new byte[1 << 20];
        new Random(1).nextBytes(expected);
        assertThat(out.toByteArray()).isEqualTo(expected);
        Lease taken = acquireWithin(10_000, "survivor");
        CheckpointInfo next = adapter.writeCheckpoint(LUN, taken.generation(), new ByteArrayInputStream(new byte[10]));
        assertThat(next.sequence()).isEqualTo(firstSequence + 1);
    }

    // ------------------------------------------------------------------ support

    private Lease acquireWithin(long millis, String host) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            try {
                return adapter.acquireLease(LUN, host);
            } catch (LeaseHeldException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
    }

    private static void signal(String signal, long pid) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            fail("cannot send SIG" + signal + " to " + pid + ": " + e);
        }
    }

    private Worker start(String mode, String host, long runMs, long leaseMs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), LeaseWorkerMain.class.getName(), mode, root.toString(), LUN,
                host, Long.toString(leaseMs), Long.toString(MARGIN_MS), Long.toString(runMs))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Worker w = new Worker(host, p);
        workers.add(w);
        return w;
    }

    /** A child JVM and the lines it printed. */
    private static final class Worker {
        final String host;
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final Thread reader;

        Worker(String host, Process process) {
            this.host = host;
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    lines.add("ERROR reading child output: " + e);
                }
            }, "worker-" + host);
            reader.setDaemon(true);
            reader.start();
        }

        List<String> lines() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        String await(Predicate<String> condition, String what) throws InterruptedException {
            awaitLines(all -> all.stream().anyMatch(condition), what);
            return lines().stream().filter(condition).findFirst().orElseThrow();
        }

        void awaitLines(Predicate<List<String>> condition, String what) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                if (condition.test(lines())) {
                    return;
                }
                if (!process.isAlive() && !reader.isAlive()) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
            List<String> all = lines();
            throw new AssertionError("timed out waiting for " + what + " from " + host + "; its last lines: "
                    + all.subList(Math.max(0, all.size() - 8), all.size()));
        }
    }
}
