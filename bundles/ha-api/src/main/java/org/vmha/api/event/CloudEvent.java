/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An immutable CloudEvents 1.0 event in structured mode. {@code data} is a JSON object given as an
 * ordered map of JSON-compatible values (strings, numbers, booleans, lists, maps, null).
 *
 * @param id unique per source; never blank
 * @param source URI-reference naming the producer, for example {@code /vmha/cluster/c1}
 * @param type reverse-DNS event type, see {@link EventTypes}
 * @param time when the fact happened
 * @param subject the entity the event is about (host or VM name), may be {@code null}
 * @param data the event payload, never {@code null} (empty when there is none)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record CloudEvent(String id, String source, String type, Instant time, String subject,
        Map<String, Object> data) {

    /** The {@code specversion} attribute of every event. */
    public static final String SPEC_VERSION = "1.0";

    public CloudEvent {
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        Objects.requireNonNull(time, "time");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /**
     * Creates an event with a random id.
     *
     * @param source producer URI-reference
     * @param type event type
     * @param time when it happened
     * @param subject the entity, or {@code null}
     * @param data payload
     * @return the event
     */
    public static CloudEvent of(String source, String type, Instant time, String subject, Map<String, Object> data) {
        return new CloudEvent(UUID.randomUUID().toString(), source, type, time, subject, data);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CloudEvent attribute '" + name + "' must not be blank");
        }
    }
}
