/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.vmha.api.event.EventTypes;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.storage.StorageAdapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The operator surface on the real distribution (4 simulated hosts, 20 VMs, real Artemis and Camel): the
 * {@code ha:*} shell commands with their output, {@code --json}, errors and roles, and the same operations over
 * the NOC API from clients not written here (python3-qpid-proton over AMQP, mosquitto_sub over MQTT).
 *
 * <p>One container for the class; each test starts from the cluster as shipped ({@link #theClusterAsShipped()})
 * and undoes what it changes in a {@code finally}, so the tests pass in any order ({@link TestOrder}) and one
 * failure does not fail the next.
 */
@RunWith(TestOrder.PaxExamRunner.class)
@ExamReactorStrategy(PerClass.class)
public class OperatorCommandsIT extends VmhaTestSupport {

    private static final int VMS = 20;
    private static final List<String> HOSTS = List.of("H1", "H2", "H3", "H4");
    private static final long SETTLE_S = 180;
    private static final RolePrincipal ADMIN = new RolePrincipal("admin");
    private static final RolePrincipal VIEWER = new RolePrincipal("viewer");

    private final ObjectMapper mapper = new ObjectMapper();

    private String shell(String command, RolePrincipal role) {
        return executeCommand(command, TIMEOUT.toMillis(), false, role);
    }

    private JsonNode json(String command) throws Exception {
        String out = shell(command, VIEWER);
        return mapper.readTree(out.substring(out.indexOf(out.trim().charAt(0))));
    }

    private void awaitAllRunning() {
        await().atMost(SETTLE_S, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertEquals("VMs running: " + whereRunning(), VMS, whereRunning().size()));
    }

    /** @return a VM (name) running on {@code host} and its lun */
    private String[] vmOn(String host) throws Exception {
        for (Map.Entry<String, List<String>> e : whereRunning().entrySet()) {
            if (e.getValue().equals(List.of(host))) {
                return new String[] {vmName(e.getKey()), e.getKey()};
            }
        }
        throw new AssertionError("no VM runs on " + host + ": " + whereRunning());
    }

    private static String vmName(String lun) {
        return lun.substring("lun-".length());
    }

    /**
     * What every test starts from, whatever ran before it: the management service answers, the inventory's 4
     * hosts and no other are in the cluster, none in maintenance, and all 20 VMs are powered on and running.
     */
    @Before
    public void theClusterAsShipped() throws Exception {
        try (JmsRequestor noc = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            await().atMost(SETTLE_S, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).ignoreExceptions()
                    .until(() -> noc.request("{\"command\":\"status\"}", TIMEOUT).contains("\"ok\":true"));
        }
        for (JsonNode h : json("ha:hosts --json")) {
            String host = h.path("host").asText();
            if (!HOSTS.contains(host)) {
                shell("ha:host-remove " + host, ADMIN);
            } else if ("MAINTENANCE".equals(h.path("state").asText())) {
                shell("ha:host-maintenance " + host + " off", ADMIN);
            }
        }
        for (JsonNode vm : json("ha:vms --json")) {
            if ("POWERED_OFF".equals(vm.path("state").asText())) {
                shell("ha:vm-power-on " + vm.path("vm").asText(), ADMIN);
            }
        }
        awaitAllRunning();
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertEquals(4, json("ha:cluster --json").path("hosts").path("connected").asInt()));
    }

    @Test
    public void a_listingsShowTheLiveCluster() throws Exception {
        awaitAllRunning();
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertEquals(4, json("ha:cluster --json").path("hosts").path("connected").asInt()));
        JsonNode cluster = json("ha:cluster --json");
        assertEquals(VMS, cluster.path("vms").path("total").asInt());
        assertEquals(VMS, cluster.path("vms").path("protected").asInt());
        assertEquals("slot", cluster.path("admission").path("policy").asText());
        String table = shell("ha:cluster", VIEWER);
        assertTrue(table, table.contains("Hosts up") && table.contains("Admission policy") && table.contains("slot"));

        JsonNode hosts = json("ha:hosts --json");
        assertEquals(hosts.toString(), 4, hosts.size());
        for (JsonNode h : hosts) {
            assertEquals(h.toString(), "CONNECTED", h.path("state").asText());
            assertEquals(h.toString(), 16, h.path("slots").asInt());
            assertTrue(h.toString(), h.path("networkHeartbeatAgeMs").asLong(-1) >= 0
                    && h.path("networkHeartbeatAgeMs").asLong() < 5_000);
            assertTrue(h.toString(), h.path("datastoreHeartbeatAgeMs").asLong(-1) >= 0);
        }
        String hostTable = shell("ha:hosts --no-format", VIEWER);
        assertTrue(hostTable, hostTable.contains("H4") && hostTable.contains("CONNECTED"));

        JsonNode admission = json("ha:admission --json");
        assertEquals(64, admission.path("totalSlots").asInt());
        assertEquals("one plan per connected host", 4, admission.path("plans").size());
        JsonNode whatIf = json("ha:plan --fail H1,H2 --json");
        assertEquals(1, whatIf.path("plans").size());
        assertEquals("[\"H1\",\"H2\"]", whatIf.path("plans").get(0).path("failed").toString());
        assertEquals(whatIf.toString(), 0, whatIf.path("plans").get(0).path("unplaced").size());

        String[] vm = vmOn("H1");
        String why = shell("ha:why " + vm[0], VIEWER);
        assertTrue(why, why.contains("VM " + vm[0] + " is RUNNING on H1") && why.contains("If H1 failed now"));
        JsonNode vms = json("ha:vms --json");
        assertEquals(VMS, vms.size());
        assertTrue(vms.get(0).toString(), vms.get(0).has("lastCheckpointAgeMs") && vms.get(0).has("restarts"));

        JsonNode started = json("ha:events --type cluster.started --json");
        assertTrue(started.toString(), started.size() >= 1);
        assertEquals(EventTypes.CLUSTER_STARTED, started.get(0).path("type").asText());
    }

    @Test
    public void b_powerOffAndPowerOnThroughTheShell() throws Exception {
        awaitAllRunning();
        StorageAdapter storage = getOsgiService(StorageAdapter.class, TIMEOUT.toMillis());
        String[] vm = vmOn("H1");
        String off = shell("ha:vm-power-off " + vm[0], ADMIN);
        assertTrue(off, off.contains("VM " + vm[0] + " is POWERED_OFF"));
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> {
                    assertTrue(vm[1] + " still runs: " + whereRunning(), !whereRunning().containsKey(vm[1]));
                    assertTrue("lease still held", storage.inspectLease(vm[1])
                            .filter(l -> l.isLive(System.currentTimeMillis())).isEmpty());
                });
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> json("ha:events --type vm.powered-off --json")
                .toString().contains("\"subject\":\"" + vm[0] + "\""));
        try {
            shell("ha:vm-power-off " + vm[0], ADMIN);
            fail("powered off twice");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("VM " + vm[0] + " is already powered off"));
        }

        String on = shell("ha:vm-power-on --host H4 " + vm[0], ADMIN);
        assertTrue(on, on.contains("VM " + vm[0] + " is STARTING on H4"));
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertEquals(List.of("H4"), whereRunning().get(vm[1])));
        RunningVm running = runningVms().get(vm[1]);
        assertEquals("a power-on boots", -1, running.resumedFromCheckpoint());
        assertEquals("H4", storage.inspectLease(vm[1]).orElseThrow().owner());
        awaitAllRunning();
    }

    @Test
    public void c_migrationResumesOnTheDestinationFromTheCheckpointTakenOnLeaving() throws Exception {
        awaitAllRunning();
        String[] vm = vmOn("H2");
        String out = shell("ha:vm-migrate " + vm[0] + " H3", ADMIN);
        assertTrue(out, out.contains("VM " + vm[0] + " is MIGRATING from H2 to H3"));
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertEquals(List.of("H3"), whereRunning().get(vm[1])));
        assertTrue("resumed, not booted", runningVms().get(vm[1]).resumedFromCheckpoint() >= 0);
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> json("ha:events --type vm.migrated --json")
                .toString().contains("\"from\":\"H2\""));
        awaitAllRunning();
    }

    @Test
    public void d_changesNeedAdminAndBadArgumentsGetOneClearLine() throws Exception {
        awaitAllRunning();
        String[] vm = vmOn("H1");
        for (String change : List.of("ha:vm-power-off " + vm[0], "ha:vm-migrate " + vm[0] + " H2",
                "ha:vm-set --priority low " + vm[0], "ha:host-maintenance H1 on", "ha:host-remove H1",
                "ha:host-add --capacity cpuMhz=1,memoryMb=1 H9", "ha:vm-power-on " + vm[0])) {
            try {
                shell(change, VIEWER);
                fail("a viewer ran " + change);
            } catch (RuntimeException e) {
                assertTrue(change + ": " + e.getMessage(), e.getMessage().contains("Insufficient credentials")
                        || e.getMessage().contains("Command not found"));
            }
        }
        assertError("ha:vm-power-on nope", "unknown VM 'nope'");
        assertError("ha:vm-migrate " + vm[0] + " H9", "unknown host 'H9'; known: H1, H2, H3, H4");
        assertError("ha:vm-migrate " + vm[0] + " H1", "already runs on H1");
        assertError("ha:vm-set --priority urgent " + vm[0], "priority 'urgent' is not one of");
        assertError("ha:vm-set --ha maybe " + vm[0], "--ha must be on or off");
        assertError("ha:host-maintenance H1 maybe", "mode must be on or off");
        assertError("ha:host-add --capacity cpuMhz=lots H9", "amount of cpuMhz is not a whole number");
        assertError("ha:host-remove H1", "host H1 still runs");
        try {
            shell("ha:plan --fail H7", VIEWER);
            fail("ha:plan failed an unknown host");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("unknown host 'H7'"));
        }

        String added = shell("ha:host-add --capacity cpuMhz=8000,memoryMb=8192 H9", ADMIN);
        boolean removed = false;
        try {
            assertTrue(added, added.contains("Host H9 added") && added.contains("FAILED until its agent is heard"));
            JsonNode h9 = null;
            for (JsonNode h : json("ha:hosts --json")) {
                if (h.path("host").asText().equals("H9")) {
                    h9 = h;
                }
            }
            assertTrue("ha:hosts does not list H9", h9 != null);
            assertEquals(-1, h9.path("heardAgoMs").asLong());
            assertError("ha:host-add --capacity cpuMhz=8000,memoryMb=8192 H9", "host H9 is already in the cluster");
            removed = true;
            assertTrue(shell("ha:host-remove H9", ADMIN).contains("Host H9 removed from the cluster"));
        } finally {
            if (!removed) {
                shell("ha:host-remove H9", ADMIN);
            }
        }

        String priority = null;
        for (JsonNode v : json("ha:vms --json")) {
            if (v.path("vm").asText().equals(vm[0])) {
                priority = v.path("priority").asText();
            }
        }
        assertTrue("ha:vms does not list " + vm[0], priority != null);
        try {
            String set = shell("ha:vm-set --priority highest --alternate H4 --isolation-response shutdown " + vm[0], ADMIN);
            assertTrue(set, set.contains("priority highest, alternate H4, isolation response shutdown"));
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> shell("ha:why " + vm[0], VIEWER)
                    .contains("Its alternate host is H4, pinned by an operator."));
        } finally {
            // as the inventory has it: its own priority, no pinned alternate, the cluster's isolation response
            shell("ha:vm-set --priority " + priority + " --alternate none --isolation-response cluster " + vm[0], ADMIN);
        }
    }

    private void assertError(String command, String expected) {
        try {
            shell(command, ADMIN);
            fail(command + " was accepted");
        } catch (RuntimeException e) {
            assertTrue(command + ": " + e.getMessage(), e.getMessage().contains(expected));
        }
    }

    @Test
    public void e_nocPowerOnOverAmqpIsAnsweredAndItsEventsReachAnMqttSubscriber() throws Exception {
        awaitAllRunning();
        String[] vm = vmOn("H3");
        try (JmsRequestor noc = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            String off = noc.request("{\"command\":\"power-off\",\"id\":\"o1\",\"args\":{\"vm\":\"" + vm[0] + "\"}}",
                    TIMEOUT);
            assertTrue(off, off.startsWith("{\"ok\":true,\"command\":\"power-off\",\"id\":\"o1\""));
            // bad input for the management commands: a reply naming it, and the next request works
            String bad = noc.request("{\"command\":\"power-on\",\"args\":{\"vm\":12}}", TIMEOUT);
            assertTrue(bad, bad.contains("\"code\":\"BAD_REQUEST\",\"message\":\"argument 'vm' of command "
                    + "'power-on' must be a string, got integer 12\""));
            assertTrue(noc.request("{\"command\":\"why\",\"args\":{\"vm\":\"nope\"}}", TIMEOUT)
                    .contains("\"code\":\"NOT_FOUND\""));
            assertTrue(noc.request("{\"command\":\"maintenance\",\"args\":{\"host\":\"H1\",\"on\":\"yes\"}}", TIMEOUT)
                    .contains("\"code\":\"BAD_REQUEST\""));
            assertTrue(noc.request("{\"command\":\"status\",\"args\":{\"verbose\":true}}", TIMEOUT)
                    .contains("command 'status' has no argument 'verbose'"));
            String status = noc.request("{\"command\":\"status\"}", TIMEOUT);
            assertTrue(status, status.contains("\"hostCounts\":{\"connected\":4"));
        }
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .until(() -> !whereRunning().containsKey(vm[1]));

        try (ExternalProcess sub = ExternalProcess.start("stdbuf", "-oL", "mosquitto_sub", "-d", "-h", "127.0.0.1",
                "-p", Integer.toString(mqttPort()), "-u", "noc", "-P", Credentials.ofThisContainer().noc(), "-t", "ha/events", "-W", "120")) {
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> sub.output().contains("received SUBACK"));
            String script = System.getProperty("karaf.base") + "/examples/noc-command.py";
            try (ExternalProcess amqp = ExternalProcess.start("/usr/bin/python3", script, "--url", "amqp://127.0.0.1:" + amqpPort(),
                    "--user", "operator", "--password", Credentials.ofThisContainer().operator(), "power-on", "{\"vm\": \"" + vm[0] + "\", \"host\": \"H2\"}")) {
                assertEquals(amqp.output(), 0, amqp.waitFor(TIMEOUT));
                JsonNode reply = mapper.readTree(amqp.output().trim());
                assertTrue(reply.toString(), reply.path("ok").asBoolean());
                assertEquals("STARTING", reply.path("result").path("state").asText());
                assertEquals("H2", reply.path("result").path("host").asText());
            }
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> List.copyOf(sub.lines()).stream()
                    .anyMatch(l -> l.contains(EventTypes.VM_POWERED_ON) && l.contains("\"subject\":\"" + vm[0] + "\"")));
            // a NOC reader may not send commands
            try (ExternalProcess denied = ExternalProcess.start("/usr/bin/python3", script, "--url",
                    "amqp://127.0.0.1:" + amqpPort(), "--user", "noc", "--password", Credentials.ofThisContainer().noc(), "--timeout", "10", "status")) {
                assertTrue(denied.output(), denied.waitFor(TIMEOUT) != 0);
            }
        }
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertEquals(List.of("H2"), whereRunning().get(vm[1])));
    }

    @Test
    public void f_maintenanceModeEvacuatesAHostAndTheHostListShowsIt() throws Exception {
        awaitAllRunning();
        String out = shell("ha:host-maintenance H4 on", ADMIN);
        boolean left = false;
        try {
            assertH4IsEvacuated(out);
            left = true;
            assertTrue(shell("ha:host-maintenance H4 off", ADMIN).contains("left maintenance mode"));
        } finally {
            if (!left) {
                shell("ha:host-maintenance H4 off", ADMIN);
            }
        }
    }

    private void assertH4IsEvacuated(String out) throws Exception {
        assertTrue(out, out.contains("Host H4 is in maintenance mode"));
        await().atMost(SETTLE_S, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).untilAsserted(() -> {
            Map<String, List<String>> where = whereRunning();
            assertEquals(where.toString(), VMS, where.size());
            for (Map.Entry<String, List<String>> e : where.entrySet()) {
                assertEquals(e.toString(), 1, e.getValue().size());
                assertTrue(e.toString(), !e.getValue().contains("H4"));
            }
        });
        Map<String, String> states = new TreeMap<>();
        for (JsonNode h : json("ha:hosts --json")) {
            states.put(h.path("host").asText(), h.path("state").asText());
        }
        assertEquals("MAINTENANCE", states.get("H4"));
        try {
            shell("ha:vm-migrate " + vmOn("H1")[0] + " H4", ADMIN);
            fail("migrated onto a host in maintenance mode");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("in maintenance mode"));
        }
    }

    @Test
    public void g_withTheManagementServiceStoppedChangesAreUnavailableButListingsOfAgentsWork() throws Exception {
        Configuration management = configurationAdmin.getConfiguration("org.vmha.management", null);
        ConfigBackup backup = managementBackup();
        management.delete();
        try {
            assertChangesAreRefusedAndListingsWork();
        } finally {
            restore(backup);
        }
    }

    private void assertChangesAreRefusedAndListingsWork() throws Exception {
        try (JmsRequestor noc = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                    .until(() -> noc.request("{\"command\":\"power-on\",\"args\":{\"vm\":\"VM01\"}}", TIMEOUT)
                            .contains("\"code\":\"UNAVAILABLE\""));
        }
        try {
            shell("ha:vm-power-on VM01", ADMIN);
            fail("power-on without the management service");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("the management service does not run on this node"));
        }
        assertTrue(shell("ha:vms --no-format", VIEWER).contains("VM01"));
    }
}
