/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/**
 * The {@link HaPlanCommandTest} is responsible for the ha-plan command line: output, exit codes and
 * error messages.
 *
 * @author vmha - Initial contribution
 */
class HaPlanCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        CommandLine cl = HaPlanCommand.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    static String example() throws IOException {
        try (InputStream in = HaPlanCommandTest.class.getResourceAsStream("/inventory.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void goodInventoryPrintsTheExpectedReport() throws IOException {
        Path f = dir.resolve("inv.json");
        Files.writeString(f, example());
        assertThat(run("", f.toString())).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertThat(r.get("policy").asText()).isEqualTo("slot");
        assertThat(r.get("slotSize").toString()).isEqualTo("{\"cpuMhz\":2000,\"memoryMb\":1024}");
        assertThat(r.get("slotsPerHost").toString()).isEqualTo("{\"H1\":4,\"H2\":4,\"H3\":3}");
        assertThat(r.get("totalSlots").asInt()).isEqualTo(11);
        assertThat(r.get("usedSlots").asInt()).isEqualTo(7);
        assertThat(r.get("usableSlots").asInt()).isEqualTo(7);
        assertThat(r.get("unreservedSlots").asInt()).isZero();
        assertThat(r.get("failoverCapacityHosts").asInt()).isEqualTo(1);
        assertThat(r.get("failoverCapacityPercent").toString()).isEqualTo("{\"cpuMhz\":70,\"memoryMb\":75}");
        assertThat(r.get("requests").get(0).get("admitted").asBoolean()).isTrue();
        assertThat(r.get("requests").get(1).get("admitted").asBoolean()).isFalse();
        assertThat(r.get("plans")).hasSize(3);
        assertThat(r.get("plans").get(0).toString())
                .isEqualTo("{\"failed\":[\"H1\"],\"placements\":{\"VM1\":\"H3\",\"VM2\":\"H3\"},\"unplaced\":[]}");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void readsStdinAndPlansAllCombinationsCompactly() throws IOException {
        String two = example().replace("\"hostFailures\":1", "\"hostFailures\":2");
        assertThat(run(two, "--all-combinations", "--compact", "-")).isZero();
        assertThat(out.toString().trim()).doesNotContain("\n");
        JsonNode plans = new ObjectMapper().readTree(out.toString()).get("plans");
        assertThat(plans).hasSize(3);
        assertThat(plans.get(1).get("failed").toString()).isEqualTo("[\"H1\",\"H3\"]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown host|\"host\":\"H1\",\"poweredOn\":true,\"priority\"|\"host\":\"H9\",\"poweredOn\":true,\"priority\"|vms[0].host: unknown host 'H9'",
        "negative capacity|\"cpuMhz\":6000,\"memoryMb\":6144|\"cpuMhz\":6000,\"memoryMb\":-1|hosts[2].capacity.memoryMb: must be >= 0, was -1",
        "unknown resource|\"cpuMhz\":500,\"memoryMb\":512},\"host\":\"H1\"|\"cpuMhz\":500,\"gpus\":1},\"host\":\"H1\"|vms[1].reservation.gpus: unknown resource 'gpus'",
        "duplicate host|{\"name\":\"H3\",\"capacity\"|{\"name\":\"H2\",\"capacity\"|hosts[2].name: duplicate host name 'H2'",
        "duplicate vm|{\"name\":\"VM2\"|{\"name\":\"VM1\"|vms[1].name: duplicate VM name 'VM1'",
        "not json|\"hosts\":[|\"hosts\":[[|$: not valid JSON" })
    void badInventoryExitsTwoNamingTheField(String name, String from, String to, String message) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, example().replace(from, to));
        assertThat(run("", f.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("ha-plan: invalid inventory " + f + ": ").contains(message);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void missingFileAndBadUsageExitTwo() {
        assertThat(run("", dir.resolve("nope.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read inventory").contains("nope.json");
        assertThat(run("")).isEqualTo(2);
        assertThat(run("", "--bogus", "x")).isEqualTo(2);
    }
}
