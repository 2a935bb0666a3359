/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assert.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventPublisher;
import org.vmha.api.event.EventTypes;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.VolumeInfo;
import org.vmha.core.event.CloudEventCodec;

/**
 * The built distribution boots with every bundle active, its services registered, and events flowing through
 * the real embedded Artemis to Java and MQTT subscribers, with authentication enforced.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT extends VmhaTestSupport {

    private static final String ROUTES_BUNDLE = "org.vmha.ha-camel-routes";
    private static final String SHAREDFS_BUNDLE = "org.vmha.ha-storage-sharedfs";

    private final CloudEventCodec codec = new CloudEventCodec();

    @Test
    public void everyBundleIsActive() {
        await().atMost(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).untilAsserted(() -> {
            List<String> notActive = new ArrayList<>();
            for (Bundle bundle : bundleContext.getBundles()) {
                boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                    notActive.add(bundle.getSymbolicName() + " " + bundle.getVersion() + " state " + bundle.getState());
                }
            }
            assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        });
    }

    @Test
    public void haFeaturesAreInstalled() throws Exception {
        for (String feature : List.of("ha-api", "ha-core", "ha-broker", "ha-routes", "ha")) {
            assertTrue("feature " + feature + " not installed", featureService.isInstalled(featureService.getFeature(feature)));
        }
    }

    @Test
    public void haServicesAreRegistered() {
        assertNotNull(getOsgiService(EventPublisher.class, TIMEOUT.toMillis()));
        CamelContext camel = getOsgiService(CamelContext.class, "(camel.context.name=vmha)", TIMEOUT.toMillis());
        assertEquals("vmha", camel.getName());
        assertTrue(camel.getRouteController().getRouteStatus("vmha.events.log").isStarted());
        assertTrue(executeCommand("camel:route-list vmha").contains("vmha.events.publish"));
    }

    @Test
    public void haPeersShowsEachAgentsOwnViewForAViewer() throws Exception {
        // four simulated hosts: each agent sees the three others alive on both channels
        await().atMost(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).untilAsserted(() -> {
            String out = executeCommand("ha:peers --json", TIMEOUT.toMillis(), false, new RolePrincipal("viewer"));
            com.fasterxml.jackson.databind.JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
            assertEquals(out, 12, rows.size());
            for (com.fasterxml.jackson.databind.JsonNode r : rows) {
                assertEquals(out, "ALIVE", r.path("status").asText());
                assertTrue(out, r.path("agentStorageReachable").asBoolean());
            }
        });
    }

    @Test
    public void haPlanCommandReportsTheShippedExampleForAViewer() {
        String out = executeCommand("ha:plan --no-format examples/inventory.json", TIMEOUT.toMillis(), false,
                new RolePrincipal("viewer"));
        assertTrue(out, out.contains("slots (total/used/usable/unreserved)") && out.contains("11/7/7/0"));
        String json = executeCommand("ha:plan --json examples/inventory.json", TIMEOUT.toMillis(), false,
                new RolePrincipal("viewer"));
        assertTrue(json, json.contains("\"totalSlots\" : 11") || json.contains("\"totalSlots\":11"));
    }

    @Test
    public void haVmsShowsEveryVmOfTheEmbeddedClusterRunningExactlyOnce() {
        await().atMost(TIMEOUT.toSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS)
                .pollInterval(1, java.util.concurrent.TimeUnit.SECONDS).untilAsserted(() -> {
                    String out = executeCommand("ha:vms --no-format", TIMEOUT.toMillis(), true,
                            new RolePrincipal("viewer"));
                    List<String[]> rows = out.lines().map(l -> l.split("\t")).filter(c -> c.length == 10)
                            .filter(c -> c[0].trim().matches("VM\\d+")).toList();
                    assertEquals(out, 20, rows.size());
                    for (String[] r : rows) {
                        assertEquals(out, "RUNNING", r[4].trim());
                        assertEquals("VM " + r[0].trim() + " must run on its table host, once:\n" + out,
                                r[1].trim(), r[6].trim());
                    }
                });
        String json = executeCommand("ha:vms --json", TIMEOUT.toMillis(), true, new RolePrincipal("viewer"));
        assertTrue(json, json.contains("\"vm\" : \"VM01\"") && json.contains("\"runningOn\""));
    }

    @Test
    public void haSimulateRunsTheShippedScenarioInItsOwnJvmForAnAdminOnly() {
        // it starts a 1 GB JVM: not for a viewer (issue 14)
        try {
            executeCommand("ha:simulate --no-format examples/scenario-host-crash.json", TIMEOUT.toMillis(), false,
                    new RolePrincipal("viewer"));
            fail("a viewer ran ha:simulate");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("Insufficient credentials")
                    || e.getMessage().contains("Command not found"));
        }
        String out = executeCommand("ha:simulate --no-format examples/scenario-host-crash.json", TIMEOUT.toMillis(),
                false, new RolePrincipal("admin"));
        assertTrue(out, out.contains("no invariant violated"));
        assertTrue("VM1 of the crashed H2 did not end running elsewhere:\n" + out,
                out.lines().anyMatch(l -> l.matches("VM1\\s*\\tH[13]\\s*\\tRUNNING.*")));
        try {
            executeCommand("ha:simulate examples/inventory.json", TIMEOUT.toMillis(), false, new RolePrincipal("admin"));
            fail("an inventory was accepted as a scenario");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("inventory.json"));
        }
    }

    @Test
    public void haPlanCommandNeedsTheViewerRoleAndNamesABadFile() {
        try {
            executeCommand("ha:plan examples/inventory.json", TIMEOUT.toMillis(), false,
                    new RolePrincipal("ha-noc-reader"));
            fail("a NOC reader ran ha:plan");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("Insufficient credentials")
                    || e.getMessage().contains("Command not found"));
        }
        try {
            executeCommand("ha:plan examples/missing.json", TIMEOUT.toMillis(), false, new RolePrincipal("viewer"));
            fail("ha:plan accepted a missing file");
        } catch (RuntimeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("cannot read inventory")
                    && e.getMessage().contains("missing.json: no such file"));
        }
    }

    @Test
    public void nocOperatorGetsAReplyToAPlanCommand() throws Exception {
        String inventory = new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of(System.getProperty("karaf.base"), "examples", "inventory.json")),
                StandardCharsets.UTF_8);
        try (JmsRequestor noc = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            String reply = noc.request("{\"command\":\"plan\",\"id\":\"q1\",\"args\":{\"inventory\":" + inventory + "}}",
                    TIMEOUT);
            assertNotNull("no reply to the plan command", reply);
            assertTrue(reply, reply.startsWith("{\"ok\":true,\"command\":\"plan\",\"id\":\"q1\",\"result\":{")
                    && reply.contains("\"totalSlots\":11"));
        }
    }

    @Test
    public void badCommandsGetErrorRepliesAndTheNextOneWorks() throws Exception {
        String huge = "{\"command\":\"plan\",\"args\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}";
        String small = "{\"command\":\"plan\",\"args\":{\"inventory\":{\"hosts\":[{\"name\":\"H1\","
                + "\"capacity\":{\"cpuMhz\":1000,\"memoryMb\":1024}}],\"vms\":[]}}}";
        try (JmsRequestor noc = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            assertReply(noc.request("{not json", TIMEOUT), "\"code\":\"BAD_REQUEST\"");
            assertReply(noc.request("{\"command\":\"launch-missiles\"}", TIMEOUT), "\"code\":\"UNKNOWN_COMMAND\"");
            assertReply(noc.request("{\"command\":\"plan\",\"args\":{\"inventory\":[]}}", TIMEOUT),
                    "argument 'inventory' of command 'plan' must be a JSON object, got a list");
            // a core JMS text message carries two bytes a character: this one is over the broker's limit for
            // ha.commands (etc/org.vmha.broker.limits.cfg), which refuses it at the send, before any route sees it
            try {
                noc.request(huge, TIMEOUT);
                fail("the broker accepted a request of " + huge.length() + " characters");
            } catch (Exception e) {
                String m = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
                assertTrue(m, m.contains("exceeds the limit") && m.contains("ha.commands"));
            }
            assertReply(noc.request(small, TIMEOUT), "{\"ok\":true");
        }
    }

    private static void assertReply(String reply, String expected) {
        assertNotNull("no reply", reply);
        assertTrue(reply, reply.contains(expected));
    }

    @Test
    public void aCommandWithoutReplyToIsDeadLetteredWithTheReason() throws Exception {
        String marker = "no-reply-" + UUID.randomUUID();
        try (JmsRequestor noc = new JmsRequestor("operator", Credentials.ofThisContainer().operator());
                javax.jms.Connection admin = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                        "tcp://127.0.0.1:" + brokerPort(), "karaf", Credentials.ofThisContainer().karaf()).createConnection()) {
            noc.send("{\"command\":\"plan\",\"id\":\"" + marker + "\"}", marker, false);
            javax.jms.Session session = admin.createSession(false, javax.jms.Session.AUTO_ACKNOWLEDGE);
            javax.jms.MessageConsumer dlq = session.createConsumer(session.createQueue("DLQ"),
                    "JMSCorrelationID = '" + marker + "'");
            admin.start();
            javax.jms.Message dead = dlq.receive(TIMEOUT.toMillis());
            assertNotNull("the request did not reach DLQ", dead);
            assertTrue(dead.getStringProperty("vmha_error"), dead.getStringProperty("vmha_error").startsWith("missing reply-to"));
            // the DLQ entry names the user the broker authenticated (populate-validated-user)
            assertEquals("operator", dead.getStringProperty("vmha_user"));
        }
    }

    @Test
    public void nocReaderMayNotSendCommands() throws Exception {
        try (javax.jms.Connection reader = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + brokerPort(), "noc", Credentials.ofThisContainer().noc()).createConnection()) {
            javax.jms.Session session = reader.createSession(false, javax.jms.Session.AUTO_ACKNOWLEDGE);
            javax.jms.MessageProducer producer = session.createProducer(session.createQueue("ha.commands"));
            producer.send(session.createTextMessage("{\"command\":\"plan\"}"));
            fail("a NOC reader sent a command");
        } catch (javax.jms.JMSSecurityException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("does not have permission='SEND'"));
        }
    }

    @Test
    public void admissionPolicyIsRegisteredFromItsConfiguration() {
        org.vmha.api.admission.AdmissionPolicy policy = getOsgiService(org.vmha.api.admission.AdmissionPolicy.class,
                TIMEOUT.toMillis());
        assertEquals("slot", policy.type());
    }

    @Test
    public void storageAdapterBundleIsHotSwappableWithoutLosingData() throws Exception {
        StorageAdapter storage = getOsgiService(StorageAdapter.class, TIMEOUT.toMillis());
        VolumeInfo volume = storage.provisionVolume("hotswap-" + UUID.randomUUID());
        Lease lease = storage.acquireLease(volume.lun(), "itest-host");
        byte[] image = "memory image of a running guest".getBytes(StandardCharsets.UTF_8);
        storage.writeCheckpoint(volume.lun(), lease.generation(), new ByteArrayInputStream(image));

        Bundle adapter = findBundleByName(SHAREDFS_BUNDLE);
        String location = adapter.getLocation();
        adapter.stop();
        // the node's datastore binding withdraws the adapter its factory made, on its own thread
        await().atMost(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).until(
                () -> bundleContext.getServiceReferences(StorageAdapter.class, null).isEmpty());
        adapter.uninstall();

        bundleContext.installBundle(location).start();
        StorageAdapter swapped = getOsgiService(StorageAdapter.class, TIMEOUT.toMillis());
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        assertTrue(swapped.readLatestCheckpoint(volume.lun(), read).isPresent());
        assertArrayEquals(image, read.toByteArray());
        assertEquals(lease.generation(), swapped.inspectLease(volume.lun()).orElseThrow().generation());
        assertEquals("itest-host", swapped.inspectLease(volume.lun()).orElseThrow().owner());
    }

    @Test
    public void publishedEventReachesASubscriber() throws Exception {
        EventPublisher publisher = getOsgiService(EventPublisher.class, TIMEOUT.toMillis());
        CloudEvent sent = CloudEvent.of("/itest", "org.vmha.itest.ping", Instant.now(), "VM1", Map.of("n", 1));
        try (CoreSubscriber subscriber = new CoreSubscriber("ha.events", "noc", Credentials.ofThisContainer().noc())) {
            publisher.publish(sent);
            assertEquals(sent, codec.decode(subscriber.receiveEvent(sent.id(), TIMEOUT)));
        }
    }

    @Test
    public void mosquittoWithNocCredentialsReceivesClusterStarted() throws Exception {
        try (ExternalProcess sub = ExternalProcess.start("stdbuf", "-oL", "mosquitto_sub", "-d", "-h", "127.0.0.1", "-p",
                Integer.toString(mqttPort()), "-u", "noc", "-P", Credentials.ofThisContainer().noc(), "-t", "ha/events", "-W", "60")) {
            await().atMost(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).until(() -> sub.output().contains("received SUBACK"));

            // the routes announce ClusterStarted each time they come up: restart them under the subscriber
            Bundle routes = findBundleByName(ROUTES_BUNDLE);
            routes.stop();
            routes.start();

            // the simulated cluster's agents publish events too (a routes restart rebuilds them): pick ours
            await().atMost(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).until(() -> List.copyOf(sub.lines())
                    .stream().anyMatch(l -> l.startsWith("{") && l.contains(EventTypes.CLUSTER_STARTED)));
            Optional<String> json = List.copyOf(sub.lines()).stream()
                    .filter(l -> l.startsWith("{") && l.contains(EventTypes.CLUSTER_STARTED)).findFirst();
            assertTrue("mosquitto_sub printed no ClusterStarted:\n" + sub.output(), json.isPresent());
            CloudEvent event = codec.decode(json.get());
            assertEquals(EventTypes.CLUSTER_STARTED, event.type());
            assertNotNull(event.data().get("node"));
        }
    }

    @Test
    public void mosquittoWithoutCredentialsIsRefused() throws Exception {
        try (ExternalProcess sub = ExternalProcess.start("mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(mqttPort()), "-t", "ha/events", "-C", "1", "-W", "20")) {
            assertNotEquals(0, sub.waitFor(TIMEOUT));
            assertTrue(sub.output(), sub.output().contains("not authorised"));
        }
        try (ExternalProcess sub = ExternalProcess.start("mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(mqttPort()), "-u", "noc", "-P", "wrong", "-t", "ha/events", "-C", "1", "-W", "20")) {
            assertNotEquals(0, sub.waitFor(TIMEOUT));
            assertTrue(sub.output(), sub.output().contains("not authorised"));
        }
    }

    @Test
    public void nocReaderMayNotPublishEvents() throws Exception {
        try (CoreSubscriber subscriber = new CoreSubscriber("ha.events", Credentials.ofThisContainer().agentUser(), Credentials.ofThisContainer().agent());
                ExternalProcess pub = ExternalProcess.start("mosquitto_pub", "-h", "127.0.0.1", "-p",
                        Integer.toString(mqttPort()), "-u", "noc", "-P", Credentials.ofThisContainer().noc(), "-t", "ha/events", "-q", "1",
                        "-m", "{\"forged\":true}")) {
            pub.waitFor(TIMEOUT);
            // read until two quiet seconds (the agents' own events may come in between)
            long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
            String leaked;
            while ((leaked = subscriber.receiveText(java.time.Duration.ofSeconds(2))) != null
                    && System.currentTimeMillis() < deadline) {
                assertFalse("a NOC reader published to ha.events", leaked.contains("forged"));
            }
        }
        assertEquals(Bundle.ACTIVE, findBundleByName(ROUTES_BUNDLE).getState());
    }
}
