/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link HaClusterIT} is responsible for the multi-process proof of issue 13's first acceptance line: the
 * distribution's own {@code bin/ha-cluster} lays out a 3-node cluster (one Karaf per host, each with its own
 * embedded broker, clustered), starts it, and after {@code kill -9} of one node every VM that node ran runs again
 * on the two survivors, each exactly once. A NOC subscriber connected to a surviving node sees the other
 * survivor's events, which cross the broker cluster.
 * <p>
 * The same cluster then proves the fencing of a paused host: a node SIGSTOPped past its volume leases has its VMs
 * restarted elsewhere, and after SIGCONT it neither keeps nor restarts them, the datastore shows its generations
 * neither renewed after the resume nor taken over before their expiry plus the takeover margin, and no checkpoint of
 * its stale generations appears. The broker of one node stopped (the host lives on): the other nodes see it
 * PARTITIONED in {@code ha:peers} and nothing fails over for longer than a lease; started again, it is ALIVE and its
 * VMs never moved. The management node killed right after another node: the lone survivor restarts every VM, each
 * once, on its replica alone. Each test first starts what is not running and waits until every VM runs once, so
 * the order of the tests does not matter ({@link TestOrder}: {@code -Dvmha.itest.order=name} runs the kill first).
 * <p>
 * Ports come from a random free base port; the cluster lives in a fresh directory under {@code target/}. Every
 * process the test started is ended in {@link #cleanUp()} by its recorded pid, also when a step failed.
 *
 * @author vmha - Initial contribution
 */
@RunWith(TestOrder.PlainRunner.class)
public class HaClusterIT {

    private static final Duration BOOT = Duration.ofSeconds(300);
    private static final Duration FAILOVER = Duration.ofSeconds(120);
    private static final int NODES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The node {@code bin/ha-cluster create} gives the management service by default. */
    private static final String MANAGEMENT = "node1";
    private static final String PID_FILE = "ha-cluster.pid";

    private static Path home;
    private static Path cluster;
    private static int basePort;
    private static final Set<Long> startedPids = new HashSet<>();

    @BeforeClass
    public static void createAndStart() throws Exception {
        Path tarball = Path.of(System.getProperty("vmha.dist.tarball", "target/vmha.tar.gz")).toAbsolutePath();
        assertTrue("no distribution tarball at " + tarball.toAbsolutePath(), Files.isRegularFile(tarball));
        // absolute: the processes run with their own working directories
        Path work = Files.createDirectories(Path.of("target").toAbsolutePath()).resolve("ha-cluster-it-" + System.nanoTime());
        Files.createDirectories(work);
        // tar keeps the tarball's file modes (bin/ 0755, etc/ 0600)
        assertEquals(0, run(Duration.ofSeconds(120), work, "tar", "xzf", tarball.toAbsolutePath().toString()).exit);
        try (Stream<Path> dirs = Files.list(work)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("vmha-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no vmha-* directory in " + tarball));
        }
        cluster = work.resolve("cluster");
        basePort = freeBasePort(10 * NODES);

        Result created = cli(Duration.ofSeconds(120), "create", cluster.toString(), Integer.toString(NODES),
                "--base-port", Integer.toString(basePort));
        assertEquals(created.output, 0, created.exit);

        long t0 = System.nanoTime();
        Result started;
        try {
            started = cli(BOOT.plusSeconds(30), "start", cluster.toString(), "--timeout", Long.toString(BOOT.toSeconds()));
        } finally {
            recordPids();
        }
        assertEquals(started.output, 0, started.exit);
        System.out.printf("MEASURED ha-cluster start of %d nodes (first boot, to ClusterStarted on each): %.1f s%n",
                NODES, (System.nanoTime() - t0) / 1e9);
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        if (cluster == null) {
            return;
        }
        try {
            if (Files.exists(cluster)) {
                recordPids();
                Result stopped = cli(Duration.ofSeconds(150), "stop", cluster.toString(), "--timeout", "90");
                System.out.println("ha-cluster stop: exit " + stopped.exit + "\n" + stopped.output);
            }
        } finally {
            // whatever the stop did: no process of this test outlives it
            for (long pid : startedPids) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
            }
        }
    }

    @Test
    public void killedNodesVmsRunExactlyOnceOnTheSurvivors() throws Exception {
        // every node alive, every VM of the inventory (3 per node) running somewhere, once. Where they run depends
        // on the order the nodes came up in (the management service places a VM whose host is not up yet elsewhere)
        Map<String, Node> before = everyNodeUpEveryVmOnce();
        // the victim: the node without the management service that runs the most VMs (node1 if neither runs any)
        String victim = before.values().stream().filter(n -> !n.name.equals("node1") && !n.vms.isEmpty())
                .max(java.util.Comparator.comparingInt((Node n) -> n.vms.size())).map(Node::name).orElse("node1");
        List<String> victimVms = before.get(victim).vms;
        Set<String> all = new TreeSet<>();
        before.values().forEach(n -> all.addAll(n.vms));
        assertFalse(victim + " runs no VM: " + before, victimVms.isEmpty());
        System.out.println("before the kill: " + before + "; killing " + victim);

        // a NOC operator connected to node2 (no management service there) is answered by node1's command route:
        // the request and the reply cross the broker cluster, and the route sees the operator, not the bridge
        String operatorPassword = property(cluster.resolve("node2/etc/" + Credentials.FILE), "operator");
        try (JmsRequestor operator = new JmsRequestor(basePort + 10 + 3, "operator", operatorPassword)) {
            String reply = operator.request("{\"command\": \"status\", \"id\": \"it-node2\"}", Duration.ofSeconds(30));
            assertTrue("no reply on node2 from the management node's command route", reply != null);
            JsonNode r = JSON.readTree(reply);
            assertTrue(reply, r.path("ok").asBoolean());
            assertEquals(reply, "it-node2", r.path("id").asText());
        }

        // a NOC reader on a survivor (MQTT, that node's own noc account); the events it must see come from the
        // other survivor's agent, over the broker cluster
        String listener = victim.equals("node3") ? "node2" : "node3";
        String speaker = victim.equals("node1") ? "node2" : "node1";
        int listenerIndex = Integer.parseInt(listener.substring(4));
        String nocPassword = property(cluster.resolve(listener).resolve("etc/" + Credentials.FILE), "noc");
        // stdbuf -oL: mosquitto_sub's debug lines (the SUBACK) are not flushed when its output is a pipe
        try (ExternalProcess noc = ExternalProcess.start("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(basePort + 10 * (listenerIndex - 1) + 5), "-u", "noc", "-P", nocPassword, "-t", "ha/events",
                "-i", "ha-cluster-it-noc", "-V", "mqttv311", "-d")) {
            // -d: the broker's SUBACK is printed once the subscription exists
            await().atMost(30, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                    .until(() -> subscribed(noc));

            long t0 = System.nanoTime();
            Result killed = cli(Duration.ofSeconds(60), "kill", cluster.toString(), victim);
            assertEquals(killed.output, 0, killed.exit);

            Map<String, Node> after = awaitStatus(FAILOVER, s -> !s.get(victim).alive
                    && victimVms.stream().allMatch(vm -> hosts(s, vm).size() == 1));
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("MEASURED kill -9 of %s -> its %d VMs running on the survivors, seen by polling "
                    + "ha-cluster status --json: %.1f s%n", victim, victimVms.size(), seconds);

            assertFalse(after.get(victim).alive);
            for (String vm : all) {
                List<String> on = hosts(after, vm);
                assertEquals(vm + " must run exactly once: " + after, 1, on.size());
                assertFalse(vm + " still on the killed node", on.contains(victim));
            }
            // the other survivor's agent reports the failure; the listener hears it over the broker cluster
            await().atMost(30, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                    .until(() -> noc.lines().stream().anyMatch(l -> l.contains("\"source\":\"/vmha/agent/" + speaker
                            + "\"") && l.contains("org.vmha.host.failed")));
        }
    }

    @Test
    public void pausedNodePastItsLeaseIsFencedAndRejoins() throws Exception {
        Map<String, Node> before = someVmsOffTheManagementNode(everyNodeUpEveryVmOnce());
        // the victim: a node without the management service that runs VMs (the most of them)
        String victim = before.values().stream().filter(n -> !n.name.equals(MANAGEMENT) && !n.vms.isEmpty())
                .max(java.util.Comparator.comparingInt((Node n) -> n.vms.size())).map(Node::name).orElse(null);
        assertTrue("no node but " + MANAGEMENT + " runs a VM: " + before, victim != null);
        List<String> victimVms = List.copyOf(before.get(victim).vms);
        long lease = storageSetting(victim, "leaseDurationMillis");
        long takeoverMargin = storageSetting(victim, "takeoverMarginMillis");
        // the fencing token each of its VMs runs under, as the datastore has it
        Map<String, Long> victimGeneration = new TreeMap<>();
        for (String vm : victimVms) {
            LeaseRecord current = currentLease(vm);
            assertEquals(vm + " runs on " + victim + " but its lease is " + current, victim, current.owner());
            victimGeneration.put(vm, current.generation());
        }
        long victimPid = Long.parseLong(Files.readString(cluster.resolve(victim).resolve(PID_FILE)).trim());
        Path victimLog = cluster.resolve(victim).resolve("data/log/karaf.log");
        System.out.println("before the pause: " + before + "; pausing " + victim + " (pid " + victimPid
                + "), its leases " + victimGeneration);

        boolean paused = false;
        try {
            long t0 = System.nanoTime();
            Result pause = cli(Duration.ofSeconds(60), "pause", cluster.toString(), victim);
            assertEquals(pause.output, 0, pause.exit);
            paused = true;
            long pausedAt = System.currentTimeMillis();

            // a paused node lists no VMs: each of the victim's VMs must run once on another node
            List<String> pausePolls = new ArrayList<>();
            Map<String, Node> moved = awaitStatus(FAILOVER, s -> {
                pausePolls.add(String.format("+%.1f s %s", (System.nanoTime() - t0) / 1e9, s.values()));
                return s.get(victim).alive && victimVms.stream()
                        .allMatch(vm -> hosts(s, vm).size() == 1 && !hosts(s, vm).contains(victim));
            });
            System.out.printf("MEASURED SIGSTOP of %s -> its %d VMs running on the other nodes, seen by polling "
                    + "ha-cluster status --json: %.1f s%n", victim, victimVms.size(), (System.nanoTime() - t0) / 1e9);
            System.out.println("polls after the pause:");
            pausePolls.forEach(l -> System.out.println("  " + l));
            // the victim stays paused until its leases are surely past (lease + takeover margin + a heartbeat)
            long pauseAtLeast = lease + takeoverMargin + 1000;
            long left = pausedAt + pauseAtLeast - System.currentTimeMillis();
            if (left > 0) {
                Thread.sleep(left);
            }
            moved = awaitStatus(FAILOVER, HaClusterIT::everyVmOnce);
            Map<String, String> newHost = new TreeMap<>();
            Map<String, LeaseRecord> takeover = new TreeMap<>();
            for (String vm : victimVms) {
                List<String> on = hosts(moved, vm);
                assertEquals(vm + " must run exactly once while " + victim + " is paused: " + moved, 1, on.size());
                assertFalse(vm + " still on the paused node: " + moved, on.contains(victim));
                newHost.put(vm, on.get(0));
                LeaseRecord current = currentLease(vm);
                assertEquals(vm + " runs on " + on.get(0) + ": " + current, on.get(0), current.owner());
                assertTrue(vm + ": no generation after " + victim + "'s " + victimGeneration.get(vm) + ": " + current,
                        current.generation() > victimGeneration.get(vm));
                takeover.put(vm, leaseRecords(vm).get(victimGeneration.get(vm) + 1));
            }
            System.out.println("while " + victim + " is paused (" + (System.currentTimeMillis() - pausedAt)
                    + " ms): " + moved + "; taken over " + takeover);

            long logOffset = Files.size(victimLog);
            try (CheckpointWatch watch = new CheckpointWatch(victimGeneration)) {
                long t1 = System.nanoTime();
                long resumedAt = System.currentTimeMillis();
                Result resume = cli(Duration.ofSeconds(60), "resume", cluster.toString(), victim);
                assertEquals(resume.output, 0, resume.exit);
                paused = false;

                // clean: the victim answers again, its broker is up, every VM runs once and the moved ones where
                // they were moved to; the woken node neither keeps nor restarts them
                Condition clean = s -> s.get(victim).alive && everyVmOnce(s)
                        && newHost.entrySet().stream().allMatch(e -> hosts(s, e.getKey()).equals(List.of(e.getValue())));
                // every poll is kept: a moved VM the woken node lists, however briefly, is a double run
                List<String> polls = new ArrayList<>();
                List<String> doubleRuns = new ArrayList<>();
                Map<String, NodeState> after = awaitText(FAILOVER, t -> {
                    String at = String.format("+%.1f s", (System.nanoTime() - t1) / 1e9);
                    polls.add(at + " " + t.values());
                    t.get(victim).vms().stream().filter(newHost::containsKey)
                            .forEach(vm -> doubleRuns.add(vm + " listed by " + victim + " at " + at));
                    return t.get(victim).state().equals("running") && t.get(victim).broker().equals("up")
                            && clean.holds(nodes(t));
                });
                System.out.printf("MEASURED SIGCONT of %s -> %s answering again, every VM running once and the "
                        + "moved ones still on their new hosts, seen by polling ha-cluster status: %.1f s%n", victim,
                        victim, (System.nanoTime() - t1) / 1e9);
                System.out.println("polls after the resume:");
                polls.forEach(l -> System.out.println("  " + l));
                assertTrue("the woken node ran VMs taken over from it: " + doubleRuns, doubleRuns.isEmpty());

                // and it stays so: by a lease duration after the resume the woken node has tried every renewal,
                // its watchdog has passed every deadline and its hypervisor every checkpoint timer
                long settle = resumedAt + lease - System.currentTimeMillis();
                if (settle > 0) {
                    Thread.sleep(settle);
                }
                Map<String, NodeState> settled = awaitText(Duration.ofSeconds(60),
                        t -> t.get(victim).state().equals("running"));
                System.out.println(lease + " ms after the resume: " + settled);
                Map<String, Node> settledNodes = nodes(settled);
                assertTrue("every VM must run exactly once: " + settled, everyVmOnce(settledNodes));
                for (Map.Entry<String, String> e : newHost.entrySet()) {
                    assertEquals(e.getKey() + " must stay where it was moved to: " + settled,
                            List.of(e.getValue()), hosts(settledNodes, e.getKey()));
                }
                watch.close();
                assertFencedOnDisk(victim, victimGeneration, newHost, takeover, takeoverMargin, resumedAt, watch);
            }
            printLogSince(victimLog, logOffset, victim, victimVms);
        } finally {
            if (paused) {
                // whatever failed: the next test and cleanUp need a process that runs (stop resumes too)
                Result resume = cli(Duration.ofSeconds(60), "resume", cluster.toString(), victim);
                if (resume.exit != 0) {
                    run(Duration.ofSeconds(10), home, "kill", "-CONT", Long.toString(victimPid));
                }
            }
        }
    }

    /**
     * The datastore's side of the fencing: the paused node's generation of each moved VM was neither renewed after
     * the resume nor taken over before its expiry plus the takeover margin, and no checkpoint of it was accepted
     * after the takeover (none appeared while the woken node ran, none is there newer than the takeover).
     */
    /**
     * Storage path loss of one host, with a real mount: the victim's own path to the datastore ({@code
     * DIR/NODE/datastore}, a bind mount) becomes read-only, so it can renew no lease and write no heartbeat while its
     * network is fine. It must stop its VMs itself before their leases expire, the survivors take them only after
     * the expiry, and at no poll does a VM run on two nodes; with its path back it rejoins running none of them.
     */
    @Test
    public void aNodeThatLosesItsDatastorePathStopsItsVmsAndTheSurvivorsTakeThem() throws Exception {
        org.junit.Assume.assumeTrue("bind mounts need root: run as root (CI does) to test a storage path loss",
                run(Duration.ofSeconds(10), home, "id", "-u").output.trim().equals("0"));
        Map<String, Node> before = someVmsOffTheManagementNode(everyNodeUpEveryVmOnce());
        String victim = before.values().stream().filter(n -> !n.name.equals(MANAGEMENT) && !n.vms.isEmpty())
                .max(java.util.Comparator.comparingInt((Node n) -> n.vms.size())).map(Node::name).orElse(null);
        assertTrue("no node but " + MANAGEMENT + " runs a VM: " + before, victim != null);
        List<String> victimVms = List.copyOf(before.get(victim).vms);
        Map<String, LeaseRecord> victimLease = new TreeMap<>();
        for (String vm : victimVms) {
            LeaseRecord current = currentLease(vm);
            assertEquals(vm + " runs on " + victim + " but its lease is " + current, victim, current.owner());
            victimLease.put(vm, current);
        }
        System.out.println("before the storage loss: " + before + "; " + victim + " loses its datastore path");

        boolean lost = false;
        try {
            long t0 = System.nanoTime();
            Result loss = cli(Duration.ofSeconds(30), "storage-loss", cluster.toString(), victim, "--read-only");
            assertEquals(loss.output, 0, loss.exit);
            lost = true;

            List<String> polls = new ArrayList<>();
            List<String> doubleRuns = new ArrayList<>();
            Map<String, Node> moved = awaitStatus(FAILOVER, s -> {
                String at = String.format("+%.1f s", (System.nanoTime() - t0) / 1e9);
                polls.add(at + " " + s.values());
                for (String vm : victimVms) {
                    if (hosts(s, vm).size() > 1) {
                        doubleRuns.add(vm + " on " + hosts(s, vm) + " at " + at);
                    }
                }
                return s.get(victim).alive && victimVms.stream()
                        .allMatch(vm -> hosts(s, vm).size() == 1 && !hosts(s, vm).contains(victim));
            });
            System.out.printf("MEASURED read-only datastore path on %s -> its %d VMs running on the other nodes, seen "
                    + "by polling ha-cluster status --json: %.1f s%n", victim, victimVms.size(),
                    (System.nanoTime() - t0) / 1e9);
            System.out.println("polls after the storage loss:");
            polls.forEach(l -> System.out.println("  " + l));
            assertTrue("a VM ran on two nodes at once: " + doubleRuns, doubleRuns.isEmpty());
            long margin = storageSetting(victim, "takeoverMarginMillis");
            for (String vm : victimVms) {
                LeaseRecord now = currentLease(vm);
                String host = hosts(moved, vm).get(0);
                assertEquals(vm + " runs on " + host + ": " + now, host, now.owner());
                LeaseRecord old = victimLease.get(vm);
                assertTrue(vm + ": no new generation after " + old + ": " + now, now.generation() > old.generation());
                // the old generation was not renewed after the loss (the path was read-only), and the survivor took
                // the volume only once it had expired, plus the takeover margin
                LeaseRecord last = leaseRecords(vm).get(old.generation());
                LeaseRecord taken = leaseRecords(vm).get(old.generation() + 1);
                assertTrue(vm + " taken over (" + taken + ") before " + victim + "'s lease expired (" + last + ")",
                        taken.acquiredAtMillis() >= last.expiresAtMillis() + margin);
            }
        } finally {
            if (lost) {
                Result restore = cli(Duration.ofSeconds(30), "storage-restore", cluster.toString(), victim);
                assertEquals(restore.output, 0, restore.exit);
            }
        }
        // with its path back it rejoins: alive, and every VM runs exactly once (none of them on it twice)
        Map<String, Node> rejoined = awaitStatus(FAILOVER, s -> s.get(victim).alive && everyVmOnce(s));
        System.out.println("after storage-restore: " + rejoined);
    }

    @Test
    public void brokerDeathOfOneNodeLeavesItPartitionedWithItsVms() throws Exception {
        Map<String, Node> before = someVmsOffTheManagementNode(everyNodeUpEveryVmOnce());
        String victim = before.values().stream().filter(n -> !n.name.equals(MANAGEMENT) && !n.vms.isEmpty())
                .map(Node::name).findFirst().orElse(null);
        assertTrue("no node but " + MANAGEMENT + " runs a VM: " + before, victim != null);
        List<String> victimVms = List.copyOf(before.get(victim).vms);
        long lease = storageSetting(victim, "leaseDurationMillis");
        System.out.println("before the broker stop: " + before + "; stopping the broker of " + victim);

        long t0 = System.nanoTime();
        Result stopped = shell(victim, "bundle:stop org.apache.activemq.artemis-server-osgi");
        try {
            assertEquals(stopped.output, 0, stopped.exit);
            // the management node's agent loses the victim's network heartbeats but still reads its datastore ones
            await().atMost(FAILOVER.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                    .until(() -> managementViewOf(victim).equals("PARTITIONED"));
            System.out.printf("MEASURED broker stop on %s -> PARTITIONED in %s's ha:peers: %.1f s%n", victim,
                    MANAGEMENT, (System.nanoTime() - t0) / 1e9);
            // no failover while the datastore heartbeats are fresh: for longer than a lease, every VM stays put
            long holdUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lease + 5000);
            int polls = 0;
            while (System.nanoTime() < holdUntil) {
                // each status poll asks every node's shell (seconds): poll back to back, no sleep
                Map<String, Node> now = status();
                if (now == null) {
                    continue;
                }
                polls++;
                for (String vm : victimVms) {
                    assertEquals(vm + " moved while only the broker of " + victim + " was down: " + now,
                            List.of(victim), hosts(now, vm));
                }
            }
            assertTrue("no status answered while the broker was down", polls > 0);
        } finally {
            // the shell session may close while the broker comes up ("Closed", exit 1): the broker port tells
            shell(victim, "bundle:start org.apache.activemq.artemis-server-osgi");
        }
        awaitText(FAILOVER, st -> st.get(victim).broker().equals("up"));
        long t1 = System.nanoTime();
        await().atMost(FAILOVER.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .until(() -> managementViewOf(victim).equals("ALIVE"));
        System.out.printf("MEASURED broker start on %s -> ALIVE in %s's ha:peers: %.1f s%n", victim, MANAGEMENT,
                (System.nanoTime() - t1) / 1e9);
        Map<String, Node> after = awaitStatus(FAILOVER, HaClusterIT::everyVmOnce);
        for (String vm : victimVms) {
            assertEquals(vm + " moved although only the broker of " + victim + " stopped: " + after, List.of(victim),
                    hosts(after, vm));
        }
    }

    @Test
    public void failoverCompletesWhenTheManagementNodeDiesDuringIt() throws Exception {
        Map<String, Node> before = someVmsOffTheManagementNode(everyNodeUpEveryVmOnce());
        String victim = before.values().stream().filter(n -> !n.name.equals(MANAGEMENT) && !n.vms.isEmpty())
                .map(Node::name).findFirst().orElse(null);
        assertTrue("no node but " + MANAGEMENT + " runs a VM: " + before, victim != null);
        String survivor = before.keySet().stream().filter(n -> !n.equals(MANAGEMENT) && !n.equals(victim))
                .findFirst().orElseThrow();
        System.out.println("before: " + before + "; killing " + victim + ", then " + MANAGEMENT + " at once");

        long t0 = System.nanoTime();
        Result killed = cli(Duration.ofSeconds(60), "kill", cluster.toString(), victim);
        assertEquals(killed.output, 0, killed.exit);
        // the management node dies while the victim's failover is under way (detection takes seconds)
        Result killedManagement = cli(Duration.ofSeconds(60), "kill", cluster.toString(), MANAGEMENT);
        assertEquals(killedManagement.output, 0, killedManagement.exit);

        // the lone survivor restarts both nodes' VMs on its replica alone, each exactly once
        Map<String, Node> after = awaitStatus(FAILOVER, st -> !st.get(victim).alive && !st.get(MANAGEMENT).alive
                && inventory().stream().allMatch(vm -> hosts(st, vm).equals(List.of(survivor))));
        System.out.printf("MEASURED kill -9 of %s, then of the management node %s -> all %d VMs running on %s: "
                + "%.1f s%n", victim, MANAGEMENT, inventory().size(), survivor, (System.nanoTime() - t0) / 1e9);
        assertEquals(after.toString(), inventory().size(), after.get(survivor).vms.size());
    }

    /** @return the status the management node's agent gives the peer in {@code ha:peers --json}, or "" */
    private static String managementViewOf(String peer) throws Exception {
        Result r = shell(MANAGEMENT, "ha:peers --json");
        if (r.exit != 0) {
            return "";
        }
        int start = r.output.indexOf('[');
        if (start < 0) {
            return "";
        }
        for (JsonNode row : JSON.readTree(r.output.substring(start))) {
            if (row.path("agent").asText().equals(MANAGEMENT) && row.path("peer").asText().equals(peer)) {
                return row.path("status").asText();
            }
        }
        return "";
    }

    private static void assertFencedOnDisk(String victim, Map<String, Long> victimGeneration,
            Map<String, String> newHost, Map<String, LeaseRecord> takeover, long takeoverMargin, long resumedAt,
            CheckpointWatch watch) throws IOException {
        for (Map.Entry<String, Long> e : victimGeneration.entrySet()) {
            String vm = e.getKey();
            long old = e.getValue();
            SortedMap<Long, LeaseRecord> records = leaseRecords(vm);
            LeaseRecord last = records.get(old);
            LeaseRecord next = takeover.get(vm);
            assertTrue(vm + ": generation " + old + " of " + victim + " is gone from the lease directory: " + records,
                    last != null && last.owner().equals(victim));
            assertTrue(vm + ": generation " + (old + 1) + " missing: " + records,
                    next != null && next.owner().equals(newHost.get(vm)));
            assertTrue(vm + ": " + victim + "'s generation " + old + " was renewed after the resume: " + last,
                    last.expiresAtMillis() < resumedAt);
            assertTrue(vm + ": " + next.owner() + " took generation " + next.generation() + " at "
                    + next.acquiredAtMillis() + ", before " + victim + "'s expiry " + last.expiresAtMillis()
                    + " plus the margin " + takeoverMargin, next.acquiredAtMillis() >= last.expiresAtMillis()
                            + takeoverMargin);
            LeaseRecord current = records.get(records.lastKey());
            assertEquals(vm + "'s lease: " + current, newHost.get(vm), current.owner());
            for (Path ckpt : checkpoints(vm)) {
                Matcher m = CHECKPOINT_FILE.matcher(ckpt.getFileName().toString());
                assertTrue(m.matches());
                long generation = Long.parseLong(m.group(2));
                long written = Files.getLastModifiedTime(ckpt).toMillis();
                assertFalse(vm + ": checkpoint " + ckpt.getFileName() + " of " + victim + "'s generation " + old
                        + " written at " + written + ", after the takeover at " + next.acquiredAtMillis(),
                        generation <= old && written >= next.acquiredAtMillis());
            }
            System.out.printf("fenced on disk: %s generation %d of %s expired at %d (%d ms before the resume), "
                    + "generation %d taken by %s %d ms after that expiry; checkpoints now %s%n", vm, old, victim,
                    last.expiresAtMillis(), resumedAt - last.expiresAtMillis(), next.generation(), next.owner(),
                    next.acquiredAtMillis() - last.expiresAtMillis(),
                    checkpoints(vm).stream().map(p -> p.getFileName().toString()).toList());
        }
        assertTrue("checkpoints of a stale generation appeared after the resume: " + watch.appeared(),
                watch.appeared().isEmpty());
        System.out.println("checkpoint files that appeared while " + victim + " ran again: " + watch.all());
    }

    /** Prints what the woken node logged at WARN or ERROR, and its lines naming a moved VM's volume. */
    private static void printLogSince(Path log, long offset, String victim, List<String> vms) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String since = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
        List<String> lines = since.lines().filter(l -> l.contains("WARN") || l.contains("ERROR")
                || vms.stream().anyMatch(vm -> l.contains("lun-" + vm + " ") || l.contains("lun-" + vm + ",")))
                .toList();
        System.out.println(victim + "'s karaf.log after the resume: " + since.lines().count() + " lines, "
                + lines.size() + " at WARN/ERROR or naming a moved VM's volume:");
        lines.stream().limit(60).forEach(l -> System.out.println("  " + l));
    }

    /**
     * Starts every node that is not running ({@code bin/ha-cluster start} leaves running ones alone) and waits until
     * every node is alive and every VM of the inventory runs exactly once: each test's precondition, whatever ran
     * before it.
     *
     * @return the status that showed it
     */
    private static Map<String, Node> everyNodeUpEveryVmOnce() throws Exception {
        Result started;
        try {
            started = cli(BOOT.plusSeconds(30), "start", cluster.toString(), "--timeout", Long.toString(BOOT.toSeconds()));
        } finally {
            recordPids();
        }
        assertEquals(started.output, 0, started.exit);
        return awaitStatus(BOOT, HaClusterIT::everyVmOnce);
    }

    /**
     * Makes sure a node other than the management node runs VMs. Where the VMs run depends on what ran before: a
     * kill moves the killed node's VMs to the survivors and the restarted node gets none back, so after the kill test
     * all of them may run on the management node. Then up to three of them are migrated to the first other node
     * ({@code ha:vm-migrate} in the management node's shell).
     *
     * @param status every node up, every VM once
     * @return the status afterwards
     */
    private static Map<String, Node> someVmsOffTheManagementNode(Map<String, Node> status) throws Exception {
        if (status.values().stream().anyMatch(n -> !n.name.equals(MANAGEMENT) && !n.vms.isEmpty())) {
            return status;
        }
        String target = status.keySet().stream().filter(n -> !n.equals(MANAGEMENT)).findFirst().orElseThrow();
        List<String> moving = status.get(MANAGEMENT).vms.stream().limit(3).toList();
        System.out.println("every VM runs on " + MANAGEMENT + ": " + status + "; migrating " + moving + " to " + target);
        for (String vm : moving) {
            Result r = shell(MANAGEMENT, "ha:vm-migrate " + vm + " " + target);
            assertTrue(r.output, r.exit == 0 && r.output.contains("is MIGRATING"));
        }
        return awaitStatus(FAILOVER, s -> everyVmOnce(s)
                && moving.stream().allMatch(vm -> hosts(s, vm).equals(List.of(target))));
    }

    /**
     * Runs one command in a node's Karaf shell, as {@code bin/ha-cluster status} does: that node's {@code bin/client}
     * with its generated {@code karaf} password.
     */
    private static Result shell(String node, String command) throws Exception {
        Path nodeHome = cluster.resolve(node);
        String password = property(nodeHome.resolve("etc/" + Credentials.FILE), "karaf");
        long port = setting(nodeHome.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort");
        Path out = Files.createTempFile("ha-cluster-it-shell", ".out");
        Path in = Files.writeString(Files.createTempFile("ha-cluster-it-shell", ".in"), command + "\n");
        try {
            // batch mode, the command on stdin, as bin/ha-cluster status does: with the command as an argument the
            // client often ends with "Closed" and exit 1 before the command's output (seen on these machines)
            ProcessBuilder pb = new ProcessBuilder(nodeHome.resolve("bin/client").toString(), "-b", "-r", "1", "-h",
                    "127.0.0.1", "-a", Long.toString(port), "-u", "karaf", "-p", password)
                    .directory(nodeHome.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(in.toFile()));
            pb.environment().put("KARAF_HOME", nodeHome.toString());
            pb.environment().put("KARAF_BASE", nodeHome.toString());
            pb.environment().put("KARAF_ETC", nodeHome.resolve("etc").toString());
            pb.environment().put("KARAF_OPTS", "-Duser.home=" + cluster.resolve(".client"));
            Files.createDirectories(cluster.resolve(".client"));
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " on " + node + " did not finish within 60 s:\n"
                        + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(in);
        }
    }

    /** @return true if every node is alive and every VM of the inventory runs on exactly one of them */
    private static boolean everyVmOnce(Map<String, Node> status) {
        return status.values().stream().allMatch(n -> n.alive)
                && inventory().stream().allMatch(vm -> hosts(status, vm).size() == 1)
                && status.values().stream().mapToInt(n -> n.vms.size()).sum() == inventory().size();
    }

    /** @return the names of the VMs in the management node's inventory ({@code bin/ha-cluster create}) */
    private static List<String> inventory() {
        try {
            List<String> names = new ArrayList<>();
            JSON.readTree(cluster.resolve(MANAGEMENT).resolve("etc/vmha-cluster.json").toFile()).get("vms")
                    .forEach(v -> names.add(v.get("name").asText()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long storageSetting(String node, String key) throws IOException {
        return setting(cluster.resolve(node).resolve("etc/org.vmha.storage.sharedfs.cfg"), key);
    }

    /** @return a whole-number setting of a configuration file ({@code key = value} or {@code key=value}) */
    private static long setting(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:]\\s*(\\d+)\\s*$").matcher(line);
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new IllegalStateException("no " + key + " in " + file);
    }

    // ------------------------------------------------------------------ the sharedfs datastore, read as files

    private static final Pattern LEASE_FILE = Pattern.compile("(gen|renew)-(\\d{20})\\.json");
    private static final Pattern CHECKPOINT_FILE = Pattern.compile("ckpt-(\\d{20})-g(\\d{20})\\.swap");

    /** A generation's latest state: its renewal (or release) if there is one, else its grant (docs/storage.md 2.3). */
    private record LeaseRecord(long generation, String owner, long acquiredAtMillis, long expiresAtMillis,
            boolean released) {
    }

    private static Path volume(String vm) {
        Path dir = cluster.resolve("datastore/volumes/lun-" + vm);
        assertTrue("no volume directory " + dir, Files.isDirectory(dir));
        return dir;
    }

    /** @return every generation kept in the VM's lease directory, by generation */
    private static SortedMap<Long, LeaseRecord> leaseRecords(String vm) throws IOException {
        Map<Long, LeaseRecord> grants = new TreeMap<>();
        Map<Long, LeaseRecord> renewals = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(volume(vm).resolve("lease"))) {
            files = list.toList();
        }
        for (Path f : files) {
            Matcher m = LEASE_FILE.matcher(f.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            JsonNode j;
            try {
                j = JSON.readTree(Files.readAllBytes(f));
            } catch (NoSuchFileException pruned) {
                continue;
            }
            long g = Long.parseLong(m.group(2));
            LeaseRecord r = new LeaseRecord(g, j.path("owner").asText(), j.path("acquiredAtMillis").asLong(),
                    j.path("expiresAtMillis").asLong(), j.path("released").asBoolean());
            (m.group(1).equals("gen") ? grants : renewals).put(g, r);
        }
        SortedMap<Long, LeaseRecord> out = new TreeMap<>(grants);
        out.putAll(renewals);
        return out;
    }

    private static LeaseRecord currentLease(String vm) throws IOException {
        SortedMap<Long, LeaseRecord> records = leaseRecords(vm);
        assertFalse(vm + " was never leased", records.isEmpty());
        return records.get(records.lastKey());
    }

    private static List<Path> checkpoints(String vm) throws IOException {
        try (Stream<Path> list = Files.list(volume(vm).resolve("state"))) {
            return list.filter(p -> CHECKPOINT_FILE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /**
     * The {@link CheckpointWatch} is responsible for noticing every checkpoint file that appears in some volumes while
     * it runs, however briefly (a writer withdraws a checkpoint it published past a takeover), and those among them of
     * a generation at most a given one: a stale writer's.
     */
    private static final class CheckpointWatch implements AutoCloseable {
        private final Map<String, Long> staleUpTo;
        private final Set<String> seen = new HashSet<>();
        private final List<String> appeared = new ArrayList<>();
        private final List<String> all = new ArrayList<>();
        private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "ha-cluster-it-checkpoints");
                    t.setDaemon(true);
                    return t;
                });

        CheckpointWatch(Map<String, Long> staleUpTo) throws IOException {
            this.staleUpTo = staleUpTo;
            for (String vm : staleUpTo.keySet()) {
                checkpoints(vm).forEach(p -> seen.add(vm + "/" + p.getFileName()));
            }
            timer.scheduleWithFixedDelay(this::scan, 0, 50, TimeUnit.MILLISECONDS);
        }

        private synchronized void scan() {
            for (Map.Entry<String, Long> e : staleUpTo.entrySet()) {
                List<Path> now;
                try {
                    now = checkpoints(e.getKey());
                } catch (IOException | UncheckedIOException changing) {
                    continue; // the directory changed under the listing: the next scan
                }
                for (Path p : now) {
                    String key = e.getKey() + "/" + p.getFileName();
                    if (seen.add(key)) {
                        Matcher m = CHECKPOINT_FILE.matcher(p.getFileName().toString());
                        all.add(key);
                        if (m.matches() && Long.parseLong(m.group(2)) <= e.getValue()) {
                            appeared.add(key + " (seen at " + System.currentTimeMillis() + ")");
                        }
                    }
                }
            }
        }

        synchronized List<String> appeared() {
            return List.copyOf(appeared);
        }

        synchronized List<String> all() {
            return List.copyOf(all);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static boolean subscribed(ExternalProcess noc) {
        String out = noc.output();
        if (out.contains("Error") || out.contains("refused") || out.contains("not authorised")) {
            throw new IllegalStateException("mosquitto_sub failed: " + out);
        }
        return out.contains("SUBACK");
    }

    private static List<String> hosts(Map<String, Node> status, String vm) {
        List<String> on = new ArrayList<>();
        status.values().forEach(n -> {
            for (String v : n.vms) {
                if (v.equals(vm)) {
                    on.add(n.name);
                }
            }
        });
        return on;
    }

    private static long runningCount(Map<String, Node> status) {
        Set<String> distinct = new HashSet<>();
        status.values().forEach(n -> distinct.addAll(n.vms));
        return distinct.size();
    }

    private interface Condition {
        boolean holds(Map<String, Node> status);
    }

    private static Map<String, Node> awaitStatus(Duration atMost, Condition condition) {
        AtomicReference<Map<String, Node>> last = new AtomicReference<>();
        try {
            await().atMost(atMost.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
                Map<String, Node> now = status();
                last.set(now);
                return now != null && condition.holds(now);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("ha-cluster status never showed what was awaited; last: " + last.get(), e);
        }
        return last.get();
    }

    /** @return the parsed {@code status --json}, or null when it failed */
    private static Map<String, Node> status() throws Exception {
        Result r = cli(Duration.ofSeconds(90), "status", cluster.toString(), "--json");
        if (r.exit != 0) {
            return null;
        }
        JsonNode root = JSON.readTree(r.output);
        Map<String, Node> out = new LinkedHashMap<>();
        for (JsonNode n : root.get("nodes")) {
            List<String> vms = new ArrayList<>();
            n.get("vms").forEach(v -> vms.add(v.asText()));
            out.put(n.get("name").asText(), new Node(n.get("name").asText(), n.get("alive").asBoolean(), vms));
        }
        assertEquals(r.output, NODES, out.size());
        return out;
    }

    /** @return the parsed text form of {@code status}, which adds each node's state and broker, or null when it failed */
    private static Map<String, NodeState> statusText() throws Exception {
        Result r = cli(Duration.ofSeconds(90), "status", cluster.toString());
        if (r.exit != 0) {
            return null;
        }
        Map<String, NodeState> out = new LinkedHashMap<>();
        // NODE PID ALIVE STATE BROKER VMS (space-separated, "-" for none)
        for (String line : r.output.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[0].matches("node[0-9]+")) {
                continue;
            }
            List<String> vms = new ArrayList<>();
            for (int i = 5; i < f.length; i++) {
                if (!f[i].equals("-")) {
                    vms.add(f[i]);
                }
            }
            out.put(f[0], new NodeState(f[0], f[2].equals("yes"), f[3], f[4], vms));
        }
        assertEquals(r.output, NODES, out.size());
        return out;
    }

    private interface TextCondition {
        boolean holds(Map<String, NodeState> status);
    }

    private static Map<String, NodeState> awaitText(Duration atMost, TextCondition condition) {
        AtomicReference<Map<String, NodeState>> last = new AtomicReference<>();
        try {
            await().atMost(atMost.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
                Map<String, NodeState> now = statusText();
                last.set(now);
                return now != null && condition.holds(now);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("ha-cluster status never showed what was awaited; last: " + last.get(), e);
        }
        return last.get();
    }

    private static Map<String, Node> nodes(Map<String, NodeState> text) {
        Map<String, Node> out = new LinkedHashMap<>();
        text.values().forEach(n -> out.put(n.name, new Node(n.name, n.alive, n.vms)));
        return out;
    }

    private record NodeState(String name, boolean alive, String state, String broker, List<String> vms) {
        @Override
        public String toString() {
            return name + "(" + state + ", broker " + broker + ")" + vms;
        }
    }

    private record Node(String name, boolean alive, List<String> vms) {
        @Override
        public String toString() {
            return name + (alive ? "" : "(dead)") + vms;
        }
    }

    private static void recordPids() throws IOException {
        for (int i = 1; i <= NODES; i++) {
            Path pidFile = cluster.resolve("node" + i).resolve(PID_FILE);
            if (Files.exists(pidFile)) {
                String text = Files.readString(pidFile).trim();
                if (text.matches("[0-9]+")) {
                    startedPids.add(Long.parseLong(text));
                }
            }
        }
    }

    private static String property(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + key + " in " + file);
    }

    /** @return a port P with P..P+count-1 all free on loopback, below the ephemeral range */
    private static int freeBasePort(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 32000 - count);
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int p = base; p < base + count; p++) {
                    held.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
                }
                return base;
            } catch (IOException busy) {
                // try another base
            } finally {
                for (ServerSocket s : held) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a probe socket
                    }
                }
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports between 20000 and 32000");
    }

    private record Result(int exit, String output) {
    }

    private static Result cli(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/ha-cluster").toString());
        command.addAll(List.of(args));
        return run(timeout, home, command.toArray(String[]::new));
    }

    private static Result run(Duration timeout, Path dir, String... command) throws Exception {
        Path out = Files.createTempFile("ha-cluster-it", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + ":\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
