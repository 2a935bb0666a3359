/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.data.AdmissionDenied;
import org.vmha.api.event.data.AdmissionMet;
import org.vmha.api.event.data.AdmissionNotMet;
import org.vmha.api.event.data.ClusterStarted;
import org.vmha.api.event.data.CommandRefused;
import org.vmha.api.event.data.ConfigurationChanged;
import org.vmha.api.event.data.EventData;
import org.vmha.api.event.data.HostAdded;
import org.vmha.api.event.data.HostFailed;
import org.vmha.api.event.data.HostIsolated;
import org.vmha.api.event.data.HostStopping;
import org.vmha.api.event.data.HostMaintenance;
import org.vmha.api.event.data.HostPartitioned;
import org.vmha.api.event.data.HostRemoved;
import org.vmha.api.event.data.HostReturned;
import org.vmha.api.event.data.LeaseTakenOver;
import org.vmha.api.event.data.TableUpdated;
import org.vmha.api.event.data.VmMigrated;
import org.vmha.api.event.data.VmPoweredOff;
import org.vmha.api.event.data.VmPoweredOn;
import org.vmha.api.event.data.VmRestartFailed;
import org.vmha.api.event.data.VmRestartPending;
import org.vmha.api.event.data.VmRestarted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Every event type has an {@link EventData} record, and each record, encoded the way it goes on the bus, validates
 * against its type's JSON Schema under docs/schemas/events with its fields in the schema's order. The examples
 * include the {@code null} values the emitters produce.
 */
class EventDataSchemasTest {

    private static final Path EVENTS = MessageSchemasTest.SCHEMAS.resolve("events");

    private final ObjectMapper mapper = new ObjectMapper();
    private final CloudEventCodec codec = new CloudEventCodec();

    /** Producer by event type family: agents, the management service, a node's messaging layer. */
    private static String source(EventData data) {
        if (data instanceof ClusterStarted || data instanceof CommandRefused) {
            return "/vmha/node/n1";
        }
        if (data instanceof AdmissionDenied || data instanceof AdmissionNotMet || data instanceof AdmissionMet
                || data instanceof TableUpdated || data instanceof ConfigurationChanged
                || data instanceof HostAdded || data instanceof HostRemoved || data instanceof HostMaintenance) {
            return "/vmha/management";
        }
        return "/vmha/agent/H1";
    }

    /** At least one example of every record; a second one where a component may be {@code null}. */
    private static List<EventData> examples() {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("priority", "high");
        changes.put("isolationResponse", "cluster");
        changes.put("alternate", null);
        return List.of(
                new HostFailed("H2", "H1"),
                new HostStopping("H1", List.of("vm-a", "vm-b"), "survivors", "planned stop"),
                new HostStopping("H1", List.of(), "with-node", "planned stop"),
                new HostPartitioned("H2", "H1"),
                new HostReturned("H2", "H1", "PARTITIONED"),
                new HostIsolated("H1", List.of("lun-a", "lun-b"), new TreeMap<>(Map.of("vm-a", "power-off",
                        "vm-b", "leave-powered-on"))),
                new HostIsolated("H1", List.of(), new TreeMap<>()),
                new VmRestarted("vm-a", "lun-a", "H2", "H1", 3, 17),
                new VmRestarted("vm-a", "lun-a", "H2", null, 1, -1),
                new VmPoweredOn("vm-a", "lun-a", "H2", 1, -1),
                new VmMigrated("vm-a", "lun-a", "H3", "H2", 4, 18),
                new VmPoweredOff("vm-a", "lun-a", "H2", 4),
                new VmRestartFailed("vm-a", "lun-a", "H2", 3, "boot timed out"),
                new VmRestartPending("vm-a", "no host has 4096 MB memory free"),
                new LeaseTakenOver("vm-a", "lun-a", "H1", "H2", 3),
                new AdmissionDenied("vm-a", "migrate", "H3", "slot", "H3 has no free slot"),
                new AdmissionDenied("vm-a", "power-on", null, "none", "no host accepted it"),
                new AdmissionNotMet("slot", 2, 1, "NOT MET: tolerates 1 of 2 host failures (used slots 19 > usable 16)"),
                new AdmissionMet("percentage", 1, 2, "met: spare cpuMhz 40 % >= 25 %, memoryMb 60 % >= 25 % reserved"),
                new TableUpdated(7, 12, 10),
                new ConfigurationChanged("vm-a", changes),
                new ConfigurationChanged("vm-a", Map.of()),
                new HostAdded("H4", new TreeMap<>(Map.of("cpuMhz", 8000L, "memoryMb", 16384L))),
                new HostRemoved("H4"),
                new HostMaintenance("H2", true, new TreeMap<>(Map.of("vm-a", "H3")),
                        new TreeMap<>(Map.of("vm-b", "no connected host outside maintenance mode"))),
                new HostMaintenance("H2", false, new TreeMap<>(), new TreeMap<>()),
                new ClusterStarted("n1", "0.1.0"),
                new CommandRefused("noc", "topic ha.heartbeat.host", "reply-to outside the user's queues", "c-42"),
                new CommandRefused("-", "-", "missing reply-to", null));
    }

