/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.jms.JMSException;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.vmha.agent.AgentStatus;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.messaging.MessageRefusals;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.security.MessageAuthenticator;
import org.vmha.core.transport.ClusterMessageCodec;
import org.vmha.api.transport.TableUpdate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fuzzing of every consumer on the real broker (acceptance of issue 14): rounds of generated malformed, oversized,
 * deeply nested and adversarial inputs to the heartbeats, the table, the commands and the DRS advice address, each
 * round followed by one valid message per consumer that must be processed before the next round starts. At the end:
 * no consumer route died, no valid message was lost, and the heap. {@code -Dvmha.fuzz.rounds=N} (default 40, so CI
 * stays short) and {@code -Dvmha.fuzz.seed=S} choose the run; the figure is printed as one line {@code FUZZ …} and
 * recorded in BENCHMARKS.md.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MessageFuzzIT extends VmhaTestSupport {

    private static final String FUZZ_HOST = "F1";
    private static final String FUZZ_LUN = "lun-fuzz";
    private final ObjectMapper mapper = new ObjectMapper();
    private final ClusterMessageCodec codec = new ClusterMessageCodec();

    @Override
    @org.ops4j.pax.exam.Configuration
    public org.ops4j.pax.exam.Option[] config() {
        return org.ops4j.pax.exam.OptionUtils.combine(super.config(),
                org.ops4j.pax.exam.CoreOptions.systemProperty("vmha.fuzz.rounds").value(
                        System.getProperty("vmha.fuzz.rounds", "40")),
                org.ops4j.pax.exam.CoreOptions.systemProperty("vmha.fuzz.seed").value(
                        System.getProperty("vmha.fuzz.seed", "14")));
    }

    private JsonNode shellJson(String command) throws Exception {
        String out = executeCommand(command, TIMEOUT.toMillis(), false, new RolePrincipal("viewer"));
        return mapper.readTree(out.substring(out.indexOf(out.trim().charAt(0))));
    }

    /** The adversarial inputs of one round for one address. */
    static List<String> inputs(Random r, String valid) {
        List<String> out = new ArrayList<>();
        out.add(valid.substring(0, r.nextInt(valid.length())));
        StringBuilder m = new StringBuilder(valid);
        for (int i = 0; i < 1 + r.nextInt(5); i++) {
            m.setCharAt(r.nextInt(m.length()), (char) r.nextInt(0x3000));
        }
        out.add(m.toString());
        int depth = 1 + r.nextInt(20_000);
        out.add("{\"command\":\"status\",\"args\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
        out.add("{\"a\":" + "{\"a\":".repeat(depth % 5_000) + "1" + "}".repeat(depth % 5_000 + 1));
        out.add(valid.replace("\"H1\"", "\"" + "\u001b[2J\u202E".repeat(1 + r.nextInt(100)) + "\""));
        out.add(valid.replaceFirst("[0-9]+", "9".repeat(1 + r.nextInt(5_000))));
        out.add(valid.replaceFirst("\"[a-zA-Z]+\":", "\"" + "k".repeat(r.nextInt(100_000)) + "\":"));
        out.add("[" + "1,".repeat(r.nextInt(30_000)) + "1]");
        byte[] junk = new byte[r.nextInt(3_000)];
        r.nextBytes(junk);
        out.add(new String(junk, java.nio.charset.StandardCharsets.ISO_8859_1));
        out.add(r.nextInt(10) == 0 ? "x".repeat(3 * 1024 * 1024) : "x".repeat(r.nextInt(80_000)));
        out.add("");
        out.add("null");
        out.add("{\"host\":null,\"sequence\":-1,\"timeMillis\":\"now\",\"capacity\":[]}");
        out.add("{\"source\":\"management\",\"full\":true,\"version\":9223372036854775806,\"entries\":[]}");
        return out;
    }

    @Test
    public void everyConsumerSurvivesAdversarialInputsAndProcessesEveryValidMessageAroundThem() throws Exception {
        int rounds = Integer.getInteger("vmha.fuzz.rounds", 40);
        Random r = new Random(Long.getLong("vmha.fuzz.seed", 14));
        await().atMost(180, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).ignoreExceptions()
                .until(() -> shellJson("ha:cluster --json").path("hosts").path("connected").asInt() == 4);
        // a host of the fuzzer's own, known to the management service, so its valid heartbeats count
        executeCommand("ha:host-add --capacity cpuMhz=1000,memoryMb=1024 " + FUZZ_HOST, TIMEOUT.toMillis(), false,
                new RolePrincipal("admin"));
        MessageAuthenticator key = BrokerClient.nodeKey();
        long inputsTried = 0;
        long sendRefused = 0;
        long validSent = 0;
        long t0 = System.nanoTime();
        try (BrokerClient agent = new BrokerClient(Credentials.ofThisContainer().agentUser(), Credentials.ofThisContainer().agent()); BrokerClient operator = new BrokerClient(
                "operator", Credentials.ofThisContainer().operator()); JmsRequestor noc = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            for (int round = 1; round <= rounds; round++) {
                String hb = codec.encodeHeartbeat(new HostHeartbeat(FUZZ_HOST, round, round, ResourceVector.of(round, 0),
                        ResourceVector.of(1000, 1024)));
                String table = codec.encodeTable(new TableUpdate(FUZZ_HOST, 1, false, List.of(new FailoverTableEntry(
                        "fuzz", FUZZ_LUN, null, null, RestartPriority.DISABLED, ResourceVector.of(1, 1),
                        VmState.POWERED_OFF, 0, null, round))));
                for (String in : inputs(r, hb)) {
                    // unsigned, badly signed, and signed garbage (a key holder's bug): all three paths
                    MessageAuthenticator auth = switch (r.nextInt(3)) {
                        case 0 -> null;
                        case 1 -> new MessageAuthenticator(org.vmha.core.security.ClusterKey.of(new byte[32]));
                        default -> key;
                    };
                    sendRefused += trySend(() -> agent.sendCluster("heartbeat", FUZZ_HOST, in, auth));
                    inputsTried++;
                }
                // (garbage that still parses as a delta lands on another VM, so it cannot outrun the valid one)
                for (String in : inputs(r, table.replace(FUZZ_LUN, "lun-junk"))) {
                    MessageAuthenticator auth = r.nextBoolean() ? null : key;
                    sendRefused += trySend(() -> agent.sendCluster("table", FUZZ_HOST, in, auth));
                    inputsTried++;
                }
                for (String in : inputs(r, "{\"command\":\"status\",\"id\":\"H1\"}")) {
                    // garbage requests with the operator's own reply queue, and with a reply-to they may not use
                    sendRefused += trySend(() -> noc.send(in, "junk", r.nextBoolean()));
                    sendRefused += trySend(() -> operator.send(operator.session().createQueue("ha.commands"), in,
                            Map.of()));
                    inputsTried += 2;
                }
                for (String in : inputs(r, "{\"advice\":\"migrate\",\"vm\":\"H1\"}")) {
                    sendRefused += trySend(() -> agent.send(agent.session().createQueue("ha.drs.advice"), in, Map.of()));
                    inputsTried++;
                }
                // then one valid message per consumer, which must be processed before the next round
                agent.sendCluster("heartbeat", FUZZ_HOST, hb, key);
                agent.sendCluster("table", FUZZ_HOST, table, key);
                String reply = noc.request("{\"command\":\"status\",\"id\":\"valid-" + round + "\"}", TIMEOUT);
                validSent += 3;
                assertNotNull("round " + round + ": no reply to a valid status", reply);
                assertTrue(reply, reply.contains("\"id\":\"valid-" + round + "\"") && reply.contains("\"ok\":true"));
                final int k = round;
                await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
                        .untilAsserted(() -> {
                            assertEquals("round " + k + ": the management service's view of " + FUZZ_HOST, k,
                                    fuzzLoad());
                            for (String h : agentHosts()) {
                                assertEquals("round " + k + ": agent " + h + "'s replica", k, fuzzRevision(h));
                            }
                        });
            }
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        // no consumer route died: every one is started and still consuming
        CamelContext camel = getOsgiService(CamelContext.class, "(camel.context.name=vmha)", TIMEOUT.toMillis());
        List<String> notStarted = new ArrayList<>();
        for (org.apache.camel.Route route : camel.getRoutes()) {
            ServiceStatus s = camel.getRouteController().getRouteStatus(route.getRouteId());
            if (s != ServiceStatus.Started) {
                notStarted.add(route.getRouteId() + "=" + s);
            }
        }
        assertTrue("routes not started: " + notStarted, notStarted.isEmpty());
        assertTrue(camel.getRoutes().size() >= 4 * 4 + 4);
        for (JsonNode h : shellJson("ha:hosts --json")) {
            if (h.path("host").asText().matches("H[1-4]")) {
                assertEquals(h.toString(), "CONNECTED", h.path("state").asText());
            }
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
        SortedMap<String, Long> refused = new TreeMap<>(getOsgiService(MessageRefusals.class, TIMEOUT.toMillis()).counts());
        String dlq = executeCommand("ha:dlq --json -n 0", TIMEOUT.toMillis(), false, new RolePrincipal("admin"));
        JsonNode d = mapper.readTree(dlq.substring(dlq.indexOf('{')));
        String line = "FUZZ rounds=" + rounds + " inputs=" + inputsTried + " refusedBySendToo=" + sendRefused
                + " validMessages=" + validSent + " validLost=0 consumerDeaths=0 heapAfterGcMb=" + heapMb + " maxHeapMb="
                + rt.maxMemory() / (1024 * 1024) + " seconds=" + seconds + " dlq=" + d.path("count").asLong()
                + " refusedByConsumers=" + refused;
        System.out.println(line);
        assertTrue("heap after " + heapMb + " MB", heapMb < 400);
        // the dead-letter queue stays bounded: at most 10 MiB (DROP beyond)
        assertTrue(d.toString(), d.path("limits").asText().contains("10485760"));
    }

    /** @return how many were refused by the broker at send (0 or 1) */
    private static long trySend(JmsSend send) {
        try {
            send.run();
            return 0;
        } catch (JMSException e) {
            return 1;
        }
    }

    @FunctionalInterface
    private interface JmsSend {
        void run() throws JMSException;
    }

    private long fuzzLoad() throws Exception {
        for (JsonNode h : shellJson("ha:hosts --json")) {
            if (FUZZ_HOST.equals(h.path("host").asText())) {
                return h.path("load").path("cpuMhz").asLong(-1);
            }
        }
        return -1;
    }

    private long fuzzRevision(String host) throws Exception {
        for (ServiceReference<AgentStatus> ref : agents()) {
            if (host.equals(ref.getProperty(AgentStatus.HOST_PROPERTY))) {
                AgentStatus s = bundleContext.getService(ref);
                try {
                    return s.replica().entries().stream().filter(e -> FUZZ_LUN.equals(e.lun()))
                            .mapToLong(FailoverTableEntry::revision).findFirst().orElse(-1);
                } finally {
                    bundleContext.ungetService(ref);
                }
            }
        }
        return -1;
    }
}
