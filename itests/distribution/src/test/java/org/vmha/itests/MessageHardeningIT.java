/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.jms.JMSException;
import javax.jms.JMSSecurityException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.vmha.agent.AgentStatus;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.messaging.MessageRefusals;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.event.CloudEventCodec;
import org.vmha.core.security.MessageAuthenticator;
import org.vmha.core.transport.ClusterMessageCodec;
import org.vmha.api.transport.TableUpdate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Findings 3, 4, 5 and 8 of issue 14 on the real distribution (4 simulated hosts, 20 VMs, the real broker): each
 * test runs the audit's reproduction with real clients (python3-qpid-proton over AMQP, mosquitto over MQTT, core
 * JMS) and shows it refused, the cluster unharmed and the next valid message served. One container for the class;
 * every test waits for the settled cluster it needs and counts refusals from its own starting point, so the tests
 * pass in any order ({@link TestOrder}).
 */
@RunWith(TestOrder.PaxExamRunner.class)
@ExamReactorStrategy(PerClass.class)
public class MessageHardeningIT extends VmhaTestSupport {

    private static final int VMS = 20;
    private static final RolePrincipal ADMIN = new RolePrincipal("admin");
    private static final RolePrincipal VIEWER = new RolePrincipal("viewer");
    private final ObjectMapper mapper = new ObjectMapper();
    private final ClusterMessageCodec codec = new ClusterMessageCodec();

    private String shell(String command, RolePrincipal role) {
        return executeCommand(command, TIMEOUT.toMillis(), false, role);
    }

    private JsonNode json(String command) throws Exception {
        String out = shell(command, VIEWER);
        return mapper.readTree(out.substring(out.indexOf(out.trim().charAt(0))));
    }

    private void awaitSettled() {
        await().atMost(180, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).ignoreExceptions().untilAsserted(() -> {
            assertEquals("VMs running: " + whereRunning(), VMS, whereRunning().size());
            assertEquals(4, json("ha:cluster --json").path("hosts").path("connected").asInt());
        });
    }

