/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.apache.activemq.artemis.jms.client.ActiveMQTemporaryQueue;
import org.apache.activemq.artemis.jms.client.ActiveMQTopic;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.command.CommandHandler;
import org.vmha.api.command.request.StatusRequest;
import org.vmha.api.event.EventTypes;
import org.vmha.core.command.CommandDispatcher;
import org.vmha.core.event.CloudEventCodec;

/**
 * Request/reply logic of ha.commands on in-memory endpoints (the JMS reply-to and the broker's validated user are
 * simulated by their headers); the broker path is covered by the Pax Exam tests (MessageHardeningIT).
 */
class CommandRoutesTest {

    private static final String USER = "operator";
    private static final String OWN = "ha.replies.operator.tool-1";

    private CamelContext camel;
    private ProducerTemplate producer;
    private CommandRoutes routes;
    private ScheduledExecutorService timer;
    private final CountDownLatch planGate = new CountDownLatch(1);
    private final InboundStats stats = new InboundStats();
    private final List<org.vmha.api.audit.AuditEntry> audit = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        CommandDispatcher dispatcher = new CommandDispatcher((c, e) -> {
        });
        dispatcher.register(handler("status", a -> Map.of("node", "node-a")));
        dispatcher.register(handler("plan", a -> {
            try {
                // a plan that takes as long as the test wants
                planGate.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of("plans", List.of());
        }));
        dispatcher.register(handler("huge", a -> Map.of("blob", "x".repeat(10_000))));
        dispatcher.audit(new org.vmha.api.audit.AuditLog() {
            @Override
            public void record(org.vmha.api.audit.AuditEntry entry) {
                audit.add(entry);
            }

            @Override
            public List<org.vmha.api.audit.AuditEntry> query(org.vmha.api.audit.AuditQuery query) {
                return List.copyOf(audit);
            }
        });
        camel = new DefaultCamelContext();
        camel.start();
        timer = Executors.newSingleThreadScheduledExecutor();
        routes = new CommandRoutes("direct:commands", "mock:dlq", "mock:events", "mock:replies", dispatcher,
                new CommandRoutes.Settings(256, 4096, 1, 1, 2_000, 1_000, "node-a"), stats,
                CommandRoutes.slowExecutor(1, 1), timer, Clock.systemUTC());
        camel.addRoutes(routes);
        producer = camel.createProducerTemplate();
    }

