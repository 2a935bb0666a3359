/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The {@link MessagingSettings} are the validated form of {@link MessagingConfiguration}. Every value goes
 * through a guard: a bad value is reported in {@link #problems()} and replaced by its default, so that a
 * typo in a .cfg file never leaves the node without messaging.
 *
 * @param brokerUrl broker URL, always a tcp:// URL with host and port
 * @param username broker user
 * @param password broker password
 * @param nodeName name of this node
 * @param announceStart whether to publish ClusterStarted
 * @param recoveryIntervalMs reconnection delay
 * @param problems human-readable descriptions of rejected values
 * @author vmha - Initial contribution
 */
public record MessagingSettings(String brokerUrl, String username, String password, String nodeName,
        boolean announceStart, long recoveryIntervalMs, List<String> problems) {

    static final String HOST_PROPERTY = "vmha.broker.host";
    static final String PORT_PROPERTY = "vmha.broker.port";

    public MessagingSettings {
        problems = List.copyOf(problems);
    }

    /**
     * Validates a configuration.
     *
     * @param config the raw configuration
     * @param systemProperties lookup of system properties (injected for tests)
     * @return the settings with defaults substituted for bad values
     */
    public static MessagingSettings from(MessagingConfiguration config, UnaryOperator<String> systemProperties) {
        List<String> problems = new ArrayList<>();
        String defaultUrl = defaultBrokerUrl(systemProperties, problems);
        String url = config.brokerUrl() == null ? "" : config.brokerUrl().trim();
        if (url.isEmpty()) {
            url = defaultUrl;
        } else if (!isTcpUrl(url)) {
            problems.add("brokerUrl '" + url + "' is not a tcp://host:port URL; using " + defaultUrl);
            url = defaultUrl;
        }
        String user = config.username() == null ? "" : config.username().trim();
        if (user.isEmpty()) {
            problems.add("username is empty; using '" + MessagingConfiguration.DEFAULT_USERNAME + "'");
            user = MessagingConfiguration.DEFAULT_USERNAME;
        }
        String node = config.nodeName() == null ? "" : config.nodeName().trim();
        if (node.isEmpty()) {
            String karafName = systemProperties.apply("karaf.name");
            node = karafName == null || karafName.isBlank() ? "vmha" : karafName;
        }
        long recovery = config.recoveryIntervalMs();
        if (recovery < 100 || recovery > 60_000) {
            problems.add("recoveryIntervalMs " + recovery + " is outside 100..60000; using "
                    + MessagingConfiguration.DEFAULT_RECOVERY_INTERVAL_MS);
            recovery = MessagingConfiguration.DEFAULT_RECOVERY_INTERVAL_MS;
        }
        return new MessagingSettings(url, user, config.password() == null ? "" : config.password(), node,
                config.announceStart(), recovery, problems);
    }

    static String defaultBrokerUrl(UnaryOperator<String> systemProperties, List<String> problems) {
        String host = systemProperties.apply(HOST_PROPERTY);
        if (host == null || host.isBlank()) {
            host = "127.0.0.1";
        }
        String portText = systemProperties.apply(PORT_PROPERTY);
        int port = 61616;
        if (portText != null && !portText.isBlank()) {
            try {
                port = Integer.parseInt(portText.trim());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException("out of range");
                }
            } catch (NumberFormatException e) {
                problems.add("system property " + PORT_PROPERTY + "='" + portText + "' is not a port; using 61616");
                port = 61616;
            }
        }
        return "tcp://" + host.trim() + ":" + port;
    }

    static boolean isTcpUrl(String url) {
        try {
            URI uri = new URI(url);
            return "tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
