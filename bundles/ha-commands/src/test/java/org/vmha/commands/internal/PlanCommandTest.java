/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.mockito.junit.jupiter.MockitoSettings;
import org.mockito.quality.Strictness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

@ExtendWith(MockitoExtension.class)
@MockitoSettings(strictness = Strictness.LENIENT)
class PlanCommandTest {

    /** The documented example inventory (docs/ha-plan.md), shipped as examples/inventory.json. */
    private static final Path EXAMPLE = Path.of("../../docs/examples/inventory.json");

    @Mock
    Session sessionMock;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PlanCommand command;

    /** The node's data directory: ha:plan reads files under karaf.home, karaf.base and karaf.data only. */
    @TempDir
    Path data;

    @BeforeEach
    void setUp() {
        System.setProperty("karaf.home", Path.of("../..").toAbsolutePath().normalize().toString());
        System.setProperty("karaf.data", data.toString());
        when(sessionMock.getConsole()).thenReturn(new PrintStream(console, true, StandardCharsets.UTF_8));
        command = new PlanCommand();
        command.session = sessionMock;
        command.inventory = EXAMPLE.toAbsolutePath().toString();
    }

    @Test
    void tablesShowSummaryRequestsAndOnePlanPerHost() throws Exception {
        command.noFormat = true;
        command.doExecute();

        // --no-format: tab-separated cells (Karaf pads them), one line per row
        String out = console.toString(StandardCharsets.UTF_8).replaceAll(" *\t *", "\t");
        assertThat(out).contains("policy\tslot").contains("slot size\t2.0 GHz / 1.0 GiB")
                .contains("slots (total/used/usable/unreserved)\t11/7/7/0").contains("failover capacity (hosts)\t1");
        assertThat(out).contains("H1\t4").contains("H3\t3");
        assertThat(out).contains("powerOn VM6\tyes").contains("powerOn VM7\tno\tslots used after the operation 11 > usable 3 (slot size {cpuMhz=4000, memoryMb=1024}, tolerating 1 host failure(s))");
        assertThat(out).contains("H1\tVM1→H3 VM2→H3\t-").contains("H3\tVM5→H2\t-");
    }

    @Test
    void jsonIsTheBinHaPlanReport() throws Exception {
        command.json = true;
        command.doExecute();

        JsonNode report = new ObjectMapper().readTree(console.toString(StandardCharsets.UTF_8));
        assertThat(report.path("totalSlots").asInt()).isEqualTo(11);
        assertThat(report.path("plans")).hasSize(3);
        assertThat(report.path("requests").get(1).path("admitted").asBoolean()).isFalse();
    }

    @AfterEach
    void clearRoots() {
        System.clearProperty("karaf.home");
        System.clearProperty("karaf.data");
    }

    @Test
    void allCombinationsPlansEveryPairForTwoFailures() throws Exception {
        Path twoFailures = data.resolve("inv.json");
        Files.writeString(twoFailures, Files.readString(EXAMPLE).replace("\"hostFailures\":1", "\"hostFailures\":2"));
        command.inventory = twoFailures.toString();
        command.allCombinations = true;
        command.json = true;
        command.doExecute();

        JsonNode report = new ObjectMapper().readTree(console.toString(StandardCharsets.UTF_8));
        assertThat(report.path("plans")).hasSize(3); // {H1,H2} {H1,H3} {H2,H3}
        assertThat(report.path("plans").get(0).path("failed")).hasSize(2);
    }

    @Test
    void missingFileIsOneClearError() throws Exception {
        command.inventory = data.resolve("nonexistent.json").toString();
        assertThatThrownBy(command::doExecute).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read inventory " + command.inventory + ": no such file");
    }

    @Test
    void invalidInventoryNamesTheFieldButNotItsValue() throws Exception {
        Path bad = data.resolve("bad.json");
        Files.writeString(bad, "{\"hosts\":[{\"name\":\"H1\",\"capacity\":{\"cpuMhz\":-12345}}],\"vms\":[]}");
        command.inventory = bad.toString();
        assertThatThrownBy(command::doExecute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid inventory " + bad).hasMessageContaining("cpuMhz")
                .hasMessageNotContaining("12345");
    }

    @Test
    void aFileOutsideTheDistributionIsRefusedUnread() {
        for (String outside : new String[] {"/etc/shadow", "/nonexistent/inventory.json",
                data.resolve("../../../../etc/passwd").toString()}) {
            command.inventory = outside;
            assertThatThrownBy(command::doExecute).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("refused to read inventory " + outside + ": it is outside")
                    .hasMessageNotContaining("root:");
        }
    }

    @Test
    void aSymbolicLinkOutOfTheDistributionIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(data.resolve("passwd.json"), Path.of("/etc/passwd"));
        command.inventory = link.toString();
        assertThatThrownBy(command::doExecute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it is outside").hasMessageNotContaining("root:");
    }

    @Test
    void aFileThatIsNotAnInventoryIsNeverEchoed() throws Exception {
        Path secret = data.resolve("users.properties");
        Files.writeString(secret, "karaf = {CRYPT}$2a$10$abcdefghijklmnopqrstuv{CRYPT},_g_:admingroup\n");
        command.inventory = secret.toString();
        assertThatThrownBy(command::doExecute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid inventory " + secret + ": $: not valid JSON at line 1")
                .hasMessageNotContaining("CRYPT").hasMessageNotContaining("admingroup");
        Files.writeString(secret, "{\"hosts\":[{\"name\":\"H1\",\"capacity\":{\"cpuMhz\":1,\"memoryMb\":1},"
                + "\"state\":\"s3cr3t-value\"}],\"vms\":[]}");
        assertThatThrownBy(command::doExecute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hosts[0].state").hasMessageNotContaining("s3cr3t");
    }

    @Test
    void redactRemovesQuotedValues() {
        assertThat(Paths.redact("Unrecognized token 'karaf': was expecting (JSON String)\nat [Source: x]"))
                .isEqualTo("Unrecognized token '…': was …");
        assertThat(Paths.redact("hosts[0].capacity.cpuMhz: must be >= 0, was -5")).isEqualTo(
                "hosts[0].capacity.cpuMhz: must be >= 0, was …");
    }
}
