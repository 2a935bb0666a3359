/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.event.CloudEventCodec;
import org.vmha.api.transport.ClusterListener;
import org.vmha.core.transport.ClusterMessageCodec;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The agents' transport routes against in-memory endpoints; the JMS wiring is covered by the Pax Exam
 * failover test.
 */
class CamelClusterTransportTest {

    private static final String HEARTBEATS = "seda:hb?multipleConsumers=true";
    private static final String TABLE = "seda:table?multipleConsumers=true";
    private static final String EVENTS = "seda:events?multipleConsumers=true";

    static final org.vmha.core.security.MessageAuthenticator AUTH = new org.vmha.core.security.MessageAuthenticator(
            org.vmha.core.security.ClusterKey.of("0123456789abcdef0123456789abcdef".getBytes()));

    private final InboundStats stats = new InboundStats();
    private final AtomicBoolean brokerUp = new AtomicBoolean(true);
    private final AtomicBoolean isolationUp = new AtomicBoolean(true);
    private CamelContext camel;
    private ProducerTemplate producer;
    private CamelClusterTransports transports;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.start();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(TABLE).to("mock:table");
                from(HEARTBEATS).to("mock:heartbeats");
            }
        });
        producer = camel.createProducerTemplate();
        transports = new CamelClusterTransports(camel, producer, new Addresses(EVENTS, "mock:dlq", HEARTBEATS, TABLE, "seda:commands"),
                new CloudEventCodec(), brokerUp::get, isolationUp::get, () -> AUTH, stats);
    }

    @AfterEach
    void stop() {
        transports.close();
        camel.stop();
    }

    @Test
    void peersGetHeartbeatsTablesAndEventsButNeverTheirOwn() {
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        ClusterTransport t1 = transports.create("H1");
        ClusterTransport t2 = transports.create("H2");
        t1.subscribe(r1);
        t2.subscribe(r2);

        HostHeartbeat hb = new HostHeartbeat("H1", 1, 1000, ResourceVector.of(500, 512), ResourceVector.of(8000, 8192));
        t1.publishHeartbeat(hb);
        TableUpdate delta = new TableUpdate("H1", 3, false, List.of(new FailoverTableEntry("VM1", "lun-VM1", "H1", "H2",
                RestartPriority.HIGH, ResourceVector.of(500, 512), VmState.RUNNING, 2)));
        t1.publishTable(delta);
        CloudEvent ev = CloudEvent.of("/vmha/agent/H1", "org.vmha.test", Instant.EPOCH, "VM1", Map.of("n", 1));
        t1.publishEvent(ev);

        await().untilAsserted(() -> {
            assertThat(r2.heartbeats).containsExactly(hb);
            assertThat(r2.tables).containsExactly(delta);
            assertThat(r2.events).containsExactly(ev);
        });
        assertThat(r1.heartbeats).isEmpty();
        assertThat(r1.tables).isEmpty();
        assertThat(r1.events).isEmpty();

        MockEndpoint table = camel.getEndpoint("mock:table", MockEndpoint.class);
        assertThat(table.getExchanges()).hasSize(1);
        assertThat(table.getExchanges().get(0).getMessage().getHeaders())
                .containsEntry(Addresses.SOURCE_HEADER, "H1")
                .containsEntry(Addresses.TABLE_KEY_HEADER, "delta:H1:lun-VM1");
    }

    @Test
    void routeIdsAreDeterministicAndCloseRemovesThem() {
        ClusterTransport t = transports.create("H3");
        assertThat(camel.getRouteController().getRouteStatus("vmha.agent.H3.heartbeat").isStarted()).isTrue();
        assertThat(camel.getRouteController().getRouteStatus("vmha.agent.H3.table").isStarted()).isTrue();
        assertThat(camel.getRouteController().getRouteStatus("vmha.agent.H3.events").isStarted()).isTrue();
        assertThat(camel.getRouteController().getRouteStatus("vmha.agent.H3.publish").isStarted()).isTrue();
        assertThatThrownBy(() -> transports.create("H3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("H3 already has a transport");
        assertThatThrownBy(() -> transports.create("bad host")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host 'bad host'");
        transports.close(t);
        assertThat(camel.getRoute("vmha.agent.H3.heartbeat")).isNull();
        assertThat(camel.getRoute("vmha.agent.H3.publish")).isNull();
        // the name is free again (an agent rebuilt after an adapter swap)
        transports.close(transports.create("H3"));
    }

    private void sendSigned(String endpoint, String kind, String source, String body) {
        producer.sendBodyAndHeaders(endpoint, body, Map.of(Addresses.SOURCE_HEADER, source,
                org.vmha.core.security.MessageAuthenticator.HEADER, AUTH.sign(kind, source, body)));
    }

    @Test
    void finding4_unsignedForgedOrRelabelledMessagesAreDroppedCountedAndNeverDecoded() throws Exception {
        Recorder r = new Recorder();
        transports.create("H2").subscribe(r);
        ClusterMessageCodec codec = new ClusterMessageCodec();
        HostHeartbeat h9 = new HostHeartbeat("H9", 1, 1, ResourceVector.ZERO, ResourceVector.of(1_000_000, 1_000_000));
        String hb = codec.encodeHeartbeat(h9);
        // no MAC (what an agent login alone can send), a MAC under another key, a MAC of H1's message relabelled
        producer.sendBodyAndHeader(HEARTBEATS, hb, Addresses.SOURCE_HEADER, "H9");
        org.vmha.core.security.MessageAuthenticator other = new org.vmha.core.security.MessageAuthenticator(
                org.vmha.core.security.ClusterKey.of("another key of sixteen+ bytes".getBytes()));
        producer.sendBodyAndHeaders(HEARTBEATS, hb, Map.of(Addresses.SOURCE_HEADER, "H9",
                org.vmha.core.security.MessageAuthenticator.HEADER, other.sign("heartbeat", "H9", hb)));
        HostHeartbeat h1 = new HostHeartbeat("H1", 5, 1, ResourceVector.ZERO, ResourceVector.of(1000, 1024));
        producer.sendBodyAndHeaders(HEARTBEATS, codec.encodeHeartbeat(h1), Map.of(Addresses.SOURCE_HEADER, "H9",
                org.vmha.core.security.MessageAuthenticator.HEADER, AUTH.sign("heartbeat", "H1", codec.encodeHeartbeat(h1))));
        // a heartbeat's MAC does not make a table update
        String off = codec.encodeTable(new TableUpdate("H1", 3, false, List.of(new FailoverTableEntry("VM1", "lun-VM1",
                "H1", "H2", RestartPriority.HIGH, ResourceVector.of(500, 512), VmState.POWERED_OFF, 2))));
        producer.sendBodyAndHeaders(TABLE, off, Map.of(Addresses.SOURCE_HEADER, "H1",
                org.vmha.core.security.MessageAuthenticator.HEADER, AUTH.sign("heartbeat", "H1", off)));
        producer.sendBodyAndHeader(TABLE, off, Addresses.SOURCE_HEADER, "H1");
        // then a good one
        HostHeartbeat good = new HostHeartbeat("H3", 2, 1, ResourceVector.ZERO, ResourceVector.of(1000, 1024));
        sendSigned(HEARTBEATS, "heartbeat", "H3", codec.encodeHeartbeat(good));

        await().untilAsserted(() -> assertThat(r.heartbeats).containsExactly(good));
        await().untilAsserted(() -> assertThat(stats.counts()).containsEntry("missing-mac", 2L)
                .containsEntry("bad-mac", 3L));
        assertThat(r.tables).isEmpty();
        assertThat(camel.getEndpoint("mock:dlq", MockEndpoint.class).getExchanges()).as("junk is not kept").isEmpty();
    }

    @Test
    void oversizedMessagesAreDroppedBeforeDecodingAndTheNextOneDelivered() {
        Recorder r = new Recorder();
        transports.create("H2").subscribe(r);
        String big = "{\"host\":\"H3\",\"pad\":\"" + "x".repeat(5_000) + "\"}";
        sendSigned(HEARTBEATS, "heartbeat", "H3", big);
        producer.sendBodyAndHeader(HEARTBEATS, big.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Addresses.SOURCE_HEADER, "H3");
        HostHeartbeat good = new HostHeartbeat("H3", 2, 1, ResourceVector.ZERO, ResourceVector.of(1000, 1024));
        sendSigned(HEARTBEATS, "heartbeat", "H3", new ClusterMessageCodec().encodeHeartbeat(good));
        await().untilAsserted(() -> assertThat(r.heartbeats).containsExactly(good));
        assertThat(stats.counts()).containsEntry("oversized", 2L);
    }

    @Test
    void aSignedButMalformedMessageIsDeadLetteredWithAShortEscapedReasonAndTheNextOneDelivered() throws Exception {
        Recorder r = new Recorder();
        transports.create("H2").subscribe(r);
        MockEndpoint dlq = camel.getEndpoint("mock:dlq", MockEndpoint.class);
        dlq.expectedMessageCount(2);

        sendSigned(HEARTBEATS, "heartbeat", "H9", "{\"host\":\"H9\",\"sequence\":\"\u001b[31mone" + "y".repeat(150)
                + "\",\"timeMillis\":1}");
        sendSigned(TABLE, "table", "H9", "{\"source\":\"H9\",\"version\":1,\"entries\":[]}");
        HostHeartbeat good = new HostHeartbeat("H9", 2, 1, ResourceVector.ZERO, ResourceVector.of(1000, 1024));
        sendSigned(HEARTBEATS, "heartbeat", "H9", new ClusterMessageCodec().encodeHeartbeat(good));

        dlq.assertIsSatisfied(10_000);
        assertThat(dlq.getExchanges()).extracting(x -> x.getMessage().getHeader(HaRoutes.ERROR_HEADER, String.class))
                .anyMatch(reason -> reason.startsWith("heartbeat:") && reason.length() < 300
                        && !reason.contains("\u001b"))
                .anyMatch(reason -> reason.contains("table update: full"));
        await().untilAsserted(() -> assertThat(r.heartbeats).containsExactly(good));
        assertThat(camel.getRouteController().getRouteStatus("vmha.agent.H2.heartbeat").isStarted()).isTrue();
    }

    @Test
    void publishingWhileTheBrokerIsUnreachableDropsAtOnceAndReportsIt() {
        CamelClusterTransport t = (CamelClusterTransport) transports.create("H1");
        brokerUp.set(false);
        isolationUp.set(false);
        t.publishHeartbeat(new HostHeartbeat("H1", 1, 1, ResourceVector.ZERO, ResourceVector.ZERO));
        assertThat(t.dropped()).isEqualTo(1);
        assertThat(t.brokerReachable()).isFalse();
        assertThat(t.isolationAddressReachable()).isFalse();
        brokerUp.set(true);
        t.publishHeartbeat(new HostHeartbeat("H1", 2, 1, ResourceVector.ZERO, ResourceVector.ZERO));
        MockEndpoint hb = camel.getEndpoint("mock:heartbeats", MockEndpoint.class);
        await().untilAsserted(() -> assertThat(hb.getExchanges()).hasSize(1));
        assertThat(t.dropped()).isEqualTo(1);
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheConsumer() {
        List<HostHeartbeat> got = new CopyOnWriteArrayList<>();
        ClusterTransport t2 = transports.create("H2");
        t2.subscribe(new Recorder() {
            @Override
            public void onHeartbeat(HostHeartbeat heartbeat) {
                got.add(heartbeat);
                if (heartbeat.sequence() == 1) {
                    throw new IllegalStateException("agent bug");
                }
            }
        });
        ClusterTransport t1 = transports.create("H1");
        t1.publishHeartbeat(new HostHeartbeat("H1", 1, 1, ResourceVector.ZERO, ResourceVector.ZERO));
        t1.publishHeartbeat(new HostHeartbeat("H1", 2, 1, ResourceVector.ZERO, ResourceVector.ZERO));
        await().untilAsserted(() -> assertThat(got).extracting(HostHeartbeat::sequence).containsExactlyInAnyOrder(1L, 2L));
    }

    private static class Recorder implements ClusterListener {
        final List<HostHeartbeat> heartbeats = new CopyOnWriteArrayList<>();
        final List<TableUpdate> tables = new CopyOnWriteArrayList<>();
        final List<CloudEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onHeartbeat(HostHeartbeat heartbeat) {
            heartbeats.add(heartbeat);
        }

        @Override
        public void onTable(TableUpdate update) {
            tables.add(update);
        }

        @Override
        public void onEvent(CloudEvent event) {
            events.add(event);
        }
    }
}
