/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vmha.api.command.CommandHandler;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.core.command.CommandDispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The JSON Schemas under docs/schemas are the published message contract: every event type has one, and what
 * the code emits validates against it.
 */
class MessageSchemasTest {

    static final Path SCHEMAS = Path.of("../../docs/schemas");

    private final ObjectMapper mapper = new ObjectMapper();
    private final CloudEventCodec codec = new CloudEventCodec();

    @Test
    void everyEventTypeHasASchema() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String type : eventTypes()) {
            if (!Files.exists(SCHEMAS.resolve("events/" + type + ".json"))) {
                missing.add(type);
            }
        }
        assertThat(missing).as("event types without docs/schemas/events/<type>.json").isEmpty();
    }

    @Test
    void clusterStartedAsEmittedValidates() throws Exception {
        CloudEvent event = CloudEvent.of("/vmha/node/n1", EventTypes.CLUSTER_STARTED, Instant.now(), "n1",
                Map.of("node", "n1", "version", "0.1.0"));
        assertThat(validate("events/org.vmha.cluster.started.json", codec.encode(event))).isEmpty();
        CloudEvent wrong = CloudEvent.of("/vmha/node/n1", EventTypes.CLUSTER_STARTED, Instant.now(), "n1",
                Map.of("node", "n1"));
        assertThat(validate("events/org.vmha.cluster.started.json", codec.encode(wrong)))
                .anyMatch(m -> m.contains("version"));
    }

    @Test
    void commandRepliesValidateBothWays() throws Exception {
        CommandDispatcher dispatcher = new CommandDispatcher((c, e) -> {
        });
        dispatcher.register(new CommandHandler<Echo, Object>() {
            @Override
            public String name() {
                return "echo";
            }

            @Override
            public Class<Echo> requestType() {
                return Echo.class;
            }

            @Override
            public Object handle(Echo args) {
                return Map.of("args", args);
            }
        });
        String request = "{\"command\":\"echo\",\"id\":\"1\",\"args\":{\"x\":1}}";
        assertThat(validate("commands/request.json", request)).isEmpty();
        for (String r : List.of(request, "{\"command\":\"nope\"}", "{bad", "[]")) {
            assertThat(validate("commands/reply.json", dispatcher.dispatch(r))).as(r).isEmpty();
        }
        assertThat(validate("commands/reply.json", "{\"ok\":true,\"error\":{\"code\":\"INTERNAL\",\"message\":\"x\"}}"))
                .isNotEmpty();
    }

    static Set<String> eventTypes() throws IllegalAccessException {
        Set<String> types = new java.util.TreeSet<>();
        for (Field f : EventTypes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                types.add((String) f.get(null));
            }
        }
        return types;
    }

    private List<String> validate(String schema, String json) throws IOException {
        JsonSchema s;
        try (InputStream in = Files.newInputStream(SCHEMAS.resolve(schema))) {
            s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        JsonNode node = mapper.readTree(json);
        return s.validate(node).stream().map(ValidationMessage::getMessage).toList();
    }

    /** The arguments of the test's echo command. */
    record Echo(Object x) {
    }
}
