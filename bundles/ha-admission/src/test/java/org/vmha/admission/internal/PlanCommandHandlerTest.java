/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.admission.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vmha.core.command.CommandJson;
import org.vmha.api.command.request.PlanRequest;
import org.vmha.api.command.CommandException;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

class PlanCommandHandlerTest {

    private final PlanCommandHandler handler = new PlanCommandHandler();

    @Test
    void reportsTheDocumentedExample() throws Exception {
        Map<String, Object> inventory = new ObjectMapper().readValue(
                Files.readString(Path.of("../../docs/examples/inventory.json")),
                new TypeReference<LinkedHashMap<String, Object>>() {
                });

        ObjectNode report = handler.handle(new PlanRequest(inventory, null));

        assertThat(report.path("policy").asText()).isEqualTo("slot");
        assertThat(report.path("totalSlots").asInt()).isEqualTo(11);
        assertThat(report.path("usedSlots").asInt()).isEqualTo(7);
        assertThat(report.path("plans")).hasSize(3);
    }

    @Test
    void badArgumentsAreNamed() {
        // as the NOC sends them: bound by the messaging layer's codec, refused naming the argument
        CommandJson json = new CommandJson();
        assertThatThrownBy(() -> json.bind("plan", json.mapper().readTree("{}"), handler.requestType()))
                .isInstanceOf(CommandException.class)
                .hasMessage("command 'plan' needs argument 'inventory' (an inventory object (docs/ha-plan.md))")
                .extracting(e -> ((CommandException) e).code()).isEqualTo(CommandException.BAD_REQUEST);
        assertThatThrownBy(() -> json.bind("plan", json.mapper().readTree("{\"inventory\": \"H1\"}"),
                handler.requestType())).hasMessageContaining("got the string \"H1\"");
        assertThatThrownBy(() -> json.bind("plan", json.mapper().readTree("{\"inventory\": {\"hosts\": []}, "
                + "\"allCombinations\": \"yes\"}"), handler.requestType()))
                .hasMessage("argument 'allCombinations' of command 'plan' must be a boolean, got the string \"yes\"");
        assertThatThrownBy(() -> handler.handle(new PlanRequest(
                Map.of("hosts", List.of(Map.of("name", "H1", "capacity", Map.of("cpuMhz", -1)))), false)))
                .hasMessageStartingWith("invalid inventory:").hasMessageContaining("cpuMhz");
    }
}
