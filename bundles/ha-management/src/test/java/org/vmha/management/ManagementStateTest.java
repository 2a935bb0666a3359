/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.api.transport.TableUpdate;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.testkit.RecordingTransport;
import org.vmha.testkit.VirtualScheduler;

/** The management service's kept state: its JSON form, the file store, and how a service starts from it. */
class ManagementStateTest {

    @TempDir
    Path dir;

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final List<String> errors = new ArrayList<>();

    private static Map<String, ResourceVector> hosts() {
        Map<String, ResourceVector> hosts = new TreeMap<>();
        for (String h : List.of("H1", "H2", "H3")) {
            hosts.put(h, ResourceVector.of(4000, 4096));
        }
        return hosts;
    }

    private static FailoverTableEntry entry(String vm, String host, VmState state, long generation) {
        return new FailoverTableEntry(vm, "lun-" + vm, host, null, RestartPriority.MEDIUM,
                ResourceVector.of(500, 1000), state, generation);
    }

    private static FailoverTable inventory() {
        return new FailoverTable(1, List.of(entry("vm-a", "H1", VmState.RUNNING, 1),
                entry("vm-b", "H2", VmState.RUNNING, 1)));
    }

    private ManagementService service(RecordingTransport bus, ManagementStateStore store) {
        ManagementService s = new ManagementService(bus, sched, new AlternateHostPlanner(32), 1000, 100_000, 5,
                inventory(), hosts(), new StateKeeper(store, errors::add));
        s.start();
        return s;
    }

    private static List<TableUpdate> fulls(RecordingTransport bus) {
        return bus.tables().stream().filter(TableUpdate::full).toList();
    }

    @Test
    void theJsonFormRoundTrips() {
        FailoverTable table = new FailoverTable(22, List.of(entry("vm-a", "H1", VmState.RUNNING, 3)
                .withSettings(RestartPriority.HIGH, null)));
        ManagementState s = new ManagementState(22, new TreeMap<>(Map.of("H5", ResourceVector.of(8000, 16384))),
                new TreeSet<>(List.of("H3")), new TreeMap<>(Map.of("H2", 1234L)), new TreeMap<>(Map.of("lun-vm-a",
                        "H2")), table);
        String json = s.encode();
        assertThat(json).startsWith("{\"format\":1,\"version\":22,\"hostsAdded\":{\"H5\":{\"cpuMhz\":8000,"
                + "\"memoryMb\":16384}},\"hostsRemoved\":[\"H3\"],\"maintenance\":{\"H2\":1234},\"pins\":{"
                + "\"lun-vm-a\":\"H2\"},\"table\":{\"version\":22,");
        assertThat(ManagementState.decode(json)).isEqualTo(s);
    }

