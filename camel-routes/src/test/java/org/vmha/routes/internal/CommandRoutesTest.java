/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.command.CommandHandler;
import org.vmha.core.command.CommandDispatcher;

/**
 * Request/reply logic of ha.commands on in-memory endpoints (the JMS reply-to is simulated by its header); the
 * broker path is covered by the Pax Exam tests.
 */
class CommandRoutesTest {

    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        CommandDispatcher dispatcher = new CommandDispatcher((c, e) -> {
        });
        dispatcher.register(new CommandHandler() {
            @Override
            public String name() {
                return "status";
            }

            @Override
            public Map<String, Object> handle(Map<String, Object> args) {
                return Map.of("node", "node-a");
            }
        });
        camel = new DefaultCamelContext();
        camel.start();
        camel.addRoutes(new CommandRoutes("direct:commands", "mock:dlq", dispatcher, 256));
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void answersARequestWithAReplyTo() {
        Object reply = producer.requestBodyAndHeader("direct:commands", "{\"command\":\"status\",\"id\":\"7\"}",
                CommandRoutes.REPLY_TO, "queue://ha.replies.noc");
        assertThat(reply).isEqualTo("{\"ok\":true,\"command\":\"status\",\"id\":\"7\",\"result\":{\"node\":\"node-a\"}}");
    }

    @Test
    void badRequestsGetErrorRepliesAndTheRouteGoesOn() {
        assertThat(request("not json")).contains("\"code\":\"BAD_REQUEST\"").contains("invalid JSON");
        assertThat(request("{\"command\":\"reboot-world\"}")).contains("\"code\":\"UNKNOWN_COMMAND\"");
        assertThat(request("{\"command\":\"status\",\"args\":{\"pad\":\"" + "x".repeat(300) + "\"}}"))
                .contains("\"code\":\"TOO_LARGE\"").contains("exceeds the limit of 256 bytes");
        assertThat(request(new byte[] {'{', '"', 'c' })).contains("\"code\":\"BAD_REQUEST\"");
        assertThat(request("{\"command\":\"status\"}")).contains("\"ok\":true");
    }

    @Test
    void aRequestWithoutReplyToIsDeadLetteredUnexecutedWithTheReason() throws Exception {
        MockEndpoint dlq = camel.getEndpoint("mock:dlq", MockEndpoint.class);
        dlq.expectedMessageCount(1);
        dlq.expectedBodiesReceived("{\"command\":\"status\"}");

        producer.sendBody("direct:commands", "{\"command\":\"status\"}");

        dlq.assertIsSatisfied(5_000);
        assertThat(dlq.getExchanges().get(0).getMessage().getHeader(HaRoutes.ERROR_HEADER, String.class))
                .startsWith("missing reply-to");
        assertThat(request("{\"command\":\"status\"}")).contains("\"ok\":true");
    }

    private String request(Object body) {
        return producer.requestBodyAndHeader("direct:commands", body, CommandRoutes.REPLY_TO, "queue://r", String.class);
    }
}
