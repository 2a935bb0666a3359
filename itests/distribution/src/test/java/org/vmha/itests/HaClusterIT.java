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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link HaClusterIT} is responsible for the multi-process proof of issue 13's first acceptance line: the
 * distribution's own {@code bin/ha-cluster} lays out a 3-node cluster (one Karaf per host, each with its own
 * embedded broker, clustered), starts it, and after {@code kill -9} of one node every VM that node ran runs again
 * on the two survivors, each exactly once. A NOC subscriber connected to a surviving node sees the other
 * survivor's events, which cross the broker cluster.
 * <p>
 * Ports come from a random free base port; the cluster lives in a fresh directory under {@code target/}. Every
 * process the test started is ended in {@link #cleanUp()} by its recorded pid, also when a step failed.
 *
 * @author vmha - Initial contribution
 */
public class HaClusterIT {

    private static final Duration BOOT = Duration.ofSeconds(300);
    private static final Duration FAILOVER = Duration.ofSeconds(120);
    private static final int NODES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

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
        Map<String, Node> before = awaitStatus(BOOT, s -> s.values().stream().allMatch(n -> n.alive)
                && runningCount(s) == 3 * NODES
                && s.values().stream().mapToInt(n -> n.vms.size()).sum() == 3 * NODES);
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

    private record Node(String name, boolean alive, List<String> vms) {
        @Override
        public String toString() {
            return name + (alive ? "" : "(dead)") + vms;
        }
    }

    private static void recordPids() throws IOException {
        for (int i = 1; i <= NODES; i++) {
            Path pidFile = cluster.resolve("node" + i).resolve("ha-cluster.pid");
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
