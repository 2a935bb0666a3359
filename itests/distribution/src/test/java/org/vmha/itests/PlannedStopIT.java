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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link PlannedStopIT} is responsible for what an operator does on an ordinary day with the real distribution
 * ({@code bin/start}, {@code bin/stop}, the shell over ssh), each test from a running node:
 * <ul>
 * <li>restarting the routes bundle, README's own demo step, neither stops nor moves a VM;</li>
 * <li>{@code bin/stop} is a planned stop: every host announces {@code host.stopping} and no {@code host.failed} or
 * {@code restart-pending} is raised; after {@code bin/start} every VM is where it was, in the state and with the
 * settings it had, the table version did not go back, the event history is still there and no event id repeats.</li>
 * </ul>
 *
 * @author vmha - Initial contribution
 */
@RunWith(TestOrder.PlainRunner.class)
public class PlannedStopIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ProcessNode node;

    @BeforeClass
    public static void start() throws Exception {
        node = ProcessNode.unpack("planned-stop");
        node.start();
        awaitVmsRunning(20, 0);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    public void restartingTheRoutesNeitherStopsNorMovesAVm() throws Exception {
        ensureRunning();
        Map<String, JsonNode> before = vms();
        shell("bundle:restart org.vmha.ha-camel-routes");
        await().atMost(90, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).ignoreExceptions()
                .until(() -> node.log().lines().filter(l -> l.contains("the network channel is back")).count() >= 4);
        Map<String, JsonNode> after = vms();
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            JsonNode a = after.get(e.getKey());
            String vm = e.getKey();
            assertEquals(vm + " host", e.getValue().path("host").asText(), a.path("host").asText());
            assertEquals(vm + " state", e.getValue().path("state").asText(), a.path("state").asText());
            assertEquals(vm + " lease generation (a restart would take a new one)",
                    e.getValue().path("generation").asLong(), a.path("generation").asLong());
            assertEquals(vm + " restarts", e.getValue().path("restarts").asLong(), a.path("restarts").asLong());
            assertEquals(vm + " runs on", e.getValue().path("runningOn").toString(), a.path("runningOn").toString());
        }
    }

    @Test
    public void aPlannedStopRaisesNoFailureAndTheNextStartKeepsEveryVmWhereItWas() throws Exception {
        ensureRunning();
        shell("ha:vm-power-off VM05");
        shell("ha:vm-set --priority low VM07");
        await().atMost(30, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).ignoreExceptions()
                .until(() -> vms().get("VM05").path("state").asText().equals("POWERED_OFF")
                        && vms().get("VM07").path("priority").asText().equals("low"));
        Map<String, JsonNode> before = vms();
        long versionBefore = cluster().path("tableVersion").asLong();
        List<String> idsBefore = eventIds();
        Path journal = node.home.resolve("data/vmha/events/events.jsonl");
        int linesBefore = Files.readAllLines(journal, StandardCharsets.UTF_8).size();

        long stopping = System.nanoTime();
        node.stop();
        System.out.printf("MEASURED bin/stop of 4 hosts and 20 VMs: %.1f s%n", (System.nanoTime() - stopping) / 1e9);

        List<JsonNode> during = new ArrayList<>();
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        for (String line : lines.subList(linesBefore, lines.size())) {
            during.add(JSON.readTree(line));
        }
        Set<String> stoppingHosts = new HashSet<>();
        for (JsonNode e : during) {
            String type = e.path("type").asText();
            assertFalse("a planned stop raised " + type + " for " + e.path("subject").asText() + ": " + e,
                    type.equals("org.vmha.host.failed") || type.equals("org.vmha.vm.restart-pending"));
            if (type.equals("org.vmha.host.stopping")) {
                stoppingHosts.add(e.path("subject").asText());
                assertEquals("with-node", e.path("data").path("handOver").asText());
            }
        }
        assertEquals(Set.of("H1", "H2", "H3", "H4"), stoppingHosts);

        node.start();
        awaitVmsRunning(19, 1);
        Map<String, JsonNode> after = vms();
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            String vm = e.getKey();
            JsonNode a = after.get(vm);
            assertEquals(vm + " host", e.getValue().path("host").asText(), a.path("host").asText());
            assertEquals(vm + " state", e.getValue().path("state").asText(), a.path("state").asText());
            assertEquals(vm + " priority", e.getValue().path("priority").asText(), a.path("priority").asText());
            if (!vm.equals("VM05")) {
                assertEquals(vm + " runs on its own host again", "[\"" + e.getValue().path("host").asText() + "\"]",
                        a.path("runningOn").toString());
            }
        }
        await().atMost(60, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).ignoreExceptions()
                .until(() -> cluster().path("tableVersion").asLong() >= versionBefore);
        List<String> idsAfter = eventIds();
        assertTrue("the history of the last run is kept: " + idsBefore.get(idsBefore.size() - 1),
                idsAfter.contains(idsBefore.get(idsBefore.size() - 1)));
        assertEquals("event ids never repeat across the restart", idsAfter.size(), new HashSet<>(idsAfter).size());
    }

    // ------------------------------------------------------------------ helpers

    private static void ensureRunning() throws Exception {
        if (node.pid() < 0) {
            node.start();
        }
        awaitVmsRunning(vms().values().stream().filter(v -> !v.path("state").asText().equals("POWERED_OFF"))
                .toList().size(), -1);
    }

    /** Waits until {@code running} VMs run on their host (and, unless negative, {@code off} are powered off). */
    private static void awaitVmsRunning(int running, int off) {
        await().atMost(ProcessNode.BOOT.toSeconds(), TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS)
                .ignoreExceptions().until(() -> {
                    Map<String, JsonNode> vms = vms();
                    long up = vms.values().stream().filter(v -> v.path("state").asText().equals("RUNNING")
                            && v.path("runningOn").size() == 1
                            && v.path("runningOn").get(0).asText().equals(v.path("host").asText())).count();
                    long down = vms.values().stream().filter(v -> v.path("state").asText().equals("POWERED_OFF"))
                            .count();
                    return up == running && (off < 0 || down == off);
                });
    }

    private static Map<String, JsonNode> vms() throws Exception {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode vm : JSON.readTree(shell("ha:vms --json"))) {
            out.put(vm.path("vm").asText(), vm);
        }
        return out;
    }

    private static JsonNode cluster() throws Exception {
        return JSON.readTree(shell("ha:cluster --json"));
    }

    private static List<String> eventIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : JSON.readTree(shell("ha:events -n 2000 --json"))) {
            ids.add(e.path("id").asText());
        }
        return ids;
    }

    private static String shell(String command) throws Exception {
        ProcessNode.Shell r = node.ssh("karaf", node.credentials().karaf(), command);
        assertEquals(command + " failed:\n" + r.output(), 0, r.exit());
        return r.output();
    }
}