    private static CommandHandler<StatusRequest, Object> handler(String name,
            java.util.function.Function<StatusRequest, Map<String, Object>> f) {
        return new CommandHandler<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Class<StatusRequest> requestType() {
                return StatusRequest.class;
            }

            @Override
            public Object handle(StatusRequest args) {
                return f.apply(args);
            }
        };
    }

    @AfterEach
    void stop() {
        planGate.countDown();
        routes.close();
        timer.shutdownNow();
        camel.stop();
    }

    private void send(Object body, Object replyTo, String user, String correlation) {
        Map<String, Object> headers = new HashMap<>();
        if (replyTo != null) {
            headers.put(CommandRoutes.REPLY_TO, replyTo);
        }
        if (user != null) {
            headers.put(Addresses.USER_HEADER, user);
        }
        headers.put("JMSCorrelationID", correlation);
        headers.put("X-Request-Secret", "copied?");
        headers.put("vmha_table", "full");
        producer.sendBodyAndHeaders("direct:commands", body, headers);
    }

    private MockEndpoint mock(String name) {
        return camel.getEndpoint("mock:" + name, MockEndpoint.class);
    }

    /** @return the reply with this correlation id, waiting for it */
    private Exchange reply(String correlation) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> mock("replies").getExchanges().stream()
                .anyMatch(x -> correlation.equals(x.getMessage().getHeader("JMSCorrelationID"))));
        return mock("replies").getExchanges().stream()
                .filter(x -> correlation.equals(x.getMessage().getHeader("JMSCorrelationID"))).findFirst().orElseThrow();
    }

    private String request(Object body) {
        String c = java.util.UUID.randomUUID().toString();
        send(body, new ActiveMQQueue(OWN), USER, c);
        return reply(c).getMessage().getBody(String.class);
    }

    @Test
    void answersToTheRequestersOwnQueueWithTheCorrelationIdAndNoOtherHeaderOfTheRequest() {
        send("{\"command\":\"status\",\"id\":\"7\"}", new ActiveMQQueue(OWN), USER, "c-1");
        Exchange r = reply("c-1");
        assertThat(r.getMessage().getBody(String.class))
                .isEqualTo("{\"ok\":true,\"command\":\"status\",\"id\":\"7\",\"result\":{\"node\":\"node-a\"}}");
        assertThat(r.getMessage().getHeaders()).containsOnlyKeys("JMSCorrelationID", CommandRoutes.DESTINATION_NAME);
        assertThat(r.getMessage().getHeader(CommandRoutes.DESTINATION_NAME)).isEqualTo(OWN);
    }

    @Test
    void finding3_aReplyToOutsideTheRequestersQueuesIsRefusedDeadLetteredAndAnnounced() throws Exception {
        Object[] bad = {new ActiveMQTopic("ha.heartbeat.host"), new ActiveMQQueue("ha.heartbeat.host"),
                new ActiveMQQueue("ha.table"), new ActiveMQTopic("ha.events"), new ActiveMQQueue("ha.drs.advice"),
                new ActiveMQQueue("ha.replies.karaf.x"), new ActiveMQQueue("ha.replies.operator."),
                new ActiveMQQueue("ha.replies.operator.#"), new ActiveMQQueue("ha.replies.operator.a::b"),
                new ActiveMQTemporaryQueue("ha.replies.operator.tmp", null), "queue://ha.replies.operator.x"};
        for (int i = 0; i < bad.length; i++) {
            send("{\"command\":\"status\"}", bad[i], USER, "bad-" + i);
        }
        send("{\"command\":\"status\"}", new ActiveMQQueue(OWN), null, "no-user");
        await().atMost(10, TimeUnit.SECONDS).until(() -> mock("dlq").getExchanges().size() == bad.length + 1);
        assertThat(mock("replies").getExchanges()).as("nothing executed, nothing answered").isEmpty();
        for (Exchange x : mock("dlq").getExchanges()) {
            assertThat(x.getMessage().getHeader(HaRoutes.ERROR_HEADER, String.class)).startsWith("refused reply-to")
                    .contains("was not executed");
            assertThat(x.getMessage().getHeader(CommandRoutes.REPLY_TO)).isNull();
        }
        assertThat(mock("dlq").getExchanges().get(0).getMessage().getHeader(Addresses.DEAD_LETTER_USER_HEADER))
                .isEqualTo(USER);
        assertThat(mock("dlq").getExchanges().get(0).getMessage().getHeader(HaRoutes.ERROR_HEADER, String.class))
                .contains("topic ha.heartbeat.host").contains("user operator");
        await().until(() -> mock("events").getExchanges().size() == bad.length + 1);
        CloudEventCodec codec = new CloudEventCodec();
        var event = codec.decode(mock("events").getExchanges().get(0).getMessage().getBody(String.class));
        assertThat(event.type()).isEqualTo(EventTypes.COMMAND_REFUSED);
        assertThat(event.subject()).isEqualTo(USER);
        assertThat(event.data()).containsEntry("user", USER).containsEntry("replyTo", "topic ha.heartbeat.host")
                .containsEntry("correlationId", "bad-0");
        assertThat(stats.counts().get("reply-to")).isEqualTo((long) bad.length + 1);
        assertThat(request("{\"command\":\"status\"}")).contains("\"ok\":true");
    }

    @Test
    void aRequestWithoutReplyToIsDeadLetteredUnexecutedWithTheReasonAndTheUser() throws Exception {
        MockEndpoint dlq = mock("dlq");
        dlq.expectedMessageCount(1);
        dlq.expectedBodiesReceived("{\"command\":\"status\"}");
        send("{\"command\":\"status\"}", null, USER, "none");
        dlq.assertIsSatisfied(5_000);
        assertThat(dlq.getExchanges().get(0).getMessage().getHeader(HaRoutes.ERROR_HEADER, String.class))
                .startsWith("missing reply-to");
        assertThat(dlq.getExchanges().get(0).getMessage().getHeader(Addresses.DEAD_LETTER_USER_HEADER)).isEqualTo(USER);
        assertThat(request("{\"command\":\"status\"}")).contains("\"ok\":true");
    }

    @Test
    void badRequestsGetErrorRepliesAndTheRouteGoesOn() {
        assertThat(request("not json")).contains("\"code\":\"BAD_REQUEST\"").contains("invalid JSON");
        assertThat(request("{\"command\":\"reboot-world\"}")).contains("\"code\":\"UNKNOWN_COMMAND\"");
        assertThat(request("{\"command\":\"status\",\"args\":{\"pad\":\"" + "x".repeat(300) + "\"}}"))
                .contains("\"code\":\"TOO_LARGE\"").contains("exceeds the limit of 256 bytes");
        assertThat(request(new byte[] {'{', '"', 'c' })).contains("\"code\":\"BAD_REQUEST\"");
        assertThat(request("[".repeat(100) + "]".repeat(100))).contains("\"code\":\"BAD_REQUEST\"")
                .contains("nests deeper than");
        assertThat(request("{\"command\":\"\\u001b[2Jx\"}")).contains("\"code\":\"UNKNOWN_COMMAND\"")
                .contains("\\\\u001B").doesNotContain("\u001b");
        assertThat(request("{\"command\":\"status\"}")).contains("\"ok\":true");
    }

    @Test
    void aReplyLargerThanTheLimitIsReplacedByAnError() {
        assertThat(request("{\"command\":\"huge\"}")).contains("\"code\":\"TOO_LARGE\"")
                .contains("the reply would be more than 4096 bytes");
    }

    @Test
    void finding5_aSlowPlanRunsOffTheRouteStatusIsAnsweredMeanwhileAndTheExcessIsUnavailable() {
        send("{\"command\":\"plan\",\"id\":\"p1\"}", new ActiveMQQueue(OWN), USER, "plan-1");
        await().atMost(5, TimeUnit.SECONDS).until(() -> routes.slowBusy() == 1);
        // the executor has one thread (busy) and one place in its queue
        send("{\"command\":\"plan\",\"id\":\"p2\"}", new ActiveMQQueue(OWN), USER, "plan-2");
        send("{\"command\":\"plan\",\"id\":\"p3\"}", new ActiveMQQueue(OWN), USER, "plan-3");
        assertThat(reply("plan-3").getMessage().getBody(String.class)).contains("\"code\":\"UNAVAILABLE\"")
                .contains("too many 'plan' requests");
        long t0 = System.nanoTime();
        assertThat(request("{\"command\":\"status\"}")).contains("\"ok\":true");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("status waits for no plan").isLessThan(1_500);
        // the first plan runs past its 2 s limit: abandoned, answered, its thread interrupted
        assertThat(reply("plan-1").getMessage().getBody(String.class)).contains("\"code\":\"UNAVAILABLE\"")
                .contains("took longer than 2.0 s");
        planGate.countDown();
        assertThat(reply("plan-2").getMessage().getBody(String.class)).startsWith("{\"ok\":true,\"command\":\"plan\"");
        assertThat(stats.counts()).containsEntry("busy", 1L).containsEntry("timeout", 1L);
    }
    @Test
    void aStompReplyToIsAPlainAddressAndIsAnsweredWhenItIsTheRequestersOwnQueue() {
        // what the broker makes of a STOMP "reply-to:ha.replies.operator.tool-1" header: neither queue nor topic
        Object stomp = ActiveMQDestination.fromPrefixedName(OWN);
        assertThat(CommandRoutes.isPlainAddress(stomp)).isTrue();
        send("{\"command\":\"status\"}", stomp, USER, "stomp-1");
        assertThat(reply("stomp-1").getMessage().getHeader(CommandRoutes.DESTINATION_NAME)).isEqualTo(OWN);
        send("{\"command\":\"status\"}", ActiveMQDestination.fromPrefixedName("ha.replies.karaf.x"), USER, "stomp-2");
        await().atMost(10, TimeUnit.SECONDS).until(() -> mock("dlq").getExchanges().size() == 1);
        assertThat(mock("dlq").getExchanges().get(0).getMessage().getHeader(HaRoutes.ERROR_HEADER, String.class))
                .startsWith("refused reply-to address ha.replies.karaf.x").contains("was not executed");
    }

    @Test
    void aReplyTheBrokerRefusesGoesToTheDeadLetterAddressWithTheReason() throws Exception {
        CommandDispatcher dispatcher = new CommandDispatcher((c, e) -> {
        });
        dispatcher.register(handler("status", a -> Map.of("node", "node-a")));
        // no consumer on direct:gone: the send fails as a send to a queue the broker refuses does
        CommandRoutes broken = new CommandRoutes("direct:commands2", "mock:dlq2", "mock:events", "direct:gone?block=false",
                dispatcher, new CommandRoutes.Settings(256, 4096, 1, 1, 2_000, 1_000, "node-a"), stats,
                CommandRoutes.slowExecutor(1, 1), timer, Clock.systemUTC());
        CamelContext other = new DefaultCamelContext();
        other.start();
        other.addRoutes(broken);
        try {
            Map<String, Object> headers = new HashMap<>();
            headers.put(CommandRoutes.REPLY_TO, new ActiveMQQueue(OWN));
            headers.put(Addresses.USER_HEADER, USER);
            headers.put("JMSCorrelationID", "lost-1");
            other.createProducerTemplate().sendBodyAndHeaders("direct:commands2", "{\"command\":\"status\",\"id\":\"s\"}", headers);
            MockEndpoint dlq = other.getEndpoint("mock:dlq2", MockEndpoint.class);
            await().atMost(10, TimeUnit.SECONDS).until(() -> dlq.getExchanges().size() == 1);
            var m = dlq.getExchanges().get(0).getMessage();
            assertThat(m.getBody(String.class)).startsWith("{\"ok\":true,\"command\":\"status\",\"id\":\"s\"");
            assertThat(m.getHeader(HaRoutes.ERROR_HEADER, String.class)).startsWith("reply to " + OWN + " undeliverable: ")
                    .contains("was executed");
            assertThat(m.getHeader(Addresses.DEAD_LETTER_USER_HEADER)).isEqualTo(USER);
            assertThat(m.getHeader("JMSCorrelationID")).isEqualTo("lost-1");
            assertThat(stats.counts()).containsEntry("reply-failed", 1L);
        } finally {
            broken.close();
            other.stop();
        }
    }

    @Test
    void auditsEachRequestWithTheValidatedUserAndTheProtocolTheBrokerStamped() {
        Map<String, Object> headers = new HashMap<>();
        headers.put(CommandRoutes.REPLY_TO, new ActiveMQQueue(OWN));
        headers.put(Addresses.USER_HEADER, USER);
        headers.put(CommandRoutes.PROTOCOL_HEADER, "STOMP");
        headers.put("JMSCorrelationID", "c-stomp");
        producer.sendBodyAndHeaders("direct:commands", "{\"command\":\"status\"}", headers);
        reply("c-stomp");
        request("{\"command\":\"status\",\"args\":{\"bogus\":1}}");

        assertThat(audit).extracting(e -> e.user() + " " + e.channel() + " " + e.command() + " " + e.kind() + " "
                + e.outcome() + " " + e.code()).containsExactly("operator stomp status read ok null",
                        "operator noc status read refused BAD_REQUEST");
        assertThat(audit.get(1).args()).containsEntry("bogus", 1);
    }

    @Test
    void auditsARequestRefusedForItsReplyToOrItsSizeAsRefusedWithTheReason() {
        send("{\"command\":\"power-off\",\"args\":{\"vm\":\"VM05\"}}", new ActiveMQQueue(
                "ha.replies.someone-else.x"), USER, "c-other");
        await().atMost(10, TimeUnit.SECONDS).until(() -> audit.size() == 1);
        request("{\"command\":\"status\",\"args\":{\"pad\":\"" + "p".repeat(400) + "\"}}");

        assertThat(audit).extracting(e -> e.user() + " " + e.command() + " " + e.outcome() + " " + e.code())
                .containsExactly("operator power-off refused REFUSED", "operator null refused TOO_LARGE");
        assertThat(audit.get(0).args()).containsEntry("vm", "VM05");
        assertThat(audit.get(0).message()).startsWith("refused reply-to: the reply-to must be a queue ha.replies.operator.");
        assertThat(audit.get(1).message()).contains("exceeds the limit of 256 bytes");
    }
}
