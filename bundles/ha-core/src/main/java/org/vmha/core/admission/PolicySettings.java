/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.model.ResourceVector;
import org.vmha.core.plan.FailoverPlanner;

/**
 * The {@link PolicySettings} is responsible for the validated parameters of an admission policy.
 *
 * @param type which policy
 * @param hostFailures N, the number of host failures to tolerate, at least 1
 * @param minSlot minimum slot size per resource (default {@code cpuMhz=32}); amounts at least 0
 * @param slotCap optional slot cap per resource; a VM above the cap takes several slots; amounts at
 *        least 1
 * @param reservedPercent per resource, the percentage of cluster capacity kept free (percentage
 *        policy), 0 to 100
 * @param failoverHosts names of the dedicated failover hosts (dedicated policy)
 * @param maxConcurrentRestartsPerHost restarts one host runs at once in a plan, at least 1
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record PolicySettings(PolicyType type, int hostFailures, ResourceVector minSlot, ResourceVector slotCap,
        ResourceVector reservedPercent, SortedSet<String> failoverHosts, int maxConcurrentRestartsPerHost) {

    /** Default N. */
    public static final int DEFAULT_HOST_FAILURES = 1;
    /** Default minimum CPU slot in MHz. */
    public static final long DEFAULT_MIN_SLOT_CPU_MHZ = 32;
    /** Default reserved percentage for CPU and memory. */
    public static final long DEFAULT_RESERVED_PERCENT = 25;

    public PolicySettings {
        if (type == null) {
            throw new IllegalArgumentException("type: must be set");
        }
        if (hostFailures < 1) {
            throw new IllegalArgumentException("hostFailures: must be >= 1, was " + hostFailures);
        }
        minSlot = minSlot == null ? defaultMinSlot() : minSlot;
        slotCap = slotCap == null ? ResourceVector.ZERO : slotCap;
        reservedPercent = reservedPercent == null ? defaultReservedPercent() : reservedPercent;
        failoverHosts = failoverHosts == null ? new TreeSet<>() : new TreeSet<>(failoverHosts);
        failoverHosts = java.util.Collections.unmodifiableSortedSet(failoverHosts);
        for (Map.Entry<String, Long> e : minSlot.amounts().entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("minSlot." + e.getKey() + ": must be >= 0, was " + e.getValue());
            }
        }
        for (Map.Entry<String, Long> e : slotCap.amounts().entrySet()) {
            if (e.getValue() < 1) {
                throw new IllegalArgumentException("slotCap." + e.getKey() + ": must be >= 1, was " + e.getValue());
            }
        }
        for (Map.Entry<String, Long> e : reservedPercent.amounts().entrySet()) {
            if (e.getValue() < 0 || e.getValue() > 100) {
                throw new IllegalArgumentException("reservedPercent." + e.getKey() + ": must be 0..100, was "
                        + e.getValue());
            }
        }
        if (maxConcurrentRestartsPerHost < 1) {
            throw new IllegalArgumentException("maxConcurrentRestartsPerHost: must be >= 1, was "
                    + maxConcurrentRestartsPerHost);
        }
    }

    /**
     * @param type the policy
     * @return settings with every default: N=1, minSlot cpuMhz=32, no caps, 25% CPU and memory, no
     *         failover hosts, 32 concurrent restarts
     */
    public static PolicySettings defaults(PolicyType type) {
        return new PolicySettings(type, DEFAULT_HOST_FAILURES, null, null, null, null,
                FailoverPlanner.DEFAULT_MAX_CONCURRENT_RESTARTS);
    }

    /** @return the default minimum slot */
    public static ResourceVector defaultMinSlot() {
        return ResourceVector.of(Map.of(ResourceVector.CPU_MHZ, DEFAULT_MIN_SLOT_CPU_MHZ));
    }

    /** @return the default reserved percentages */
    public static ResourceVector defaultReservedPercent() {
        TreeMap<String, Long> m = new TreeMap<>();
        m.put(ResourceVector.CPU_MHZ, DEFAULT_RESERVED_PERCENT);
        m.put(ResourceVector.MEMORY_MB, DEFAULT_RESERVED_PERCENT);
        return new ResourceVector(m);
    }

    /**
     * @param n new N
     * @return a copy
     */
    public PolicySettings withHostFailures(int n) {
        return new PolicySettings(type, n, minSlot, slotCap, reservedPercent, failoverHosts,
                maxConcurrentRestartsPerHost);
    }

    /**
     * @param t new type
     * @return a copy
     */
    public PolicySettings withType(PolicyType t) {
        return new PolicySettings(t, hostFailures, minSlot, slotCap, reservedPercent, failoverHosts,
                maxConcurrentRestartsPerHost);
    }
}
