/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.StorageNames;
import org.vmha.core.config.ConfigGuard;
import org.vmha.failover.AgentConfig;

/**
 * The {@link AgentSettings} are responsible for the validated form of an {@link AgentConfiguration}:
 * every value goes through a guard, a bad one is described in {@link #problems()} (key, value, reason)
 * and replaced by its default, so that a typo never leaves a host without its agent. Only a missing or
 * invalid host name is fatal ({@link #host()} is then {@code null}), because it has no sensible default.
 *
 * @param host the host, {@code null} if missing or invalid
 * @param capacity what the host offers
 * @param peers the other hosts known from configuration
 * @param agent the agent settings
 * @param hypervisorType the hypervisor adapter type
 * @param adapterTimeoutMillis timeout of one adapter call
 * @param problems rejected values, described
 * @author vmha - Initial contribution
 */
record AgentSettings(String host, ResourceVector capacity, SortedSet<String> peers, AgentConfig agent,
        String hypervisorType, long adapterTimeoutMillis, List<String> problems) {

    AgentSettings {
        problems = List.copyOf(problems);
    }

    /**
     * @param properties the raw properties of one {@value AgentConfiguration#FACTORY_PID} configuration, read
     *        through {@link ConfigGuard}: a value that is not of its type ({@code failureTimeoutMs=abc}) is one
     *        problem and its default, like a value out of range
     * @return the settings; never throws
     */
    static AgentSettings from(Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        AgentConfiguration c = ConfigGuard.read(AgentConfiguration.class, properties, problems::add);
        return from(c, problems);
    }

    static AgentSettings from(AgentConfiguration c) {
        return from(c, new ArrayList<>());
    }

    private static AgentSettings from(AgentConfiguration c, List<String> problems) {
        String host = c.host() == null ? "" : c.host().trim();
        try {
            StorageNames.require("host", host);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (the agent cannot start without a host name)");
            host = null;
        }
        ResourceVector capacity = capacity(c.capacity(), problems);
        SortedSet<String> peers = new TreeSet<>();
        for (String p : split(c.peers())) {
            try {
                peers.add(StorageNames.require("peer", p));
            } catch (IllegalArgumentException e) {
                problems.add("peers: " + e.getMessage() + "; ignored");
            }
        }
        if (host != null) {
            peers.remove(host);
        }
        long interval = guard("heartbeatIntervalMs", c.heartbeatIntervalMs(),
                AgentConfiguration.DEFAULT_HEARTBEAT_INTERVAL_MS, 50, 60_000, problems);
        long timeout = guard("failureTimeoutMs", c.failureTimeoutMs(), AgentConfiguration.DEFAULT_FAILURE_TIMEOUT_MS,
                interval + 1, 600_000, problems);
        IsolationResponse response = isolationResponse(c.isolationResponse(), problems);
        long delay = guard("isolationDelayMs", c.isolationDelayMs(), AgentConfiguration.DEFAULT_ISOLATION_DELAY_MS, 0,
                3_600_000, problems);
        int restarts = (int) guard("maxConcurrentRestarts", c.maxConcurrentRestarts(),
                AgentConfiguration.DEFAULT_MAX_CONCURRENT_RESTARTS, 1, 256, problems);
        String type = c.hypervisorType() == null || c.hypervisorType().isBlank()
                ? AgentConfiguration.DEFAULT_HYPERVISOR_TYPE : c.hypervisorType().trim();
        long adapterTimeout = guard("adapterTimeoutMs", c.adapterTimeoutMs(),
                AgentConfiguration.DEFAULT_ADAPTER_TIMEOUT_MS, 100, 600_000, problems);
        AgentConfig d = AgentConfig.DEFAULTS;
        AgentConfig agent = new AgentConfig(interval, Math.max(timeout, interval + 1), response, null, delay, restarts,
                d.retryBaseMillis(), d.retryMaxMillis(), d.retryBudget(), d.antiEntropyHeartbeats());
        return new AgentSettings(host, capacity, peers, agent, type, adapterTimeout, problems);
    }

    private static long guard(String key, long value, long dflt, long min, long max, List<String> problems) {
        if (value < min || value > max) {
            long use = Math.max(dflt, min);
            problems.add(key + " " + value + " is outside " + min + ".." + max + "; using " + use);
            return use;
        }
        return value;
    }

    private static IsolationResponse isolationResponse(String v, List<String> problems) {
        return IsolationResponse.fromWireName(v).orElseGet(() -> {
            problems.add("isolationResponse '" + v + "' is not leave-powered-on, power-off or shutdown; using "
                    + AgentConfiguration.DEFAULT_ISOLATION_RESPONSE);
            return IsolationResponse.fromWireName(AgentConfiguration.DEFAULT_ISOLATION_RESPONSE).orElseThrow();
        });
    }

    /**
     * Parses a capacity given as {@code name=amount} pairs; a .cfg file gives the whole list as one
     * comma-separated string, the web console as several values.
     */
    static ResourceVector capacity(String[] values, List<String> problems) {
        Map<String, Long> m = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (String pair : split(values)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                bad.add("'" + pair + "' is not name=amount");
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String amount = pair.substring(eq + 1).trim();
            try {
                long a = Long.parseLong(amount);
                if (a < 0) {
                    bad.add(name + " must be >= 0, was " + a);
                } else {
                    m.put(name, a);
                }
            } catch (NumberFormatException e) {
                bad.add(name + " '" + amount + "' is not an integer");
            }
        }
        if (!bad.isEmpty() || m.isEmpty()) {
            problems.add("capacity: " + (bad.isEmpty() ? "empty" : String.join(", ", bad)) + "; using "
                    + AgentConfiguration.DEFAULT_CAPACITY);
            return capacity(new String[] {AgentConfiguration.DEFAULT_CAPACITY}, new ArrayList<>());
        }
        return ResourceVector.of(m);
    }

    private static List<String> split(String[] values) {
        List<String> out = new ArrayList<>();
        if (values == null) {
            return out;
        }
        for (String v : values) {
            if (v == null) {
                continue;
            }
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }
}