    /** Watches for {@code seconds} that every host stays CONNECTED in ha:hosts and in every agent's view. */
    private void assertNoHostLooksFailedFor(int seconds) throws Exception {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            for (JsonNode h : json("ha:hosts --json")) {
                assertEquals(h.toString(), "CONNECTED", h.path("state").asText());
            }
            for (ServiceReference<AgentStatus> r : agents()) {
                AgentStatus s = bundleContext.getService(r);
                try {
                    for (org.vmha.api.transport.PeerView p : s.peers()) {
                        assertEquals(s.host() + " sees " + p, "ALIVE", p.status().name());
                    }
                } finally {
                    bundleContext.ungetService(r);
                }
            }
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(400);
        }
    }

    private long refused(String reason) {
        MessageRefusals r = getOsgiService(MessageRefusals.class, TIMEOUT.toMillis());
        return r.counts().getOrDefault(reason, 0L);
    }

    private String vmOnH1() throws Exception {
        for (Map.Entry<String, List<String>> e : whereRunning().entrySet()) {
            if (e.getValue().equals(List.of("H1"))) {
                return e.getKey();
            }
        }
        throw new AssertionError("no VM on H1: " + whereRunning());
    }

    @Test
    public void a_theClusterKeyWasGeneratedAtFirstStartWithMode0600() throws Exception {
        Path key = BrokerClient.keyFile();
        assertTrue(key + " missing", Files.exists(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        awaitSettled();
    }

    @Test
    public void b_finding3_aStatusRequestWithReplyToTheHeartbeatTopicIsRefusedAndNoHostLooksFailed() throws Exception {
        awaitSettled();
        long before = refused("reply-to");
        String corr = "f3-" + UUID.randomUUID();
        Path script = Files.createTempFile("f3", ".py");
        // the audit's reproduction over AMQP, with Debian's Qpid Proton: {"command":"status"}, reply_to=ha.heartbeat.host
        Files.writeString(script, String.join("\n",
                "import sys",
                "from proton import Message",
                "from proton.utils import BlockingConnection",
                "c = BlockingConnection(sys.argv[1], user='operator', password=sys.argv[3], allowed_mechs='PLAIN')",
                "s = c.create_sender('ha.commands')",
                "s.send(Message(body='{\"command\":\"status\"}', reply_to='ha.heartbeat.host', correlation_id=sys.argv[2]))",
                "c.close()", ""));
        try (CoreSubscriber heartbeats = new CoreSubscriber("ha.heartbeat.host", Credentials.ofThisContainer().agentUser(), Credentials.ofThisContainer().agent());
                ExternalProcess events = ExternalProcess.start("stdbuf", "-oL", "mosquitto_sub", "-d", "-h", "127.0.0.1",
                "-p", Integer.toString(mqttPort()), "-u", "noc", "-P", Credentials.ofThisContainer().noc(), "-t", "ha/events", "-W", "120")) {
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> events.output().contains("received SUBACK"));
            for (int i = 0; i < 3; i++) {
                try (ExternalProcess amqp = ExternalProcess.start("/usr/bin/python3", script.toString(),
                        "amqp://127.0.0.1:" + amqpPort(), corr + "-" + i, Credentials.ofThisContainer().operator())) {
                    assertEquals(amqp.output(), 0, amqp.waitFor(TIMEOUT));
                }
            }
            // the same over core JMS: a topic, another user's queue, a wildcard, none of the requester's own
            try (JmsRequestor op = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
                op.send("{\"command\":\"status\"}", corr + "-topic", op.session().createTopic("ha.heartbeat.host"));
                op.send("{\"command\":\"status\"}", corr + "-table", op.session().createTopic("ha.table"));
                op.send("{\"command\":\"status\"}", corr + "-other", op.session().createQueue("ha.replies.karaf.x"));
                op.send("{\"command\":\"status\"}", corr + "-advice", op.session().createQueue("ha.drs.advice"));
            }
            // refused: an error event naming the user, a DLQ entry naming the user, nothing executed
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> List.copyOf(events.lines()).stream()
                    .filter(l -> l.contains(EventTypes.COMMAND_REFUSED) && l.contains("\"user\":\"operator\"")).count() >= 7);
            assertTrue(refused("reply-to") >= before + 7);
            try (BrokerClient admin = new BrokerClient("karaf", Credentials.ofThisContainer().karaf())) {
                javax.jms.Message dead = admin.receive("DLQ", "JMSCorrelationID = '" + corr + "-0'", TIMEOUT.toMillis());
                assertNotNull("the refused request is not in DLQ", dead);
                assertEquals("operator", dead.getStringProperty("vmha_user"));
                assertTrue(dead.getStringProperty("vmha_error"), dead.getStringProperty("vmha_error")
                        .startsWith("refused reply-to") && dead.getStringProperty("vmha_error").contains("ha.heartbeat.host"));
            }
            // the audit saw every host FAILED for ~19 s: watch longer than the failure timeout (2.5 s) several times
            assertNoHostLooksFailedFor(12);
            assertFalse(List.copyOf(events.lines()).stream().anyMatch(l -> l.contains(EventTypes.HOST_FAILED)
                    || l.contains(EventTypes.HOST_PARTITIONED)));
            // nothing but heartbeats reached the heartbeat topic: no reply, no request headers
            for (String m = heartbeats.receiveDescribed(java.time.Duration.ofMillis(200)); m != null;
                    m = heartbeats.receiveDescribed(java.time.Duration.ofMillis(200))) {
                assertTrue("not a heartbeat on ha.heartbeat.host: " + m, m.startsWith("{\"host\":\"H"));
            }
        }
        // the operator's own queue still gets its replies
        try (JmsRequestor op = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            assertTrue(op.request("{\"command\":\"status\"}", TIMEOUT).contains("\"hostCounts\":{\"connected\":4"));
        }
        String dlq = shell("ha:dlq --no-format", ADMIN);
        assertTrue(dlq, dlq.contains("refused reply-to") && dlq.contains("operator") && dlq.contains("each message expires"));
        try {
            shell("ha:dlq", VIEWER);
            fail("a viewer listed the DLQ");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("Insufficient credentials") || e.getMessage().contains(
                    "Command not found"));
        }
    }

    @Test
    public void c_finding4_anAgentLoginCanNeitherForgeClusterTrafficNorTakeCommands() throws Exception {
        awaitSettled();
        String lun = vmOnH1();
        long missingMac = refused("missing-mac");
        try (BrokerClient agent = new BrokerClient(Credentials.ofThisContainer().agentUser(), Credentials.ofThisContainer().agent())) {
            // a POWERED_OFF delta and a MIGRATING delta, unsigned (all an agent login has)
            FailoverTableEntry off = new FailoverTableEntry(lun.substring(4), lun, "H1", null, RestartPriority.MEDIUM,
                    ResourceVector.of(1, 1), VmState.POWERED_OFF, 99, null, 99);
            agent.sendCluster("table", "H1", codec.encodeTable(new TableUpdate("H1", 1, false, List.of(off))), null);
            FailoverTableEntry moving = new FailoverTableEntry(lun.substring(4), lun, "H2", null, RestartPriority.MEDIUM,
                    ResourceVector.of(1, 1), new VmState.Migrating("H1", "H2"), 99, null, 100);
            agent.sendCluster("table", "H1", codec.encodeTable(new TableUpdate("H1", 1, false, List.of(moving))), null);
            // 8 heartbeats of an invented host with huge capacity, unsigned
            for (int i = 1; i <= 8; i++) {
                agent.sendCluster("heartbeat", "H9", codec.encodeHeartbeat(new HostHeartbeat("H9", i, i,
                        ResourceVector.ZERO, ResourceVector.of(10_000_000, 10_000_000))), null);
            }
            // a full table at 2^63 - 2, unsigned
            agent.sendCluster("table", "management", codec.encodeTable(new TableUpdate("management", Long.MAX_VALUE - 1,
                    true, List.of())), null);
            // and it may neither read NOC requests nor answer operators
            try {
                agent.session().createConsumer(agent.session().createQueue("ha.commands"));
                fail("an agent login consumed ha.commands");
            } catch (JMSSecurityException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("CONSUME"));
            }
            try {
                agent.send(agent.session().createQueue("ha.replies.operator.x"), "{\"ok\":true}", Map.of());
                fail("an agent login sent a reply");
            } catch (JMSSecurityException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("does not have permission"));
            }
        }
        // every consumer (4 agents, the management service) dropped every one but its own source's: 8 × 5 + 3 × 4
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> refused("missing-mac") >= missingMac + 52);

        // a key holder (a node's own key): the gate still refuses the invented host and the poisoned version
        long unknown = refused("unknown-host");
        long versions = refused("table-version");
        MessageAuthenticator key = BrokerClient.nodeKey();
        try (BrokerClient agent = new BrokerClient(Credentials.ofThisContainer().agentUser(), Credentials.ofThisContainer().agent())) {
            for (int i = 1; i <= 8; i++) {
                agent.sendCluster("heartbeat", "H9", codec.encodeHeartbeat(new HostHeartbeat("H9", i, i,
                        ResourceVector.ZERO, ResourceVector.of(10_000_000, 10_000_000))), key);
            }
            agent.sendCluster("table", "management", codec.encodeTable(new TableUpdate("management", Long.MAX_VALUE - 1,
                    true, List.of())), key);
        }
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> refused("unknown-host") >= unknown + 40
                && refused("table-version") >= versions + 4);
        assertNoHostLooksFailedFor(5);
        assertEquals("the VM still runs on H1", List.of("H1"), whereRunning().get(lun));
        JsonNode cluster = json("ha:cluster --json");
        assertEquals(cluster.toString(), 4, cluster.path("hosts").path("connected").asInt());
        for (JsonNode h : json("ha:hosts --json")) {
            assertFalse("H9 counted: " + h, h.path("host").asText().equals("H9"));
        }
        // the management service keeps issuing tables the agents accept
        long v0 = replicaVersion("H2");
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> replicaVersion("H2") > v0);
        assertTrue(replicaVersion("H2") < (1L << 53));
    }

    private long replicaVersion(String host) throws Exception {
        for (ServiceReference<AgentStatus> r : agents()) {
            if (host.equals(r.getProperty(AgentStatus.HOST_PROPERTY))) {
                AgentStatus s = bundleContext.getService(r);
                try {
                    return s.replica().version();
                } finally {
                    bundleContext.ungetService(r);
                }
            }
        }
        throw new AssertionError("no agent " + host);
    }

    @Test
    public void d_finding5_oversizedDeeplyNestedAndExpensiveInputsAreRefusedAndTheClusterStaysWell() throws Exception {
        awaitSettled();
        String big = "{\"host\":\"H1\",\"pad\":\"" + "x".repeat(20 * 1024 * 1024) + "\"}";
        try (BrokerClient agent = new BrokerClient(Credentials.ofThisContainer().agentUser(), Credentials.ofThisContainer().agent())) {
            for (String address : List.of("ha.heartbeat.host", "ha.table", "ha.events")) {
                try {
                    agent.send(agent.session().createTopic(address), big, Map.of("vmha_source", "H1"));
                    fail("the broker took a 20 MB message on " + address);
                } catch (JMSException e) {
                    assertTrue(e.getMessage(), e.getMessage().contains("exceeds the limit"));
                }
            }
        }
        big = null;
        // over MQTT too (mosquitto_pub, the agent login): refused by the broker, so no consumer sees it
        Path file = Files.createTempFile("big", ".json");
        Files.write(file, ("{\"host\":\"H1\",\"pad\":\"" + "y".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        long oversizedBefore = refused("oversized");
        try (ExternalProcess pub = ExternalProcess.start("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(mqttPort()), "-u", "agent", "-P", "agent", "-t", "ha/heartbeat/host", "-q", "1",
                "-f", file.toString())) {
            pub.waitFor(TIMEOUT);
        }
        Files.delete(file);
        assertNoHostLooksFailedFor(6);
        assertEquals("no consumer even saw the oversized messages", oversizedBefore, refused("oversized"));
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long usedMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
        System.out.println("MessageHardeningIT: heap used after the 20 MB messages: " + usedMb + " MB of "
                + rt.maxMemory() / (1024 * 1024) + " MB");
        assertTrue("heap " + usedMb + " MB", usedMb < 400);
        String limits = shell("ha:dlq --no-format", ADMIN);
        assertTrue(limits, limits.contains("ha.heartbeat.host") && limits.contains("refused by the size limits"));

        try (JmsRequestor op = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            // a 20 KB command nested 10,000 deep: an error reply, no StackOverflowError
            String deep = "{\"command\":\"status\",\"args\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
            String r = op.request(deep, TIMEOUT);
            assertNotNull("no reply to the nested request", r);
            assertTrue(r, r.contains("\"code\":\"BAD_REQUEST\"") && r.contains("nests deeper than"));
            // a 10 KB plan (40 hosts, exact, N=6): refused at once instead of holding the route for 12 s
            StringBuilder inv = new StringBuilder("{\"hosts\":[");
            for (int i = 0; i < 40; i++) {
                inv.append(i == 0 ? "" : ",").append("{\"name\":\"P").append(i)
                        .append("\",\"capacity\":{\"cpuMhz\":8000,\"memoryMb\":8192}}");
            }
            inv.append("],\"vms\":[],\"policy\":{\"type\":\"exact\",\"hostFailures\":6}}");
            long t0 = System.nanoTime();
            String plan = op.request("{\"command\":\"plan\",\"args\":{\"inventory\":" + inv + "}}", TIMEOUT);
            assertTrue(plan, plan.contains("\"code\":\"TOO_LARGE\"") && plan.contains("failure combinations"));
            String all = op.request("{\"command\":\"plan\",\"args\":{\"allCombinations\":true,\"inventory\":"
                    + inv.toString().replace("\"exact\",\"hostFailures\":6", "\"slot\",\"hostFailures\":4") + "}}", TIMEOUT);
            assertTrue(all, all.contains("\"code\":\"TOO_LARGE\"") && all.contains("plans"));
            assertTrue("took " + (System.nanoTime() - t0) / 1_000_000 + " ms", System.nanoTime() - t0 < 10_000_000_000L);
            assertTrue(op.request("{\"command\":\"status\"}", TIMEOUT).contains("\"ok\":true"));
        }
        String log = new String(Files.readAllBytes(Path.of(System.getProperty("karaf.data"), "log", "karaf.log")),
                StandardCharsets.UTF_8);
        assertFalse("a bad payload was echoed whole into the log", log.contains("x".repeat(10_000)) || log.contains(
                "[".repeat(1_000)));
    }

    @Test
    public void e_finding8_controlCharactersAndBidiOverridesInEventDataReachTheShellEscaped() throws Exception {
        String evil = "VM\u001b[2J\u001b]0;owned\u0007\u202Efdp.exe\u009b31m";
        CloudEvent event = CloudEvent.of("/vmha/agent/H1", "org.vmha.test.injected", Instant.now(), evil,
                Map.of("reason", evil, "vm", evil));
        try (BrokerClient agent = new BrokerClient(Credentials.ofThisContainer().agentUser(), Credentials.ofThisContainer().agent())) {
            agent.send(agent.session().createTopic("ha.events"), new CloudEventCodec().encode(event), Map.of());
        }
        // without --type until it arrived: ha:events refuses a type neither vmha nor the history knows
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> shell("ha:events -n 2000 --no-format",
                VIEWER).contains("VM\\u001B[2J"));
        for (String command : List.of("ha:events --type test.injected", "ha:events --type test.injected --no-format",
                "ha:events --type test.injected --json")) {
            String out = shell(command, VIEWER);
            for (char c : new char[] {'\u001b', '\u0007', '\u202E', '\u009b'}) {
                assertTrue(command + " printed U+" + Integer.toHexString(c) + ": " + out, out.indexOf(c) < 0);
            }
            assertTrue(out, out.contains("\\u202E") || out.contains("\\u202e"));
        }
    }
}
