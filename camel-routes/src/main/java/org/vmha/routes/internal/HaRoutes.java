/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.time.Clock;

import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.event.data.ClusterStarted;
import org.vmha.core.event.CloudEventCodec;
import org.vmha.core.event.EventPayloads;
import org.vmha.core.event.MalformedMessageException;
import org.vmha.core.security.JsonLimits;
import org.vmha.core.security.SafeText;

/**
 * The {@link HaRoutes} are responsible for every Camel route of a node. Route ids are deterministic
 * ({@code vmha.<purpose>}) so that {@code camel:route-list} is stable across restarts.
 * <ul>
 * <li>{@value #PUBLISH_ENDPOINT} → the events topic: what {@link org.vmha.api.event.EventPublisher} sends;</li>
 * <li>a one-shot route that announces {@link EventTypes#CLUSTER_STARTED} once the broker is reachable,
 * retrying with back-off while it is not;</li>
 * <li>the events topic → the log, validating each message (never answering a reply-to it carries); a malformed one
 * goes to the dead-letter address with a short, escaped reason in the {@value #ERROR_HEADER} header and the sender
 * in {@value Addresses#DEAD_LETTER_USER_HEADER}, and the route goes on with the next. The log line carries the
 * event escaped ({@link SafeText}).</li>
 * </ul>
 *
 * @author vmha - Initial contribution
 */
public final class HaRoutes extends RouteBuilder {

    /** In-process entry point of the publish route. */
    public static final String PUBLISH_ENDPOINT = "direct:vmha.events.publish";

    /** Header carrying the reason a message was dead-lettered. */
    public static final String ERROR_HEADER = "vmha_error";

    /** Logger name of the event log route. */
    public static final String EVENT_LOG = "org.vmha.events";

    private final Addresses addresses;
    private final MessagingSettings settings;
    private final CloudEventCodec codec;
    private final Clock clock;
    private final String version;
    private final java.util.function.Consumer<CloudEvent> received;

    private final InboundStats stats;

    public HaRoutes(Addresses addresses, MessagingSettings settings, CloudEventCodec codec, Clock clock, String version,
            java.util.function.Consumer<CloudEvent> received) {
        this(addresses, settings, codec, clock, version, received, new InboundStats());
    }

    HaRoutes(Addresses addresses, MessagingSettings settings, CloudEventCodec codec, Clock clock, String version,
            java.util.function.Consumer<CloudEvent> received, InboundStats stats) {
        this.stats = stats;
        this.received = received;
        this.addresses = addresses;
        this.settings = settings;
        this.codec = codec;
        this.clock = clock;
        this.version = version;
    }

    @Override
    public void configure() {
        from(PUBLISH_ENDPOINT).routeId("vmha.events.publish")
                .setExchangePattern(ExchangePattern.InOnly)
                .to(addresses.events());

        if (settings.announceStart()) {
            from("timer:vmha.cluster.started?repeatCount=1&delay=0").routeId("vmha.cluster.started")
                    .errorHandler(defaultErrorHandler().maximumRedeliveries(-1).redeliveryDelay(250)
                            .useExponentialBackOff().maximumRedeliveryDelay(settings.recoveryIntervalMs() * 10)
                            .retryAttemptedLogLevel(LoggingLevel.DEBUG).logExhausted(true))
                    .process(exchange -> exchange.getMessage().setBody(codec.encode(clusterStarted())))
                    .setExchangePattern(ExchangePattern.InOnly)
                    .to(addresses.events())
                    .log(LoggingLevel.INFO, "org.vmha.routes", "Announced " + EventTypes.CLUSTER_STARTED + " for node "
                            + settings.nodeName() + " on " + settings.brokerUrl());
        }

        from(Addresses.consumer(addresses.events())).routeId("vmha.events.log")
                .onException(MalformedMessageException.class).handled(true)
                    .process(x -> stats.refuse("event log", "malformed", "event: " + x.getProperty(
                            org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()))
                    .setHeader(ERROR_HEADER, simple("${exception.message}"))
                    .process(x -> x.getMessage().setHeader(Addresses.DEAD_LETTER_USER_HEADER, Bodies.user(x.getMessage())))
                    .to(addresses.deadLetter())
                .end()
                .process(exchange -> {
                    String body = Bodies.text(exchange.getMessage(), JsonLimits.EVENT.maxChars());
                    if (body == null) {
                        // the broker caps ha.events (broker limits); a larger one is neither parsed nor kept
                        stats.refuse("event log", "oversized", "event of " + Bodies.size(exchange.getMessage())
                                + " bytes from user " + SafeText.prefix(Bodies.user(exchange.getMessage()), 40));
                        exchange.setRouteStop(true);
                        return;
                    }
                    CloudEvent event = codec.decode(body);
                    exchange.getMessage().setHeader("vmha_type", SafeText.prefix(event.type(), 80));
                    exchange.getMessage().setHeader("vmha_subject", SafeText.prefix(event.subject(), 80));
                    exchange.getMessage().setHeader("vmha_log", SafeText.prefix(body, 2_000));
                    received.accept(event);
                })
                .log(LoggingLevel.INFO, EVENT_LOG, "${header.vmha_type} ${header.vmha_subject}: ${header.vmha_log}");
    }

    CloudEvent clusterStarted() {
        ClusterStarted data = new ClusterStarted(settings.nodeName(), version);
        return CloudEvent.of("/vmha/node/" + settings.nodeName(), ClusterStarted.TYPE, clock.instant(),
                settings.nodeName(), EventPayloads.toMap(data));
    }
}
