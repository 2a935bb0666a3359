/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.vmha.api.command.ArgumentException;

/**
 * The {@link HostAddRequest} is the request of {@code host-add}.
 *
 * @param host the host; required
 * @param capacity its capacity by resource, whole numbers >= 0 (for example {@code cpuMhz}, {@code memoryMb});
 *        required
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostAddRequest(String host, Map<String, Long> capacity) {

    /** How a capacity is written, for messages. */
    static final String CAPACITY = "an object of whole numbers, e.g. {\"cpuMhz\": 8000, \"memoryMb\": 16384}";

    /** Checks the arguments; keeps the capacity sorted by resource. */
    public HostAddRequest {
        ArgumentException.requireText(host, "host");
        if (capacity == null) {
            throw ArgumentException.missing("capacity", CAPACITY);
        }
        for (Map.Entry<String, Long> e : capacity.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw ArgumentException.invalid("capacity." + e.getKey(), "a whole number >= 0", e.getValue());
            }
        }
        capacity = Collections.unmodifiableSortedMap(new TreeMap<>(capacity));
    }
}