    @Test
    void everyEventTypeHasExactlyOneRecord() throws Exception {
        Map<String, List<String>> byType = new TreeMap<>();
        for (Class<?> c : EventData.class.getPermittedSubclasses()) {
            assertThat(c.isRecord()).as(c + " is a record").isTrue();
            byType.computeIfAbsent(EventPayloads.type((EventData) example(c)), t -> new ArrayList<>())
                    .add(c.getSimpleName());
        }
        assertThat(byType.keySet()).as("event types with a data record").isEqualTo(MessageSchemasTest.eventTypes());
        assertThat(byType.values()).as("records per event type").allSatisfy(l -> assertThat(l).hasSize(1));
    }

    @Test
    void everyRecordHasAnExample() {
        Set<Class<?>> covered = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
        examples().forEach(e -> covered.add(e.getClass()));
        assertThat(covered).containsExactlyInAnyOrder(EventData.class.getPermittedSubclasses());
    }

    @Test
    void everyExampleAsEncodedValidatesAgainstItsSchema() throws Exception {
        List<String> problems = new ArrayList<>();
        for (EventData data : examples()) {
            String type = EventPayloads.type(data);
            String json = codec.encode(EventPayloads.event("e-1", source(data), Instant.EPOCH, "s", data));
            for (ValidationMessage m : schema(type).validate(mapper.readTree(json))) {
                problems.add(data + ": " + m.getMessage());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void recordComponentsAreTheSchemaFieldsInTheirOrder() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : EventData.class.getPermittedSubclasses()) {
            String type = EventPayloads.type((EventData) example(c));
            JsonNode properties = mapper.readTree(EVENTS.resolve(type + ".json").toFile())
                    .path("properties").path("data").path("properties");
            List<String> fields = new ArrayList<>();
            for (Iterator<String> it = properties.fieldNames(); it.hasNext();) {
                fields.add(it.next());
            }
            List<String> components = Arrays.stream(c.getRecordComponents()).map(RecordComponent::getName).toList();
            if (!components.equals(fields)) {
                problems.add(c.getSimpleName() + " " + components + " but " + type + " has " + fields);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aSchemaRejectsARecordOfAnotherType() throws Exception {
        String json = codec.encode(new org.vmha.api.event.CloudEvent("e-1", "/vmha/agent/H1",
                HostFailed.TYPE, Instant.EPOCH, "H2", EventPayloads.toMap(new HostReturned("H2", "H1", "FAILED"))));
        assertThat(schema(HostFailed.TYPE).validate(mapper.readTree(json)))
                .anyMatch(m -> m.getMessage().contains("was"));
    }

    private static Object example(Class<?> record) {
        return examples().stream().filter(record::isInstance).findFirst()
                .orElseThrow(() -> new AssertionError("no example of " + record.getName()));
    }

    private static JsonSchema schema(String type) throws IOException {
        try (InputStream in = Files.newInputStream(EVENTS.resolve(type + ".json"))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }
}
