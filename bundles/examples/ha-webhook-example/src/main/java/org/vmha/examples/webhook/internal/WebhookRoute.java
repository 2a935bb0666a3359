/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.examples.webhook.internal;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The {@link WebhookRoute} is the whole example: events from the public address {@code ha.events} (the
 * documented NOC contract, docs/messaging.md), optionally filtered by type prefix, POSTed to a webhook as
 * {@code application/cloudevents+json}, with retries and back-off. An event that still cannot be delivered is
 * logged and dropped, so a dead receiver never blocks the subscription.
 *
 * @author vmha - Initial contribution
 */
final class WebhookRoute extends RouteBuilder {

    static final String ROUTE_ID = "vmha.example.webhook";

    private final String source;
    private final String target;
    private final List<String> typePrefixes;
    private final int attempts;

    /**
     * @param source endpoint of the events (jms:topic:ha.events in a deployment)
     * @param target the webhook endpoint (an http: endpoint URI)
     * @param typePrefixes forwarded type prefixes; empty: all
     * @param attempts delivery attempts
     */
    WebhookRoute(String source, String target, List<String> typePrefixes, int attempts) {
        this.source = source;
        this.target = target;
        this.typePrefixes = List.copyOf(typePrefixes);
        this.attempts = attempts;
    }

    @Override
    public void configure() {
        from(source).routeId(ROUTE_ID)
                .errorHandler(defaultErrorHandler().maximumRedeliveries(attempts - 1).redeliveryDelay(200)
                        .useExponentialBackOff().maximumRedeliveryDelay(5_000)
                        .retryAttemptedLogLevel(LoggingLevel.DEBUG).retriesExhaustedLogLevel(LoggingLevel.WARN)
                        .logExhaustedMessageHistory(false))
                .convertBodyTo(String.class)
                .filter(exchange -> wanted(exchange.getMessage().getBody(String.class)))
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/cloudevents+json"))
                .to(target)
                .log(LoggingLevel.DEBUG, "org.vmha.examples.webhook", "forwarded event to the webhook");
    }

    /**
     * Cheap type match on the JSON text, so that the example needs no JSON library: the type attribute is
     * written as {@code "type":"…"} by vmha's codec.
     */
    boolean wanted(String json) {
        if (typePrefixes.isEmpty()) {
            return true;
        }
        if (json == null) {
            return false;
        }
        int at = json.indexOf("\"type\":\"");
        if (at < 0) {
            return false;
        }
        String rest = json.substring(at + 8);
        return typePrefixes.stream().anyMatch(rest::startsWith);
    }
}
