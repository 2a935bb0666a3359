/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.examples.webhook.internal;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The {@link WebhookForwarder} owns the example's CamelContext and broker connection. It is a site's own
 * component: it uses only the public messaging contract, so it is deployed beside vmha (deploy/ or its feature)
 * without changing vmha's code. It activates when {@value WebhookConfiguration#PID} is configured.
 *
 * @author vmha - Initial contribution
 */
@Component(service = {}, immediate = true, configurationPid = WebhookConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WebhookConfiguration.class)
public final class WebhookForwarder {

    private final Logger logger = LoggerFactory.getLogger(WebhookForwarder.class);

    private final CachingConnectionFactory connectionFactory;
    private final OsgiDefaultCamelContext camel;

    @Activate
    public WebhookForwarder(BundleContext bundleContext, WebhookConfiguration config) throws Exception {
        String url = config.url() == null ? "" : config.url().trim();
        URI uri = URI.create(url.isEmpty() ? "invalid:" : url);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("configuration " + WebhookConfiguration.PID + ": url '" + url
                    + "' is not an http:// or https:// URL; the webhook output stays off");
        }
        int attempts = config.attempts();
        if (attempts < 1 || attempts > 20) {
            logger.error("configuration {}: attempts={} is outside 1..20; using 5", WebhookConfiguration.PID, attempts);
            attempts = 5;
        }
        List<String> types = Arrays.stream(config.types().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
        String broker = config.brokerUrl() == null || config.brokerUrl().isBlank()
                ? "tcp://" + System.getProperty("vmha.broker.host", "127.0.0.1") + ":"
                        + System.getProperty("vmha.broker.port", "61616")
                : config.brokerUrl().trim();

        connectionFactory = new CachingConnectionFactory(
                new ActiveMQConnectionFactory(broker, config.username(), config.password()));
        camel = new OsgiDefaultCamelContext(bundleContext);
        camel.setName("vmha-example-webhook");
        camel.addComponent("jms", JmsComponent.jmsComponent(connectionFactory));
        camel.start();
        // the http4-style endpoint: "http://host:port/path" is the camel-http component's URI
        // disableReplyTo: an event never makes this route answer anywhere (docs/security-messaging.md)
        camel.addRoutes(new WebhookRoute("jms:topic:ha.events?disableReplyTo=true", url, types, attempts));
        logger.info("vmha example webhook: forwarding {} events from {} to {}", types.isEmpty() ? "all" : types,
                broker, url);
    }

    @Deactivate
    void deactivate() {
        try {
            camel.stop();
        } finally {
            connectionFactory.destroy();
        }
    }
}
