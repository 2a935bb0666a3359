/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.core.event.CloudEventCodec;

/**
 * Route logic against in-memory endpoints. The real broker wiring is covered by the Pax Exam tests.
 */
class HaRoutesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    private final CloudEventCodec codec = new CloudEventCodec();
    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        MessagingSettings settings = new MessagingSettings("tcp://127.0.0.1:1", "agent", "agent", "node-a", true, 1000,
                List.of());
        camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("seda:events?multipleConsumers=true").to("mock:events");
            }
        });
        camel.addRoutes(new HaRoutes(new Addresses("seda:events?multipleConsumers=true", "mock:dlq", "mock:heartbeats", "mock:table", "seda:commands"), settings, codec,
                CLOCK, "0.1.0", history::add));
        // started only now, with every route in place: added to a running context, the one-shot cluster.started
        // timer (delay 0) could fire while the seda endpoint was still adding its second consumer, and that event
        // was lost (the test failed now and then, depending on what ran before it in the JVM)
        camel.start();
        producer = camel.createProducerTemplate();
    }

    private final org.vmha.core.event.EventRing history = new org.vmha.core.event.EventRing(100, e -> {
    });

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void announcesClusterStartedOnceAsCloudEvent() throws Exception {
        MockEndpoint events = camel.getEndpoint("mock:events", MockEndpoint.class);
        events.expectedMinimumMessageCount(1);
        events.assertIsSatisfied(10_000);

        CloudEvent started = codec.decode(events.getExchanges().get(0).getMessage().getBody(String.class));
        assertThat(started.type()).isEqualTo(EventTypes.CLUSTER_STARTED);
        assertThat(started.source()).isEqualTo("/vmha/node/node-a");
        assertThat(started.time()).isEqualTo(CLOCK.instant());
        assertThat(started.data()).containsEntry("node", "node-a").containsEntry("version", "0.1.0");
    }

    @Test
    void malformedEventGoesToDeadLetterWithReasonAndNextOneIsProcessed() throws Exception {
        MockEndpoint dlq = camel.getEndpoint("mock:dlq", MockEndpoint.class);
        dlq.expectedMessageCount(1);
        dlq.expectedHeaderReceived(HaRoutes.ERROR_HEADER, "missing required attribute 'type'");
        MockEndpoint events = camel.getEndpoint("mock:events", MockEndpoint.class);

        producer.sendBody("seda:events?multipleConsumers=true",
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"time\":\"2026-01-01T00:00:00Z\"}");
        CloudEvent good = CloudEvent.of("/t", "org.vmha.test", CLOCK.instant(), "VM1", Map.of("k", "v"));
        producer.sendBody(HaRoutes.PUBLISH_ENDPOINT, codec.encode(good));

        dlq.assertIsSatisfied(10_000);
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(events.getExchanges())
                .extracting(Exchange::getMessage).extracting(m -> m.getBody(String.class))
                .anyMatch(b -> b.contains("\"id\":\"" + good.id() + "\"")));
        assertThat(camel.getRouteController().getRouteStatus("vmha.events.log").isStarted()).isTrue();
        // only well-formed events reach the history that ha:events shows
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(history.recent(10, "org.vmha.test"))
                .extracting(CloudEvent::id).containsExactly(good.id()));
    }
}
