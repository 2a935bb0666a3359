/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.examples.webhook.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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

    /**
     * @param bundleContext this bundle's context
     * @param properties the raw properties of {@value WebhookConfiguration#PID}; read by this example's own small
     *        guard (it depends on no vmha bundle): a malformed value is one error line, and the default is used
     *        where there is one; without a usable url the output stays off
     * @throws Exception when the CamelContext cannot start
     */
    @Activate
    public WebhookForwarder(BundleContext bundleContext, Map<String, Object> properties) throws Exception {
        String url = url(properties, logger::error);
        if (url == null) {
            connectionFactory = null;
            camel = null;
            return;
        }
        int attempts = attempts(properties, logger::error);
        List<String> types = Arrays.stream(text(properties, "types", "").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        String configuredBroker = text(properties, "brokerUrl", "").trim();
        String broker = configuredBroker.isEmpty()
                ? "tcp://" + System.getProperty("vmha.broker.host", "127.0.0.1") + ":"
                        + System.getProperty("vmha.broker.port", "61616")
                : configuredBroker;

        connectionFactory = new CachingConnectionFactory(
                new ActiveMQConnectionFactory(broker, text(properties, "username", WebhookConfiguration.DEFAULT_USERNAME),
                        text(properties, "password", "")));
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
        if (camel == null) {
            return;
        }
        try {
            camel.stop();
        } finally {
            connectionFactory.destroy();
        }
    }

    /** @return the http(s) URL, or null after one error line when it is missing or not one */
    static String url(Map<String, ?> properties, Consumer<String> errors) {
        String url = text(properties, "url", "").trim();
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        errors.accept("Invalid configuration " + WebhookConfiguration.PID + ": url = " + shown(url)
                + " is not an http:// or https:// URL, and there is no default; the webhook output stays off");
        return null;
    }

    /** @return the delivery attempts, 1..20, else one error line and {@link WebhookConfiguration#DEFAULT_ATTEMPTS} */
    static int attempts(Map<String, ?> properties, Consumer<String> errors) {
        Object raw = properties == null ? null : properties.get("attempts");
        if (raw == null) {
            return WebhookConfiguration.DEFAULT_ATTEMPTS;
        }
        String problem;
        try {
            long v = raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte
                    ? ((Number) raw).longValue() : Long.parseLong(raw.toString().trim());
            if (v >= 1 && v <= 20) {
                return (int) v;
            }
            problem = "is outside 1..20";
        } catch (NumberFormatException e) {
            problem = "is not a whole number";
        }
        errors.accept("Invalid configuration " + WebhookConfiguration.PID + ": attempts = " + shown(raw) + " "
                + problem + "; using the default " + WebhookConfiguration.DEFAULT_ATTEMPTS);
        return WebhookConfiguration.DEFAULT_ATTEMPTS;
    }

    private static String text(Map<String, ?> properties, String key, String dflt) {
        Object raw = properties == null ? null : properties.get(key);
        return raw == null ? dflt : raw.toString();
    }

    private static String shown(Object raw) {
        String t = String.valueOf(raw);
        t = t.length() > 80 ? t.substring(0, 80) + "..." : t;
        t = t.replaceAll("\\p{Cntrl}", "?");
        return raw instanceof String ? "'" + t + "'" : t;
    }
}
