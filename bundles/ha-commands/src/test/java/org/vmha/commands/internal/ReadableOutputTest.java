/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.ShellUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.vmha.api.command.CommandException;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventHistory;
import org.vmha.api.event.EventTypes;
import org.vmha.core.event.EventRing;

/**
 * Readable output of the {@code ha:*} commands (issue 15): no Java {@code toString} of maps, the units a person reads,
 * {@code ha:events --follow} in the layout of {@code ha:events}, an unknown {@code --type} refused with the known ones,
 * and one error style (one plain line, no ANSI codes) as Karaf's own {@code ShellUtil.logException} prints it.
 */
class ReadableOutputTest {

    private ShellFixture shell;
    private EventRing ring;

    @BeforeEach
    void setUp() throws Exception {
        shell = new ShellFixture();
        ring = new EventRing(100, e -> {
        });
        shell.register(EventHistory.class, ring, null, null);
        ring.add(CloudEvent.of("/vmha/agent/H2", EventTypes.HOST_FAILED, Instant.parse("2026-11-27T10:00:00Z"), "H3",
                Map.of("host", "H3", "by", "H2")));
        ring.add(CloudEvent.of("/vmha/agent/H4", EventTypes.LEASE_TAKEN_OVER, Instant.parse("2026-11-27T10:00:02Z"),
                "VM7", Map.of("from", "H4", "generation", 3, "to", "H1")));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------ values

    @Test
    void mapsReadAsKeyValuePairsAndNestedValuesAsJson() {
        assertThat(Readable.sortedPairs(Map.of("host", "H3", "by", "H2"))).isEqualTo("by=H2 host=H3");
        assertThat(Readable.pairs(map("vm", "VM5", "hosts", List.of("H1", "H2"), "load", map("cpuMhz", 68))))
                .isEqualTo("vm=VM5 hosts=[\"H1\",\"H2\"] load={\"cpuMhz\":68}");
        assertThat(Readable.pairs(Map.of())).isEqualTo("-");
        assertThat(Readable.pairs(null)).isEqualTo("-");
    }

    @Test
    void capacitiesReadInGhzAndGibAndPercentagesWithAPercentSign() {
        assertThat(Readable.amounts(map("cpuMhz", 16000, "memoryMb", 16384))).isEqualTo("16.0 GHz / 16.0 GiB");
        assertThat(Readable.amounts(map("cpuMhz", 1500L, "memoryMb", 3000L))).isEqualTo("1.5 GHz / 2.9 GiB");
        assertThat(Readable.amounts(map("cpuMhz", 68, "memoryMb", 68))).as("below one GHz/GiB")
                .isEqualTo("68 MHz / 68 MiB");
        assertThat(Readable.amounts(map("memoryMb", 2048, "gpus", 2))).isEqualTo("0 MHz / 2.0 GiB / gpus=2");
        assertThat(Readable.amounts(Map.of())).isEqualTo("-");
        assertThat(Readable.percents(map("cpuMhz", 25, "memoryMb", 30))).isEqualTo("CPU 25%, memory 30%");
        assertThat(Readable.percents(null)).isEqualTo("-");
    }

    // ------------------------------------------------------------------ ha:events

    @Test
    void eventsShowTheirDataAsKeyValuePairsNotAsAJavaMap() throws Exception {
        EventsCommand e = shell.wire(new EventsCommand());
        e.noFormat = true;
        e.execute();
        String out = shell.out().replaceAll(" *\t *", "\t");
        assertThat(out).contains("2026-11-27T10:00:00Z\torg.vmha.host.failed\tH3\t/vmha/agent/H2\tby=H2 host=H3")
                .contains("VM7\t/vmha/agent/H4\tfrom=H4 generation=3 to=H1").doesNotContain("{").doesNotContain("}");

        shell.resetOut();
        e.json = true;
        e.execute();
        assertThat(shell.out()).as("--json keeps the data as a JSON object").contains("\"data\" : {")
                .contains("\"generation\" : 3");
    }

    @Test
    void followPrintsTheColumnsOfTheTable() throws Exception {
        EventsCommand e = shell.wire(new EventsCommand());
        e.noFormat = true;
        e.max = 1;
        e.follow = true;
        Thread t = new Thread(() -> {
            try {
                e.execute();
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!shell.out().contains("VM7") && System.nanoTime() < deadline) {
            t.join(10); // the history first, then new events
        }
        int n = 0;
        while (!shell.out().contains("VM-new") && System.nanoTime() < deadline) {
            ring.add(CloudEvent.of("/vmha/agent/H3", EventTypes.VM_RESTARTED, Instant.parse("2026-11-27T10:01:00Z"),
                    "VM-new" + n++, new TreeMap<>(Map.of("host", "H3", "from", "H1"))));
            t.join(20);
        }
        t.interrupt();
        t.join(5_000);
        String[] lines = shell.out().split("\n");
        String table = java.util.Arrays.stream(lines).filter(l -> l.contains("VM7")).findFirst().orElseThrow()
                .replaceAll(" *\t *", "\t");
        String followed = java.util.Arrays.stream(lines).filter(l -> l.contains("VM-new")).findFirst().orElseThrow();
        assertThat(table).isEqualTo("2026-11-27T10:00:02Z\torg.vmha.lease.taken-over\tVM7\t/vmha/agent/H4\t"
                + "from=H4 generation=3 to=H1");
        assertThat(followed).matches("2026-11-27T10:01:00Z\torg\\.vmha\\.vm\\.restarted\tVM-new\\d+\t/vmha/agent/H3\t"
                + "from=H1 host=H3");
    }

    @Test
    void anUnknownEventTypeIsRefusedWithTheKnownOnesAndTheClosest() throws Exception {
        EventsCommand e = shell.wire(new EventsCommand());
        e.type = "bogus";
        assertThatThrownBy(e::execute).hasMessageStartingWith("--type: unknown event type 'bogus' (prefixes: "
                + "admission, cluster, command, configuration, host, lease, table, vm; types: admission.denied,")
                .hasMessageContaining("vm.restarted");
        e.type = "vm.restartd";
        assertThatThrownBy(e::execute).hasMessageStartingWith("--type: unknown event type 'vm.restartd'; did you mean "
                + "vm.restarted?");
        e.type = "hosts";
        assertThatThrownBy(e::execute).hasMessageStartingWith("--type: unknown event type 'hosts'; did you mean host?");
        assertThat(shell.out()).isEmpty();
        for (String ok : List.of("host", "org.vmha.host", "vm.restarted", "org.vmha.vm.restart-pending", "vm.")) {
            e.type = ok;
            e.execute();
        }
        assertThat(shell.out()).contains("org.vmha.host.failed");

        e.type = "test.injected";
        assertThatThrownBy(e::execute).hasMessageStartingWith("--type: unknown event type 'test.injected'");
        ring.add(CloudEvent.of("/vmha/test", "org.vmha.test.injected", Instant.now(), "VM1", Map.of()));
        shell.resetOut();
        for (String received : List.of("test.injected", "test", "org.vmha.test.injected")) {
            e.type = received;
            e.execute();
        }
        assertThat(shell.out()).as("a type this node received counts as known").contains("org.vmha.test.injected");
    }

    // ------------------------------------------------------------------ README

    /** @return the lines README.md shows after {@code karaf@root()> <command>}, up to the next prompt or fence */
    private static List<String> readme(String command) throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("../../README.md"));
        int from = lines.indexOf("karaf@root()> " + command);
        assertThat(from).as("README shows " + command).isGreaterThanOrEqualTo(0);
        List<String> out = new java.util.ArrayList<>();
        for (int i = from + 1; i < lines.size() && !lines.get(i).startsWith("karaf@root()>")
                && !lines.get(i).startsWith("```"); i++) {
            out.add(lines.get(i));
        }
        return out;
    }

    @Test
    void readmeShowsWhatHaHostsAndHaEventsPrint() throws Exception {
        shell.handler("status", map("tableVersion", 42L, "hostCounts", map("connected", 1, "failed", 1),
                "hosts", List.of(
                        map("host", "H1", "state", "CONNECTED", "capacity", map("cpuMhz", 16000, "memoryMb", 16384),
                                "reserved", map("cpuMhz", 2000, "memoryMb", 2048), "load",
                                map("cpuMhz", 68, "memoryMb", 68), "vms", 5),
                        map("host", "H2", "state", "FAILED", "capacity", map("cpuMhz", 16000, "memoryMb", 16384),
                                "reserved", Map.of(), "load", null, "vms", 0)),
                "vms", map("total", 5, "protected", 5, "byState", map("running", 5)),
                "admission", map("policy", "slot", "slotsPerHost", map("H1", 16, "H2", 16))));
        org.vmha.agent.AgentStatus h1 = Mockito.mock(org.vmha.agent.AgentStatus.class);
        Mockito.when(h1.host()).thenReturn("H1");
        Mockito.when(h1.peers()).thenReturn(List.of(new org.vmha.api.transport.PeerView("H2",
                org.vmha.api.transport.PeerStatus.FAILED, 7000, 9500)));
        shell.agent(h1);
        shell.wire(new HostsCommand()).execute();
        assertThat(shell.out().lines().toList()).isEqualTo(readme("ha:hosts"));

        shell.resetOut();
        ring.add(CloudEvent.of("/vmha/agent/H2", EventTypes.HOST_FAILED, Instant.parse("2026-12-02T10:00:00Z"), "H3",
                Map.of("host", "H3", "by", "H2")));
        ring.add(CloudEvent.of("/vmha/agent/H4", EventTypes.LEASE_TAKEN_OVER, Instant.parse("2026-12-02T10:00:02Z"),
                "VM07", Map.of("from", "H3", "generation", 3, "to", "H4")));
        EventsCommand e = shell.wire(new EventsCommand());
        e.max = 2;
        e.execute();
        assertThat(shell.out().lines().toList()).isEqualTo(readme("ha:events -n 2"));

        e.type = "vm.restartd";
        String error = ShellError.line(catchThrowable(e::execute).getMessage());
        List<String> documented = readme("ha:events --type vm.restartd");
        assertThat(documented).hasSize(1);
        String[] parts = documented.get(0).split("…");
        assertThat(error).startsWith(parts[0]).contains(parts[1].replace("; types: ", ""));
    }

    // ------------------------------------------------------------------ errors

    /** @return what Karaf's shell prints for what the command threw (its own {@code ShellUtil.logException}) */
    private static String printedByKaraf(Throwable thrown) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Session session = Mockito.mock(Session.class);
        Mockito.when(session.getConsole()).thenReturn(new PrintStream(console, true, StandardCharsets.UTF_8));
        ShellUtil.logException(session, thrown);
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void karafPrintsAnErrorAsOnePlainLineWithoutAnsiCodes() throws Exception {
        assertThat(printedByKaraf(new IllegalArgumentException("x"))).as("what Karaf does with a plain exception")
                .contains("\u001B[");

        EventsCommand e = shell.wire(new EventsCommand());
        e.max = -1;
        assertThat(printedByKaraf(catchThrowable(e::execute))).isEqualTo("Error: -n must be >= 0, got -1\n");

        shell.handler("power-on", args -> {
            throw new CommandException(CommandException.NOT_FOUND, "unknown VM 'VM5'; did you mean VM05?");
        });
        VmPowerOnCommand on = shell.wire(new VmPowerOnCommand());
        on.vm = "VM5";
        Throwable thrown = catchThrowable(on::execute);
        assertThat(thrown).hasMessage("unknown VM 'VM5'; did you mean VM05?").hasCauseInstanceOf(CommandException.class);
        assertThat(printedByKaraf(thrown)).isEqualTo("Error: unknown VM 'VM5'; did you mean VM05?\n");

        VmsCommand vms = shell.wire(new VmsCommand());
        assertThat(printedByKaraf(catchThrowable(vms::execute))).isEqualTo("Error: no HA agent runs on this node "
                + "(feature ha-agent, etc/org.vmha.agent-<host>.cfg)\n");

        HostAddCommand add = shell.wire(new HostAddCommand());
        add.host = "H9";
        add.capacity = "cpuMhz=lots";
        assertThat(printedByKaraf(catchThrowable(add::execute))).isEqualTo("Error: --capacity: amount of cpuMhz is not "
                + "a whole number: 'lots'\n");
    }

    @Test
    void anErrorIsOneLineWithItsControlCharactersEscaped() {
        assertThat(ShellError.line("first\n  second\r\nthird")).isEqualTo("Error: first second third");
        assertThat(ShellError.line("VM \u001B[31mred")).isEqualTo("Error: VM \\u001B[31mred");
        assertThat(ShellError.line(null)).isEqualTo("Error: the command failed");
        RuntimeException bug = new NullPointerException("bug");
        assertThat(ShellError.of(bug)).as("a bug reaches Karaf unchanged, its stack trace logged").isSameAs(bug);
    }
}
