/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.camel.Exchange;

import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.core.event.CloudEventCodec;
import org.vmha.core.event.MalformedMessageException;
import org.vmha.core.security.JsonLimits;
import org.vmha.core.security.MessageAuthenticator;
import org.vmha.core.security.SafeText;
import org.vmha.api.transport.ClusterListener;
import org.vmha.core.transport.ClusterMessageCodec;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link CamelClusterTransport} is responsible for one host's {@link ClusterTransport} on Camel:
 * <ul>
 * <li>publishing puts the encoded message on a bounded in-memory queue ({@value #QUEUE_CAPACITY}
 * messages) and returns; a full queue or a broker the probe cannot reach drops the message (the
 * protocols tolerate loss). The route {@code vmha.agent.<host>.publish} sends the queue to the heartbeat,
 * table or events address with the source in {@value Addresses#SOURCE_HEADER} (and, for tables, the
 * last-value key in {@value Addresses#TABLE_KEY_HEADER});</li>
 * <li>heartbeats and table updates carry an HMAC under the cluster key in {@value MessageAuthenticator#HEADER}
 * ({@link MessageAuthenticator}, over kind, source and body);</li>
 * <li>the routes {@code vmha.agent.<host>.heartbeat}, {@code .table} and {@code .events} consume the
 * three addresses (never answering a reply-to), skip this host's own messages, and check before decoding: the size
 * ({@link JsonLimits}), then the HMAC. What fails is dropped, counted and logged with a short escaped prefix
 * ({@link InboundStats}); a message with a valid HMAC that still does not decode (a bug of a key holder) goes to
 * the dead-letter address with a short escaped reason in {@value HaRoutes#ERROR_HEADER}. Then the listener is called:
 * the agents' {@link org.vmha.core.security.InboundGate} reports what it refuses through {@link #refused}. A
 * malformed event is left to the node's event log route, which dead-letters it once.</li>
 * </ul>
 * <p>
 * <b>Threading:</b> thread-safe; publishing never blocks; the listener is called on Camel consumer
 * threads and must hand the message to its own serial executor.
 *
 * @author vmha - Initial contribution
 */
final class CamelClusterTransport implements ClusterTransport {

    /** Messages one transport keeps queued for the broker before it drops new ones. */
    static final int QUEUE_CAPACITY = 1000;

    static final String KIND_HEADER = "vmha_kind";

    private static final String LOG = "org.vmha.routes.agent";

    private final Logger logger = LoggerFactory.getLogger(CamelClusterTransport.class);

    private final String host;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final Addresses addresses;
    private final ClusterMessageCodec codec;
    private final CloudEventCodec events;
    private final BooleanSupplier broker;
    private final BooleanSupplier isolation;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong tableSeq = new AtomicLong();
    private final Supplier<MessageAuthenticator> auth;
    private final InboundStats stats;
    private final String consumerName;
    private volatile ClusterListener listener;
    private volatile boolean closed;

    CamelClusterTransport(String host, CamelContext camel, ProducerTemplate producer, Addresses addresses,
            ClusterMessageCodec codec, CloudEventCodec events, BooleanSupplier broker, BooleanSupplier isolation,
            Supplier<MessageAuthenticator> auth, InboundStats stats) {
        this.auth = auth;
        this.stats = stats;
        this.consumerName = "management".equals(host) ? "management" : "agent " + host;
        this.host = host;
        this.camel = camel;
        this.producer = producer;
        this.addresses = addresses;
        this.codec = codec;
        this.events = events;
        this.broker = broker;
        this.isolation = isolation;
    }

    /** @return the route ids of this transport, in a stable order */
    List<String> routeIds() {
        return List.of(Addresses.agentRouteId(host, "publish"), Addresses.agentRouteId(host, "heartbeat"),
                Addresses.agentRouteId(host, "table"), Addresses.agentRouteId(host, "events"));
    }

    void start() throws Exception {
        camel.addRoutes(new Routes());
    }

    void stop() {
        closed = true;
        listener = null;
        for (String id : routeIds()) {
            try {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            } catch (Exception e) {
                logger.warn("Could not remove route {}: {}", id, e.getMessage());
            }
        }
    }

    /** @return the host */
    String host() {
        return host;
    }

    /** @return messages dropped so far (queue full, broker unreachable or closed) */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void publishHeartbeat(HostHeartbeat heartbeat) {
        offer("heartbeat", codec.encodeHeartbeat(heartbeat), null);
    }

    @Override
    public void publishTable(TableUpdate update) {
        String key = update.full() ? "full"
                : update.entries().size() == 1 ? "delta:" + update.source() + ":" + update.entries().get(0).lun()
                        : "delta:" + update.source() + ":" + update.version() + ":" + tableSeq.incrementAndGet();
        offer("table", codec.encodeTable(update), key);
    }

    @Override
    public void publishEvent(CloudEvent event) {
        offer("event", events.encode(event), null);
    }

    private void offer(String kind, String body, String tableKey) {
        if (closed || !broker.getAsBoolean()) {
            dropped.incrementAndGet();
            return;
        }
        Map<String, Object> headers = new TreeMap<>();
        headers.put(KIND_HEADER, kind);
        headers.put(Addresses.SOURCE_HEADER, host);
        if (tableKey != null) {
            headers.put(Addresses.TABLE_KEY_HEADER, tableKey);
        }
        if (!"event".equals(kind)) {
            headers.put(MessageAuthenticator.HEADER, auth.get().sign(kind, host, body));
        }
        try {
            // InOnly to a seda queue that discards when full: never waits for the broker
            producer.sendBodyAndHeaders(Addresses.agentOutbox(host), ExchangePattern.InOnly, body, headers);
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
            logger.debug("Dropped a {} of {}: {}", kind, host, e.getMessage());
        }
    }

    @Override
    public void subscribe(ClusterListener l) {
        this.listener = l;
    }

    @Override
    public boolean brokerReachable() {
        return broker.getAsBoolean();
    }

    @Override
    public boolean isolationAddressReachable() {
        return isolation.getAsBoolean();
    }

    @Override
    public void refused(String reason, String detail) {
        stats.refuse(consumerName, reason, detail);
    }

    /**
     * The checks before decoding: size, then HMAC. What fails is dropped and counted.
     *
     * @return the body to decode, or null if the message was refused
     */
    private String admit(String kind, Exchange x, JsonLimits limits) {
        org.apache.camel.Message m = x.getMessage();
        String source = m.getHeader(Addresses.SOURCE_HEADER, String.class);
        String body = Bodies.text(m, limits.maxChars());
        if (body == null) {
            refused("oversized", kind + " from " + SafeText.prefix(source, 40) + " of " + Bodies.size(m)
                    + " bytes, the limit is " + limits.maxChars() + " (user " + SafeText.prefix(Bodies.user(m), 40) + ")");
            return null;
        }
        MessageAuthenticator.Verdict v = auth.get().verify(kind, source, body,
                m.getHeader(MessageAuthenticator.HEADER, String.class));
        if (v != MessageAuthenticator.Verdict.VALID) {
            refused(v == MessageAuthenticator.Verdict.MISSING ? "missing-mac" : "bad-mac", kind + " from "
                    + SafeText.prefix(source, 40) + " (" + v + ", user " + SafeText.prefix(Bodies.user(m), 40) + "): "
                    + SafeText.prefix(body, 80));
            return null;
        }
        return body;
    }

    private void deliver(String what, Runnable call) {
        try {
            call.run();
        } catch (MalformedMessageException e) {
            throw e;
        } catch (RuntimeException e) {
            // a listener bug must not kill the consumer; the message is lost, the protocols tolerate that
            logger.warn("Agent {} failed to take a {}: {}", host, what, e.toString());
        }
    }

    /** The routes of this transport. */
    private final class Routes extends RouteBuilder {

        @Override
        public void configure() {
            from(Addresses.agentOutbox(host)).routeId(Addresses.agentRouteId(host, "publish"))
                    .onException(Exception.class).handled(true)
                        .process(e -> dropped.incrementAndGet())
                        .log(LoggingLevel.DEBUG, LOG, "Dropped a ${header." + KIND_HEADER + "} of " + host
                                + ": ${exception.message}")
                    .end()
                    .setExchangePattern(ExchangePattern.InOnly)
                    .choice()
                        .when(header(KIND_HEADER).isEqualTo("heartbeat")).to(addresses.heartbeats())
                        .when(header(KIND_HEADER).isEqualTo("table")).to(addresses.table())
                        .otherwise().to(addresses.events())
                    .end();

            from(Addresses.consumer(addresses.heartbeats())).routeId(Addresses.agentRouteId(host, "heartbeat"))
                    .onException(MalformedMessageException.class).handled(true)
                        .process(x -> refused("malformed", "heartbeat: " + x.getProperty(Exchange.EXCEPTION_CAUGHT,
                                Exception.class).getMessage()))
                        .setHeader(HaRoutes.ERROR_HEADER, simple("${exception.message}"))
                        .process(x -> x.getMessage().setHeader(Addresses.DEAD_LETTER_USER_HEADER,
                                Bodies.user(x.getMessage())))
                        .to(addresses.deadLetter())
                    .end()
                    .onException(Exception.class).handled(true)
                        .process(x -> refused("failed", "heartbeat: " + SafeText.prefix(String.valueOf(
                                x.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)), 200)))
                    .end()
                    .filter(header(Addresses.SOURCE_HEADER).isNotEqualTo(host))
                    .process(x -> {
                        String body = admit("heartbeat", x, JsonLimits.HEARTBEAT);
                        if (body == null) {
                            return;
                        }
                        HostHeartbeat hb = codec.decodeHeartbeat(body);
                        if (!hb.host().equals(x.getMessage().getHeader(Addresses.SOURCE_HEADER))) {
                            refused("source-mismatch", "heartbeat of " + SafeText.prefix(hb.host(), 40) + " sent as "
                                    + SafeText.prefix(x.getMessage().getHeader(Addresses.SOURCE_HEADER, String.class), 40));
                            return;
                        }
                        ClusterListener l = listener;
                        if (l != null && !hb.host().equals(host)) {
                            deliver("heartbeat", () -> l.onHeartbeat(hb));
                        }
                    });

            from(Addresses.consumer(addresses.table())).routeId(Addresses.agentRouteId(host, "table"))
                    .onException(MalformedMessageException.class).handled(true)
                        .process(x -> refused("malformed", "table update: " + x.getProperty(Exchange.EXCEPTION_CAUGHT,
                                Exception.class).getMessage()))
                        .setHeader(HaRoutes.ERROR_HEADER, simple("${exception.message}"))
                        .process(x -> x.getMessage().setHeader(Addresses.DEAD_LETTER_USER_HEADER,
                                Bodies.user(x.getMessage())))
                        .to(addresses.deadLetter())
                    .end()
                    .onException(Exception.class).handled(true)
                        .process(x -> refused("failed", "table update: " + SafeText.prefix(String.valueOf(
                                x.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)), 200)))
                    .end()
                    .filter(header(Addresses.SOURCE_HEADER).isNotEqualTo(host))
                    .process(x -> {
                        String body = admit("table", x, JsonLimits.TABLE);
                        if (body == null) {
                            return;
                        }
                        TableUpdate u = codec.decodeTable(body);
                        if (!u.source().equals(x.getMessage().getHeader(Addresses.SOURCE_HEADER))) {
                            refused("source-mismatch", "table update of " + SafeText.prefix(u.source(), 40)
                                    + " sent as " + SafeText.prefix(x.getMessage().getHeader(Addresses.SOURCE_HEADER,
                                            String.class), 40));
                            return;
                        }
                        ClusterListener l = listener;
                        if (l != null) {
                            deliver("table update", () -> l.onTable(u));
                        }
                    });

            from(Addresses.consumer(addresses.events())).routeId(Addresses.agentRouteId(host, "events"))
                    .onException(Exception.class).handled(true)
                        .log(LoggingLevel.DEBUG, LOG, "Ignoring malformed event: ${exception.message}")
                    .end()
                    .filter(header(Addresses.SOURCE_HEADER).isNotEqualTo(host))
                    .process(x -> {
                        String body = Bodies.text(x.getMessage(), JsonLimits.EVENT.maxChars());
                        if (body == null) {
                            return; // the node's event log route dead-letters it
                        }
                        CloudEvent ev = events.decode(body);
                        ClusterListener l = listener;
                        if (l != null) {
                            deliver("event", () -> l.onEvent(ev));
                        }
                    });
        }
    }
}
