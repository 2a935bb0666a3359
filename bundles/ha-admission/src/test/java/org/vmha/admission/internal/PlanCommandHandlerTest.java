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

        Map<String, Object> report = handler.handle(Map.of("inventory", inventory));

        assertThat(report).containsEntry("policy", "slot").containsEntry("totalSlots", 11).containsEntry("usedSlots", 7);
        assertThat((List<?>) report.get("plans")).hasSize(3);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> handler.handle(Map.of())).isInstanceOf(CommandException.class)
                .hasMessageContaining("argument 'inventory'").hasMessageContaining("missing")
                .extracting(e -> ((CommandException) e).code()).isEqualTo(CommandException.BAD_REQUEST);
        assertThatThrownBy(() -> handler.handle(Map.of("inventory", "H1"))).hasMessageContaining("got String");
        assertThatThrownBy(() -> handler.handle(Map.of("inventory", Map.of("hosts", List.of()), "allCombinations", "yes")))
                .hasMessageContaining("'allCombinations' must be a boolean");
        assertThatThrownBy(() -> handler.handle(Map.of("inventory",
                Map.of("hosts", List.of(Map.of("name", "H1", "capacity", Map.of("cpuMhz", -1)))))))
                .hasMessageStartingWith("invalid inventory:").hasMessageContaining("cpuMhz");
    }
}
