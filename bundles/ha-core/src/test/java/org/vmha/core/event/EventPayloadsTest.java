/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.event.data.AdmissionDenied;
import org.vmha.api.event.data.CommandRefused;
import org.vmha.api.event.data.HostIsolated;
import org.vmha.api.event.data.VmRestarted;

/**
 * A record becomes the same {@code data} map a hand-built payload was: wire order, Java values unchanged,
 * {@code null} kept unless the component is omitted when null.
 */
class EventPayloadsTest {

    private final CloudEventCodec codec = new CloudEventCodec();

    @Test
    void componentsInDeclarationOrderWithTheirJavaValues() {
        Map<String, Object> m = EventPayloads.toMap(new VmRestarted("vm-a", "lun-a", "H2", "H1", 3, 17));
        assertThat(m).containsExactly(Map.entry("vm", "vm-a"), Map.entry("lun", "lun-a"), Map.entry("host", "H2"),
                Map.entry("from", "H1"), Map.entry("generation", 3L), Map.entry("resumedFromCheckpoint", 17L));
    }

    @Test
    void nullIsWrittenUnlessOmitted() {
        assertThat(codec.encode(EventPayloads.event("m-1", "/vmha/management", Instant.EPOCH, "vm-a",
                new AdmissionDenied("vm-a", "power-on", null, "none", "no host accepted it"))))
                .contains("\"data\":{\"vm\":\"vm-a\",\"request\":\"power-on\",\"host\":null,\"policy\":\"none\","
                        + "\"reason\":\"no host accepted it\"}");
        assertThat(EventPayloads.toMap(new CommandRefused("-", "-", "missing reply-to", null)))
                .containsOnlyKeys("user", "replyTo", "reason");
        assertThat(EventPayloads.toMap(new CommandRefused("u", "q", "r", "c-1")))
                .containsEntry("correlationId", "c-1").hasSize(4);
    }

    @Test
    void theRecordGivesTheType() {
        CloudEvent e = EventPayloads.event("H1-1", "/vmha/agent/H1", Instant.EPOCH, "H1",
                new HostIsolated("H1", List.of("lun-a"), new TreeMap<>(Map.of("vm-a", "power-off"))));
        assertThat(e.type()).isEqualTo(EventTypes.HOST_ISOLATED);
        assertThat(codec.encode(e)).contains("\"data\":{\"host\":\"H1\",\"released\":[\"lun-a\"],"
                + "\"responses\":{\"vm-a\":\"power-off\"}}");
    }
}
