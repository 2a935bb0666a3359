/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;

class CloudEventCodecTest {

    private final CloudEventCodec codec = new CloudEventCodec();

    @Test
    void roundTripKeepsEveryAttribute() {
        CloudEvent event = new CloudEvent("e-1", "/vmha/cluster/c1", EventTypes.CLUSTER_STARTED,
                Instant.parse("2026-11-27T10:00:00Z"), "c1", Map.of("hosts", List.of("H1", "H2")));

        String json = codec.encode(event);

        assertThat(json).startsWith("{\"specversion\":\"1.0\",\"id\":\"e-1\"");
        assertThat(codec.decode(json)).isEqualTo(event);
    }

    @Test
    void encodingIsDeterministic() {
        CloudEvent event = CloudEvent.of("/s", "org.vmha.x", Instant.EPOCH, null, Map.of("a", 1));
        assertThat(codec.encode(event)).isEqualTo(codec.encode(event)).doesNotContain("subject");
    }

    @Test
    void rejectsInvalidJsonWithPosition() {
        assertThatThrownBy(() -> codec.decode("{\"specversion\": "))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("invalid JSON at line 1");
    }

    @Test
    void rejectsMissingAttributeByName() {
        assertThatThrownBy(() -> codec.decode("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"time\":\"2026-01-01T00:00:00Z\"}"))
                .isInstanceOf(MalformedMessageException.class).hasMessage("missing required attribute 'type'");
    }

    @Test
    void rejectsWrongSpecVersionBadTimeAndNonObjectData() {
        assertThatThrownBy(() -> codec.decode("{\"specversion\":\"0.3\"}")).hasMessageContaining("unsupported specversion '0.3'");
        assertThatThrownBy(() -> codec.decode(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"time\":\"yesterday\"}"))
                .hasMessageContaining("'time' is not an RFC 3339 timestamp: 'yesterday'");
        assertThatThrownBy(() -> codec.decode(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":[1]}"))
                .hasMessageContaining("'data' must be a JSON object, got ARRAY");
        assertThatThrownBy(() -> codec.decode("[]")).hasMessageContaining("expected a JSON object, got ARRAY");
        assertThatThrownBy(() -> codec.decode("  ")).hasMessageContaining("empty message");
    }

    @Test
    void rejectsInvalidAttributeNames() {
        assertThatThrownBy(() -> codec.decode(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"time\":\"2026-01-01T00:00:00Z\",\"Bad-Name\":1}"))
                .hasMessageContaining("'Bad-Name'");
    }
}
