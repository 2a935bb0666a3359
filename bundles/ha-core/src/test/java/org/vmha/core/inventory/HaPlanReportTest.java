/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link HaPlanReportTest} is responsible for the inventory validation and the report format.
 *
 * @author vmha - Initial contribution
 */
class HaPlanReportTest {

    private final InventoryCodec codec = new InventoryCodec();
    private final HaPlanReport report = new HaPlanReport();

    static String example() throws IOException {
        try (InputStream in = HaPlanReportTest.class.getResourceAsStream("/inventory/example.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void exampleInventoryGivesTheDocumentedReport() throws IOException {
        JsonNode r = report.report(codec.parse(example()), false);
        List<String> keys = new ArrayList<>();
        r.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("policy", "slotSize", "slotsPerHost", "vmSlots", "totalSlots", "usedSlots",
                "usableSlots", "unreservedSlots", "failoverCapacityHosts", "failoverCapacityPercent", "requests",
                "plans");
        assertThat(r.get("policy").asText()).isEqualTo("slot");
        // VM1 sets the slot; memory is capped at 1024 so VM4 (2048 MB) takes two slots
        assertThat(r.get("slotSize").toString()).isEqualTo("{\"cpuMhz\":2000,\"memoryMb\":1024}");
        assertThat(r.get("slotsPerHost").toString()).isEqualTo("{\"H1\":4,\"H2\":4,\"H3\":3}");
        assertThat(r.get("vmSlots").toString())
                .isEqualTo("{\"VM1\":1,\"VM2\":1,\"VM3\":1,\"VM4\":2,\"VM5\":1,\"VM6\":1}");
        assertThat(r.get("totalSlots").asInt()).isEqualTo(11);
        assertThat(r.get("usableSlots").asInt()).isEqualTo(7);
        assertThat(r.get("usedSlots").asInt()).isEqualTo(7);
        assertThat(r.get("unreservedSlots").asInt()).isZero();
        assertThat(r.get("failoverCapacityHosts").asInt()).isEqualTo(1);
        // cpu (24000 - 7000) * 100 / 24000 = 70.8 -> 70; memory (24576 - 6144) * 100 / 24576 = 75
        assertThat(r.get("failoverCapacityPercent").toString()).isEqualTo("{\"cpuMhz\":70,\"memoryMb\":75}");

        JsonNode req = r.get("requests");
        assertThat(req).hasSize(2);
        assertThat(req.get(0).get("request").toString()).isEqualTo("{\"powerOn\":\"VM6\"}");
        assertThat(req.get(0).get("admitted").asBoolean()).as(req.get(0).toString()).isTrue();
        assertThat(req.get(1).get("admitted").asBoolean()).isFalse();
        assertThat(req.get(1).get("reason").asText()).contains("slots used after the operation");

        JsonNode plans = r.get("plans");
        assertThat(plans).hasSize(3);
        assertThat(plans.get(0).get("failed").toString()).isEqualTo("[\"H1\"]");
        assertThat(plans.get(0).get("placements").toString()).isEqualTo("{\"VM1\":\"H3\",\"VM2\":\"H3\"}");
        assertThat(plans.get(0).get("unplaced")).isEmpty();
        // VM4 has HA off: never in a plan
        assertThat(plans.get(2).get("failed").toString()).isEqualTo("[\"H3\"]");
        assertThat(plans.get(2).get("placements").has("VM4")).isFalse();
        assertThat(plans.get(2).get("placements").has("VM5")).isTrue();
    }

    @Test
    void allCombinationsPlansEveryNSubset() throws IOException {
        String two = example().replace("\"hostFailures\":1", "\"hostFailures\":2");
        JsonNode plans = report.report(codec.parse(two), true).get("plans");
        assertThat(plans).hasSize(3);
        assertThat(plans.get(0).get("failed").toString()).isEqualTo("[\"H1\",\"H2\"]");
        assertThat(plans.get(2).get("failed").toString()).isEqualTo("[\"H2\",\"H3\"]");
        assertThat(new ObjectMapper().readTree(report.toJson(report.report(codec.parse(two), true))).toString())
                .isEqualTo(report.report(codec.parse(two), true).toString());
    }

    @Test
    void everyPolicyTypeProducesAReport() throws IOException {
        for (String t : new String[] {"percentage", "dedicated", "exact" }) {
            JsonNode r = report.report(codec.parse(example().replace("\"type\":\"slot\"", "\"type\":\"" + t + "\"")),
                    false);
            assertThat(r.get("policy").asText()).isEqualTo(t);
            assertThat(r.get("requests")).hasSize(2);
        }
        JsonNode dedicated = report.report(codec.parse(example().replace("\"type\":\"slot\"", "\"type\":\"dedicated\"")
                .replace("\"host\":\"H2\",\"poweredOn\":false}]", "\"host\":\"H3\",\"poweredOn\":false}]")), false);
        assertThat(dedicated.get("requests").get(1).get("reason").asText()).contains("dedicated failover host");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown host|\"host\":\"H1\",\"poweredOn\":true,\"priority\"|\"host\":\"H9\",\"poweredOn\":true,\"priority\"|vms[0].host|unknown host 'H9'",
        "negative capacity|\"cpuMhz\":6000,\"memoryMb\":6144|\"cpuMhz\":-5,\"memoryMb\":6144|hosts[2].capacity.cpuMhz|must be >= 0, was -5",
        "unknown resource|\"cpuMhz\":500,\"memoryMb\":512},\"host\":\"H1\"|\"cpuMhz\":500,\"gpus\":1},\"host\":\"H1\"|vms[1].reservation.gpus|unknown resource 'gpus'",
        "duplicate host|{\"name\":\"H2\",\"capacity\"|{\"name\":\"H1\",\"capacity\"|hosts[1].name|duplicate host name 'H1'",
        "duplicate vm|{\"name\":\"VM7\"|{\"name\":\"VM1\"|vms[6].name|duplicate VM name 'VM1'",
        "unknown state|\"state\":\"connected\"|\"state\":\"sleepy\"|hosts[0].state|unknown state 'sleepy'",
        "unknown priority|\"priority\":\"low\"|\"priority\":\"urgent\"|vms[2].priority|unknown priority 'urgent'",
        "unknown policy|\"type\":\"slot\"|\"type\":\"magic\"|policy.type|unknown policy type 'magic'",
        "bad hostFailures|\"hostFailures\":1|\"hostFailures\":0|policy.hostFailures|must be >= 1",
        "unknown failover host|\"failoverHosts\":[\"H3\"]|\"failoverHosts\":[\"H4\"]|policy.failoverHosts[0]|unknown host 'H4'",
        "unknown request vm|{\"powerOn\":\"VM7\"}|{\"powerOn\":\"VM8\"}|requests[1].powerOn|unknown VM 'VM8'",
        "unknown field|\"failoverOnly\":false|\"failoverOnyl\":false|hosts[0].failoverOnyl|unknown field",
        "not an integer|\"cpuMhz\":9000,\"memoryMb\":9216},\"failoverOnly\"|\"cpuMhz\":9000.5,\"memoryMb\":9216},\"failoverOnly\"|hosts[0].capacity.cpuMhz|must be an integer",
        "percent above 100|\"reservedPercent\":{\"cpuMhz\":25|\"reservedPercent\":{\"cpuMhz\":250|policy.reservedPercent.cpuMhz|must be <= 100" })
    void badInventoriesNameTheField(String name, String from, String to, String field, String message)
            throws IOException {
        String bad = example().replace(from, to);
        assertThat(bad).as("fixture edit for %s", name).isNotEqualTo(example());
        assertThatThrownBy(() -> codec.parse(bad)).isInstanceOfSatisfying(InventoryException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(field + ": ").contains(message);
        });
    }

    @Test
    void malformedJsonNamesTheLine() {
        assertThatThrownBy(() -> codec.parse("{\"hosts\":[\n{]}")).isInstanceOfSatisfying(InventoryException.class,
                e -> assertThat(e.getMessage()).startsWith("$: not valid JSON at line 2"));
        assertThatThrownBy(() -> codec.parse("[]")).hasMessage("$: must be a JSON object");
        assertThatThrownBy(() -> codec.parse("{\"hosts\":[]}")).hasMessage("hosts: must be a non-empty array");
    }
}
