/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vmha.api.event.CloudEvent;
import org.vmha.core.security.JsonLimits;
import org.vmha.core.security.SafeText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link CloudEventCodec} is responsible for the structured-mode JSON form of CloudEvents 1.0
 * ({@code application/cloudevents+json}). Encoding is deterministic: attributes in a fixed order,
 * {@code data} in its map order. Decoding validates the required attributes and names the first
 * problem it finds.
 * <p>
 * Instances are immutable and thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class CloudEventCodec {

    /** Media type of the structured mode. */
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public CloudEventCodec() {
        this(new ObjectMapper());
    }

    public CloudEventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Encodes an event as one JSON object.
     *
     * @param event the event
     * @return the JSON text
     */
    public String encode(CloudEvent event) {
        ObjectNode node = mapper.createObjectNode();
        node.put("specversion", CloudEvent.SPEC_VERSION);
        node.put("id", event.id());
        node.put("source", event.source());
        node.put("type", event.type());
        node.put("time", event.time().toString());
        if (event.subject() != null) {
            node.put("subject", event.subject());
        }
        node.put("datacontenttype", "application/json");
        node.set("data", mapper.valueToTree(event.data()));
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " has data that is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes and validates one structured-mode event, after the limits of {@link JsonLimits#EVENT}.
     *
     * @param json the JSON text
     * @return the event
     * @throws MalformedMessageException naming the first thing that is wrong
     */
    public CloudEvent decode(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedMessageException("empty message: expected a CloudEvents JSON object");
        }
        JsonLimits.EVENT.check(json, "event");
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("invalid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + SafeText.prefix(e.getOriginalMessage()), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedMessageException("expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        String spec = text(node, "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(spec)) {
            throw new MalformedMessageException("unsupported specversion '" + SafeText.prefix(spec, 20) + "', expected '1.0'");
        }
        String id = text(node, "id");
        String source = text(node, "source");
        String type = text(node, "type");
        String timeText = text(node, "time");
        Instant time;
        try {
            time = Instant.parse(timeText);
        } catch (DateTimeParseException e) {
            throw new MalformedMessageException("attribute 'time' is not an RFC 3339 timestamp: '" + SafeText.prefix(timeText, 40)
                    + "'", e);
        }
        JsonNode subjectNode = node.get("subject");
        String subject = subjectNode == null || subjectNode.isNull() ? null : subjectNode.asText();
        JsonNode dataNode = node.get("data");
        Map<String, Object> data;
        if (dataNode == null || dataNode.isNull()) {
            data = Map.of();
        } else if (!dataNode.isObject()) {
            throw new MalformedMessageException("attribute 'data' must be a JSON object, got " + dataNode.getNodeType());
        } else {
            data = mapper.convertValue(dataNode, MAP);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!name.matches("[a-z0-9]{1,20}")) {
                throw new MalformedMessageException("attribute name '" + SafeText.prefix(name, 40)
                        + "' is not a valid CloudEvents attribute name");
            }
        }
        return new CloudEvent(id, source, type, time, subject, data);
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new MalformedMessageException("missing required attribute '" + name + "'");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new MalformedMessageException("attribute '" + name + "' must be a non-empty string");
        }
        return value.asText();
    }
}
