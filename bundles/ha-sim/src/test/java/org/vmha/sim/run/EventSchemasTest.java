/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.core.event.CloudEventCodec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

/**
 * Every event the real agents emit during the regression scenarios, encoded as it goes on the bus, validates
 * against the published schema of its type (docs/schemas/events).
 */
class EventSchemasTest {

    private static final Path SCHEMAS = Path.of("../../docs/schemas/events");
    private static final List<String> SCENARIOS = List.of("host-crash.json", "two-crashes-priorities.json",
            "partition-datastore-fresh.json", "isolation-power-off.json", "capacity-pending-add.json",
            "host-returns.json");

    @Test
    void agentEventsValidateAgainstTheirSchemas() throws Exception {
        CloudEventCodec codec = new CloudEventCodec();
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonSchema> schemas = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (String scenario : SCENARIOS) {
            Simulation simulation = new Simulation(new ScenarioParser().parse(ScenarioRegressionTest.read(scenario)));
            List<CloudEvent> events = new ArrayList<>();
            simulation.onCloudEvent(events::add);
            simulation.run();
            for (CloudEvent e : events) {
                seen.add(e.type());
                JsonSchema schema = schemas.computeIfAbsent(e.type(), EventSchemasTest::load);
                schema.validate(mapper.readTree(codec.encode(e)))
                        .forEach(m -> problems.add(scenario + " " + e.type() + ": " + m.getMessage()));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(seen).contains(EventTypes.HOST_FAILED, EventTypes.HOST_PARTITIONED, EventTypes.HOST_ISOLATED,
                EventTypes.VM_RESTARTED, EventTypes.VM_RESTART_PENDING);
    }

    private static JsonSchema load(String type) {
        try (InputStream in = Files.newInputStream(SCHEMAS.resolve(type + ".json"))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new AssertionError("no schema for event type " + type + " in " + SCHEMAS, e);
        }
    }
}
