/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import java.util.Map;
import java.util.function.Consumer;

import org.vmha.core.config.ConfigGuard;

/**
 * The {@link ManagementSettings} are responsible for the checked form of the management service's
 * configuration (pid {@value ManagementConfiguration#PID}): the raw properties are read through
 * {@link ConfigGuard} as a {@link ManagementConfiguration}, then each number is checked against its range. A
 * value that is not of its type ({@code intervalMs=abc}) or out of range is reported as one line naming the pid,
 * the key, the value and the default used instead, and that default (the metatype's) is used. It never throws.
 *
 * @param inventory the inventory file, placeholders not yet resolved
 * @param intervalMillis period of the table computation
 * @param failureTimeoutMillis silence after which a host is left out of the alternates
 * @param republishEvery publish an unchanged table every this many computations
 * @param maxConcurrentRestartsPerHost restarts one host runs at once
 * @author vmha - Initial contribution
 */
record ManagementSettings(String inventory, long intervalMillis, long failureTimeoutMillis, int republishEvery,
        int maxConcurrentRestartsPerHost) {

    /**
     * @param properties the raw properties of {@value ManagementConfiguration#PID} (null: all defaults)
     * @param errors told one line per malformed or out-of-range value
     * @return the settings
     */
    static ManagementSettings from(Map<String, ?> properties, Consumer<String> errors) {
        Consumer<String> withPid = p -> errors.accept("Invalid configuration " + ManagementConfiguration.PID + ": " + p);
        ManagementConfiguration c = ConfigGuard.read(ManagementConfiguration.class, properties, withPid);
        long interval = guard("intervalMs", c.intervalMs(), ManagementConfiguration.DEFAULT_INTERVAL_MS, 100, 600_000,
                withPid);
        long timeout = guard("failureTimeoutMs", c.failureTimeoutMs(), ManagementConfiguration.DEFAULT_FAILURE_TIMEOUT_MS,
                100, 600_000, withPid);
        int republish = (int) guard("republishEvery", c.republishEvery(),
                ManagementConfiguration.DEFAULT_REPUBLISH_EVERY, 1, 10_000, withPid);
        int restarts = (int) guard("maxConcurrentRestartsPerHost", c.maxConcurrentRestartsPerHost(),
                ManagementConfiguration.DEFAULT_MAX_CONCURRENT_RESTARTS_PER_HOST, 1, 256, withPid);
        String inventory = c.inventory() == null || c.inventory().isBlank() ? ManagementConfiguration.DEFAULT_INVENTORY
                : c.inventory();
        return new ManagementSettings(inventory, interval, timeout, republish, restarts);
    }

    private static long guard(String key, long value, long dflt, long min, long max, Consumer<String> errors) {
        if (value < min || value > max) {
            errors.accept(key + " = " + value + " is outside " + min + ".." + max + "; using the default " + dflt);
            return dflt;
        }
        return value;
    }
}
