/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@link PolicyType} is responsible for naming the admission policies; {@link #id()} is the name
 * used in configuration and JSON.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public enum PolicyType {
    /** The patent's slot policy. */
    SLOT,
    /** Percentage of cluster resources reserved. */
    PERCENTAGE,
    /** Dedicated failover hosts. */
    DEDICATED,
    /** Exact: every N-combination of host failures is planned. */
    EXACT;

    /** @return the lower-case id */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id a policy id, case-insensitive
     * @return the type
     * @throws IllegalArgumentException naming the valid ids
     */
    public static PolicyType parse(String id) {
        if (id != null) {
            for (PolicyType t : values()) {
                if (t.id().equalsIgnoreCase(id.trim())) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown policy type '" + id + "', expected one of "
                + Arrays.stream(values()).map(PolicyType::id).collect(Collectors.joining(", ")));
    }
}
