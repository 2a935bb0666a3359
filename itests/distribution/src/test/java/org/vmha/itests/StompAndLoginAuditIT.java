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
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.management.remote.JMXConnector;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.vmha.api.event.EventTypes;
import org.vmha.api.messaging.DeadLetters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The NOC API over STOMP on the real distribution, with a STOMP client not written here (Debian's
 * {@code python3-stomp}, driven by {@code examples/noc-stomp.py} exactly as docs/noc-api.md shows it): a plain
 * {@code SUBSCRIBE destination:ha.events} gets the events, a {@code SEND ha.commands} with a {@code reply-to} gets its
 * reply, and a reply that cannot be delivered is in the DLQ with the reason. And the login audit: failed and
 * successful JMX and broker logins are lines of data/log/security.log, without the password.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class StompAndLoginAuditIT extends VmhaTestSupport {

    private final ObjectMapper mapper = new ObjectMapper();

    private static String script() {
        return System.getProperty("karaf.base") + "/examples/noc-stomp.py";
    }

    private static int stompPort() {
        return Integer.parseInt(System.getProperty("vmha.broker.stomp.port"));
    }

    private ExternalProcess stomp(String user, String password, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3", script(), "--port",
                Integer.toString(stompPort()), "--user", user, "--password", password));
        command.addAll(List.of(args));
        return ExternalProcess.start(command.toArray(String[]::new));
    }

    private String vmOn(String host) throws Exception {
        for (Map.Entry<String, List<String>> e : whereRunning().entrySet()) {
            if (e.getValue().equals(List.of(host))) {
                return e.getKey().substring("lun-".length());
            }
        }
        throw new AssertionError("no VM runs on " + host + ": " + whereRunning());
    }

    @Test
    public void a_eventsAndCommandsWithRepliesOverStomp() throws Exception {
        await().atMost(180, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertEquals(20, whereRunning().size()));
        String vm = vmOn("H2");
        Credentials credentials = Credentials.ofThisContainer();
        try (ExternalProcess events = stomp("noc", credentials.noc(), "--timeout", "120", "events", "--count", "1000")) {
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .until(() -> events.output().contains("noc-stomp: subscribed to ha.events")
                            || events.output().contains("refused"));
            assertFalse(events.output(), events.output().contains("refused"));

            try (ExternalProcess off = stomp("operator", credentials.operator(), "command", "power-off",
                    "{\"vm\": \"" + vm + "\"}")) {
                assertEquals(off.output(), 0, off.waitFor(TIMEOUT));
                JsonNode reply = mapper.readTree(off.lines().get(off.lines().size() - 1));
                assertTrue(reply.toString(), reply.path("ok").asBoolean());
                assertEquals("power-off", reply.path("command").asText());
                assertEquals("POWERED_OFF", reply.path("result").path("state").asText());
            }
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> List.copyOf(events.lines()).stream()
                    .anyMatch(l -> l.contains(EventTypes.VM_POWERED_OFF) && l.contains("\"subject\":\"" + vm + "\"")));

            try (ExternalProcess on = stomp("operator", credentials.operator(), "command", "power-on",
                    "{\"vm\": \"" + vm + "\", \"host\": \"H3\"}")) {
                assertEquals(on.output(), 0, on.waitFor(TIMEOUT));
                assertTrue(on.output(), on.output().contains("\"state\":\"STARTING\""));
            }
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> List.copyOf(events.lines()).stream()
                    .anyMatch(l -> l.contains(EventTypes.VM_POWERED_ON) && l.contains("\"subject\":\"" + vm + "\"")));
            // an error reply comes back the same way, exit code 1
            try (ExternalProcess bad = stomp("operator", credentials.operator(), "command", "why", "{\"vm\": 12}")) {
                assertEquals(bad.output(), 1, bad.waitFor(TIMEOUT));
                assertTrue(bad.output(), bad.output().contains("\"code\":\"BAD_REQUEST\""));
            }
        }
        // a NOC reader may subscribe but not send commands: the broker refuses the send
        try (ExternalProcess denied = stomp("noc", credentials.noc(), "--timeout", "15", "command", "status")) {
            assertEquals(denied.output(), 2, denied.waitFor(TIMEOUT));
        }
    }

    @Test
    public void b_aReplyThatCannotBeDeliveredIsInTheDlqWithTheReason() throws Exception {
        Credentials credentials = Credentials.ofThisContainer();
        String queue = "ha.replies.operator.gone-" + System.nanoTime();
        // a STOMP SEND whose reply-to queue nobody created (the tool went away before the reply)
        String py = String.join("\n", "import stomp, sys",
                "c = stomp.Connection12([('127.0.0.1', int(sys.argv[1]))], heartbeats=(0, 0))",
                "c.connect(sys.argv[2], sys.argv[3], wait=True)",
                "c.send(destination='ha.commands', body='{\"command\": \"status\", \"id\": 7}',",
                "       headers={'reply-to': sys.argv[4], 'correlation-id': 'lost-1', 'receipt': 'r'})",
                "c.disconnect(receipt='bye')");
        try (ExternalProcess send = ExternalProcess.start("/usr/bin/python3", "-c", py, Integer.toString(stompPort()),
                "operator", credentials.operator(), queue)) {
            assertEquals(send.output(), 0, send.waitFor(TIMEOUT));
        }
        DeadLetters dlq = getOsgiService(DeadLetters.class, TIMEOUT.toMillis());
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .until(() -> dlq.list(1000).stream().anyMatch(l -> l.reason().contains(queue)));
        DeadLetters.Letter letter = dlq.list(1000).stream().filter(l -> l.reason().contains(queue)).findFirst()
                .orElseThrow();
        assertTrue(letter.toString(), letter.reason().startsWith("reply to " + queue + " undeliverable: "));
        assertEquals(letter.toString(), "operator", letter.user());
        assertTrue(letter.toString(), letter.bodyPrefix().startsWith("{\"ok\":true,\"command\":\"status\",\"id\":7"));
    }

    @Test
    public void c_failedAndSuccessfulLoginsAreInSecurityLogWithoutPasswords() throws Exception {
        Credentials credentials = Credentials.ofThisContainer();
        String wrong = "wrong-" + System.nanoTime();
        try (JMXConnector jmx = getJMXConnector("karaf", wrong)) {
            fail("a wrong JMX password was accepted");
        } catch (SecurityException expected) {
            // refused, as it should be
        }
        try (JMXConnector jmx = getJMXConnector("karaf", credentials.karaf())) {
            jmx.getMBeanServerConnection().getMBeanCount();
        }
        try (ExternalProcess bad = stomp("noc", wrong, "--timeout", "15", "command", "status")) {
            assertEquals(bad.output(), 2, bad.waitFor(TIMEOUT));
        }
        try (ExternalProcess ok = stomp("operator", credentials.operator(), "command", "status")) {
            assertEquals(ok.output(), 0, ok.waitFor(TIMEOUT));
        }
        Path log = Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log"), "security.log");
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS).untilAsserted(() -> {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            // the channel and remote address of a JMX login reach the audit through the realm vmha-admin
            assertTrue(text, text.contains("Authentication failed - karaf - jmx(127.0.0.1)"));
            assertTrue(text, text.contains("Authentication succeeded - karaf - jmx(127.0.0.1)"));
            // the broker names the user of a failed login in the reason (AMQ229031 ... Username: noc)
            assertTrue(text, text.matches("(?s).*AMQ601716: User \\S* failed authentication on connection \\S+, "
                    + "reason: [^\\n]*127\\.0\\.0\\.1[^\\n]*Username: noc.*"));
            assertTrue(text, text.matches("(?s).*AMQ601715: User operator\\(ha-operator\\)@127\\.0\\.0\\.1:\\d+ "
                    + "successfully authenticated.*"));
        });
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertFalse("a password in security.log", text.contains(wrong) || text.contains(credentials.karaf())
                || text.contains(credentials.operator()));
    }
}
