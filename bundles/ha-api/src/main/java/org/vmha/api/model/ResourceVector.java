/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@link ResourceVector} is responsible for an amount of each named resource (for example CPU in
 * MHz and memory in MB). Resource names are free: {@link #CPU_MHZ} and {@link #MEMORY_MB} are the two
 * every host has, and any other name ({@code netMbps}, {@code gpus}, ...) behaves the same way. A name
 * that is absent has the amount 0. Keys are kept sorted so iteration order is deterministic.
 * <p>
 * Immutable and thread-safe. The arithmetic helpers return new vectors.
 *
 * @param amounts the amount per resource name; copied and sorted, never {@code null}
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record ResourceVector(SortedMap<String, Long> amounts) {

    /** CPU capacity or reservation in MHz. */
    public static final String CPU_MHZ = "cpuMhz";

    /** Memory capacity or reservation in MB. */
    public static final String MEMORY_MB = "memoryMb";

    /** The empty vector: every resource 0. */
    public static final ResourceVector ZERO = new ResourceVector(new TreeMap<>());

    public ResourceVector {
        TreeMap<String, Long> copy = new TreeMap<>();
        if (amounts != null) {
            for (Map.Entry<String, Long> e : amounts.entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank()) {
                    throw new IllegalArgumentException("resource name must not be blank");
                }
                copy.put(e.getKey(), Objects.requireNonNull(e.getValue(), "amount of " + e.getKey()));
            }
        }
        amounts = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * Creates a vector from any map.
     *
     * @param amounts amount per resource name
     * @return the vector
     */
    public static ResourceVector of(Map<String, Long> amounts) {
        return new ResourceVector(amounts == null ? null : new TreeMap<>(amounts));
    }

    /**
     * Creates a vector with CPU and memory only.
     *
     * @param cpuMhz CPU in MHz
     * @param memoryMb memory in MB
     * @return the vector
     */
    public static ResourceVector of(long cpuMhz, long memoryMb) {
        TreeMap<String, Long> m = new TreeMap<>();
        m.put(CPU_MHZ, cpuMhz);
        m.put(MEMORY_MB, memoryMb);
        return new ResourceVector(m);
    }

    /**
     * @param name resource name
     * @return the amount, 0 when absent
     */
    public long get(String name) {
        Long v = amounts.get(name);
        return v == null ? 0L : v;
    }

    /**
     * @param name resource name
     * @param amount new amount
     * @return a copy with that resource set
     */
    public ResourceVector with(String name, long amount) {
        TreeMap<String, Long> m = new TreeMap<>(amounts);
        m.put(name, amount);
        return new ResourceVector(m);
    }

    /**
     * @param other the other vector
     * @return the sum per resource over the union of names
     */
    public ResourceVector plus(ResourceVector other) {
        TreeMap<String, Long> m = new TreeMap<>(amounts);
        other.amounts.forEach((k, v) -> m.merge(k, v, Math::addExact));
        return new ResourceVector(m);
    }

    /**
     * @param other the other vector
     * @return the difference per resource over the union of names (may be negative)
     */
    public ResourceVector minus(ResourceVector other) {
        TreeMap<String, Long> m = new TreeMap<>(amounts);
        other.amounts.forEach((k, v) -> m.merge(k, -v, Math::addExact));
        return new ResourceVector(m);
    }

    /**
     * @param other the other vector
     * @return the maximum per resource over the union of names
     */
    public ResourceVector max(ResourceVector other) {
        TreeMap<String, Long> m = new TreeMap<>(amounts);
        other.amounts.forEach((k, v) -> m.merge(k, v, Math::max));
        return new ResourceVector(m);
    }

    /**
     * @param capacity the capacity to fit into
     * @return true when every resource of this vector is at most the capacity's amount
     */
    public boolean fitsIn(ResourceVector capacity) {
        for (Map.Entry<String, Long> e : amounts.entrySet()) {
            if (e.getValue() > capacity.get(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return true when no amount is negative
     */
    public boolean isNonNegative() {
        for (Long v : amounts.values()) {
            if (v < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return amounts.toString();
    }
}