    @Test
    void aCorruptStateNamesTheField() {
        assertThatThrownBy(() -> ManagementState.decode("{\"format\":1,\"version\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("version: must be a whole number, was \"x\"");
        assertThatThrownBy(() -> ManagementState.decode("{\"format\":2}"))
                .hasMessage("format: 2 is not the supported 1");
        assertThatThrownBy(() -> ManagementState.decode("[1]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> ManagementState.decode("{\"format\":1,\"version\":3,\"hostsAdded\":{},"
                + "\"hostsRemoved\":[],\"maintenance\":{},\"pins\":{},\"table\":{\"version\":3}}"))
                .hasMessageStartingWith("table: ");
    }

    @Test
    void aServiceRestartedOnTheSameFileKeepsHostsAndIssuesAboveTheLastVersion() {
        Path file = dir.resolve("vmha/management/state.json");
        RecordingTransport bus = new RecordingTransport();
        ManagementService first = service(bus, ManagementStateStore.file(file));
        sched.runUntil(0);
        first.addHost("H4", ResourceVector.of(2000, 2048));
        first.removeHost("H3");
        first.maintenance("H2", true);
        first.set("vm-a", null, null, "H4", null);
        sched.runUntil(20_000);
        first.stop();
        long last = fulls(bus).get(fulls(bus).size() - 1).version();
        assertThat(last).isGreaterThan(3);
        assertThat(file).exists();

        RecordingTransport bus2 = new RecordingTransport();
        ManagementService second = service(bus2, ManagementStateStore.file(file));
        sched.runUntil(20_000);
        assertThat(errors).isEmpty();
        assertThat(fulls(bus2).get(0).version()).isEqualTo(last + 1);
        assertThat(fulls(bus2).get(0).hosts()).containsExactly("H1", "H2", "H4");
        assertThat(fulls(bus2).get(0).maintenance()).containsExactly("H2");
        assertThat(second.hosts()).extracting(HostView::name).containsExactly("H1", "H2", "H4");
        assertThat(second.hosts().get(2).capacity()).isEqualTo(ResourceVector.of(2000, 2048));
        assertThat(second.pins()).containsEntry("lun-vm-a", "H4");
        assertThat(bus2.events(org.vmha.api.event.EventTypes.TABLE_UPDATED)).allSatisfy(e -> assertThat(
                ((Number) e.data().get("version")).longValue()).isGreaterThan(last));
    }

    @Test
    void aCorruptFileIsReportedInOneLineKeptAsideAndTheServiceStartsAsWithout() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{\"format\":1,\"version\":", StandardCharsets.UTF_8);
        RecordingTransport bus = new RecordingTransport();
        ManagementService s = service(bus, ManagementStateStore.file(file));
        sched.runUntil(0);
        assertThat(errors).singleElement().satisfies(line -> {
            assertThat(line).startsWith("management state " + file + " is corrupt: not JSON: ")
                    .contains("; kept as " + file + ".corrupt; starting from the inventory and the table versions heard")
                    .doesNotContain("\n");
        });
        assertThat(Files.readString(dir.resolve("state.json.corrupt"))).isEqualTo("{\"format\":1,\"version\":");
        assertThat(fulls(bus).get(0).version()).as("as without a state: the inventory's version").isEqualTo(2);
        assertThat(s.hosts()).extracting(HostView::name).containsExactly("H1", "H2", "H3");
        assertThat(ManagementState.decode(Files.readString(file)).version()).as("a good state written again")
                .isEqualTo(2);
    }

    @Test
    void anUnreadableFileIsReportedAndIgnored() throws IOException {
        Path file = dir.resolve("state.json");
        Files.createDirectories(file.resolve("not-a-file"));
        RecordingTransport bus = new RecordingTransport();
        service(bus, ManagementStateStore.file(file));
        sched.runUntil(0);
        assertThat(errors).singleElement().satisfies(line -> assertThat(line)
                .startsWith("cannot read management state " + file + ": ")
                .endsWith("; starting from the inventory and the table versions heard"));
        assertThat(fulls(bus).get(0).version()).isEqualTo(2);
    }

    @Test
    void restoreTakesANewerLeaseGenerationWithTheKeptSettingsAndTheInventorysVmsOnly() {
        FailoverTableEntry kept = entry("vm-a", "H1", VmState.RUNNING, 1).withSettings(RestartPriority.HIGH, null)
                .withAlternateHost("H3");
        FailoverTableEntry keptB = entry("vm-b", "H2", VmState.POWERED_OFF, 1).withSettings(RestartPriority.LOW,
                null);
        ManagementState s = new ManagementState(40, new TreeMap<>(), new TreeSet<>(), new TreeMap<>(),
                new TreeMap<>(), new FailoverTable(40, List.of(kept, keptB, entry("vm-gone", "H1", VmState.RUNNING,
                        1))));
        FailoverTable fromInventory = new FailoverTable(1, List.of(entry("vm-a", "H2", VmState.RUNNING, 2),
                entry("vm-b", "H2", VmState.FAILING_OVER, 1), entry("vm-new", null, VmState.POWERED_OFF, 0)));
        FailoverTable t = s.restore(fromInventory);
        assertThat(t.version()).isEqualTo(40);
        assertThat(t.entries()).extracting(FailoverTableEntry::vm).containsExactly("vm-a", "vm-b", "vm-new");
        assertThat(t.entries().get(0)).satisfies(e -> {
            assertThat(e.currentHost()).as("failed over while the service was away").isEqualTo("H2");
            assertThat(e.generation()).isEqualTo(2);
            assertThat(e.priority()).isEqualTo(RestartPriority.HIGH);
            assertThat(e.alternateHost()).isEqualTo("H3");
        });
        assertThat(t.entries().get(1)).as("the kept entry: no newer lease").isEqualTo(keptB);
        FailoverTable guessed = s.restore(new FailoverTable(1, List.of(entry("vm-b", "H1", VmState.FAILING_OVER, 5))));
        assertThat(guessed.entries()).as("a newer generation nobody holds is the inventory's guess: the kept entry")
                .containsExactly(keptB);
    }
}
