/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.command.CommandException;

/**
 * The commands that change the cluster ({@code ha:vm-power-on}, {@code vm-power-off}, {@code vm-migrate},
 * {@code vm-set}, {@code host-add}, {@code host-maintenance}, {@code host-remove}) and {@code ha:why}: the arguments
 * each passes to the management service's handler, what it prints of the answer, the option errors it finds
 * itself (before calling anything) and the handler's errors it passes on.
 */
class ChangeCommandsTest {

    private ShellFixture shell;

    @BeforeEach
    void setUp() throws Exception {
        shell = new ShellFixture();
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void withoutTheManagementServiceEveryChangeSaysWhatIsMissing() {
        VmPowerOnCommand on = shell.wire(new VmPowerOnCommand());
        on.vm = "VM01";
        assertThatThrownBy(on::doExecute).isInstanceOf(IllegalStateException.class)
                .hasMessage("the management service does not run on this node (component org.vmha.management, "
                        + "feature ha-management): 'power-on' is not available");
        HostRemoveCommand remove = shell.wire(new HostRemoveCommand());
        remove.host = "H1";
        assertThatThrownBy(remove::doExecute).hasMessageContaining("'host-remove' is not available");
    }

    @Test
    void powerOnPassesTheHostOnlyWhenGivenAndPrintsWhereItStarts() throws Exception {
        shell.handler("power-on", map("vm", "VM01", "state", "STARTING", "host", "H4"));
        VmPowerOnCommand on = shell.wire(new VmPowerOnCommand());
        on.vm = "VM01";
        on.doExecute();
        on.host = "H4";
        on.doExecute();
        assertThat(shell.calls.get("power-on")).containsExactly(map("vm", "VM01"), map("vm", "VM01", "host", "H4"));
        assertThat(shell.out()).contains("VM VM01 is STARTING on H4; its agent boots it under a new lease "
                + "(ha:events --type vm.powered-on)");
    }

    @Test
    void aHandlersRefusalReachesTheOperatorAsItsMessage() {
        shell.handler("power-on", args -> {
            throw new CommandException(CommandException.NOT_FOUND, "unknown VM 'nope'");
        });
        VmPowerOnCommand on = shell.wire(new VmPowerOnCommand());
        on.vm = "nope";
        assertThatThrownBy(on::doExecute).isInstanceOf(CommandException.class).hasMessage("unknown VM 'nope'");
        assertThat(shell.out()).isEmpty();
    }

    @Test
    void powerOffSaysWhoStopsTheVmOrOnlyItsState() throws Exception {
        shell.handler("power-off", args -> "VM01".equals(args.get("vm"))
                ? map("vm", "VM01", "state", "POWERED_OFF", "host", "H1")
                : map("vm", "VM02", "state", "POWERED_OFF", "host", null));
        VmPowerOffCommand off = shell.wire(new VmPowerOffCommand());
        off.vm = "VM01";
        off.doExecute();
        off.vm = "VM02";
        off.doExecute();
        assertThat(shell.calls.get("power-off")).containsExactly(map("vm", "VM01"), map("vm", "VM02"));
        assertThat(shell.out().lines()).containsExactly(
                "VM VM01 is POWERED_OFF; H1 stops it and releases its lease",
                "VM VM02 is POWERED_OFF");
    }

    @Test
    void migratePassesTheDestinationAndPrintsBothHosts() throws Exception {
        shell.handler("migrate", map("vm", "VM05", "host", "H2", "destination", "H3"));
        VmMigrateCommand m = shell.wire(new VmMigrateCommand());
        m.vm = "VM05";
        m.host = "H3";
        m.doExecute();
        assertThat(shell.calls.get("migrate")).containsExactly(map("vm", "VM05", "host", "H3"));
        assertThat(shell.out()).isEqualToIgnoringNewLines("VM VM05 is MIGRATING from H2 to H3 (ha:events --type vm.migrated)");
    }

    @Test
    void vmSetPassesOnlyTheOptionsGivenWithNoneUnpinningAndHaAsABoolean() throws Exception {
        shell.handler("set", map("vm", "VM03", "priority", "highest", "alternate", "H4", "isolationResponse", "shutdown",
                "state", "RUNNING", "host", "H1"));
        VmSetCommand set = shell.wire(new VmSetCommand());
        set.vm = "VM03";
        set.priority = "highest";
        set.alternate = "H4";
        set.isolationResponse = "shutdown";
        set.doExecute();
        assertThat(shell.out()).isEqualToIgnoringNewLines(
                "VM VM03: priority highest, alternate H4, isolation response shutdown, RUNNING on H1");

        VmSetCommand unpin = shell.wire(new VmSetCommand());
        unpin.vm = "VM03";
        unpin.alternate = "NONE";
        unpin.ha = "OFF";
        unpin.doExecute();
        VmSetCommand protect = shell.wire(new VmSetCommand());
        protect.vm = "VM03";
        protect.ha = "on";
        protect.doExecute();
        assertThat(shell.calls.get("set")).containsExactly(
                map("vm", "VM03", "priority", "highest", "alternate", "H4", "isolationResponse", "shutdown"),
                map("vm", "VM03", "ha", false, "alternate", null),
                map("vm", "VM03", "ha", true));
    }

    @Test
    void vmSetRefusesAnHaThatIsNeitherOnNorOffWithoutCallingTheService() {
        shell.handler("set", map());
        VmSetCommand set = shell.wire(new VmSetCommand());
        set.vm = "VM03";
        set.ha = "maybe";
        assertThatThrownBy(set::doExecute).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--ha must be on or off, got 'maybe'");
        assertThat(shell.calls).isEmpty();
    }

    @Test
    void vmSetPrintsADashForAnUnpinnedAlternateAndEscapesNames() throws Exception {
        shell.handler("set", map("vm", "VM\u001b[2J", "priority", "low", "alternate", null, "isolationResponse", "cluster",
                "state", "RUNNING", "host", "H1"));
        VmSetCommand set = shell.wire(new VmSetCommand());
        set.vm = "VM03";
        set.priority = "low";
        set.doExecute();
        assertThat(shell.out()).doesNotContain("\u001b").contains("priority low, alternate -, isolation response cluster");
    }

    @Test
    void hostAddParsesTheCapacityIntoWholeNumbers() throws Exception {
        shell.handler("host-add", map("host", "H9", "capacity", new TreeMap<>(Map.of("cpuMhz", 8000L, "memoryMb", 8192L)),
                "state", "FAILED"));
        HostAddCommand add = shell.wire(new HostAddCommand());
        add.host = "H9";
        add.capacity = " cpuMhz = 8000 ,memoryMb=8192";
        add.doExecute();
        assertThat(shell.calls.get("host-add")).containsExactly(map("host", "H9", "capacity",
                new TreeMap<>(Map.of("cpuMhz", 8000L, "memoryMb", 8192L))));
        assertThat(shell.out()).isEqualToIgnoringNewLines(
                "Host H9 added with 8.0 GHz / 8.0 GiB; FAILED until its agent is heard");
    }

    @Test
    void hostAddNamesTheBadPartOfTheCapacity() {
        assertThatThrownBy(() -> HostAddCommand.parse("cpuMhz=8000,memoryMb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--capacity: 'memoryMb' is not name=amount, e.g. cpuMhz=16000,memoryMb=16384");
        assertThatThrownBy(() -> HostAddCommand.parse("=5"))
                .hasMessage("--capacity: '=5' is not name=amount, e.g. cpuMhz=16000,memoryMb=16384");
        assertThatThrownBy(() -> HostAddCommand.parse("cpuMhz=lots"))
                .hasMessage("--capacity: amount of cpuMhz is not a whole number: 'lots'");
        assertThatThrownBy(() -> HostAddCommand.parse("cpuMhz=1.5"))
                .hasMessage("--capacity: amount of cpuMhz is not a whole number: '1.5'");
    }

    @Test
    void hostMaintenanceTakesOnOrOffInAnyCaseAndListsTheMovesAndWhatStays() throws Exception {
        shell.handler("maintenance", args -> Boolean.TRUE.equals(args.get("on"))
                ? map("migrating", new TreeMap<>(Map.of("VM16", "H1")), "stayed", new TreeMap<>(Map.of("VM17",
                        "no host has room")))
                : map("migrating", Map.of(), "stayed", Map.of()));
        HostMaintenanceCommand m = shell.wire(new HostMaintenanceCommand());
        m.host = "H4";
        m.mode = "ON";
        m.doExecute();
        m.mode = "off";
        m.doExecute();
        assertThat(shell.calls.get("maintenance")).containsExactly(map("host", "H4", "on", true),
                map("host", "H4", "on", false));
        assertThat(shell.out().lines()).containsExactly(
                "Host H4 is in maintenance mode; migrating VM16 to H1",
                "  VM17 stays: no host has room",
                "Host H4 left maintenance mode");
    }

    @Test
    void hostMaintenanceRefusesAnotherModeWithoutCallingTheService() {
        shell.handler("maintenance", map());
        HostMaintenanceCommand m = shell.wire(new HostMaintenanceCommand());
        m.host = "H1";
        m.mode = "maybe";
        assertThatThrownBy(m::doExecute).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mode must be on or off, got 'maybe'");
        assertThat(shell.calls).isEmpty();
    }

    @Test
    void hostRemovePrintsTheRemovedHostAndPassesOnAConflict() throws Exception {
        shell.handler("host-remove", args -> {
            if (args.get("host").equals("H1")) {
                throw new CommandException(CommandException.CONFLICT, "host H1 still runs 5 VM(s)");
            }
            return map("host", args.get("host"));
        });
        HostRemoveCommand r = shell.wire(new HostRemoveCommand());
        r.host = "H9";
        r.doExecute();
        assertThat(shell.out()).isEqualToIgnoringNewLines("Host H9 removed from the cluster");
        r.host = "H1";
        assertThatThrownBy(r::doExecute).hasMessage("host H1 still runs 5 VM(s)");
        assertThat(shell.calls.get("host-remove")).containsExactly(map("host", "H9"), map("host", "H1"));
    }

    @Test
    void whyPrintsOneEscapedLinePerReasonOrTheJson() throws Exception {
        shell.handler("why", map("vm", "VM01", "reasons", List.of("VM VM01 is RUNNING on H1.",
                "If H1 failed now, it would restart on H2.\u202E")));
        WhyCommand why = shell.wire(new WhyCommand());
        why.name = "VM01";
        why.doExecute();
        assertThat(shell.out().lines()).containsExactly("VM VM01 is RUNNING on H1.",
                "If H1 failed now, it would restart on H2.\\u202E");
        shell.resetOut();
        why.json = true;
        why.doExecute();
        assertThat(shell.out()).contains("\"vm\" : \"VM01\"").contains("\"reasons\" : [");
        assertThat(shell.calls.get("why")).containsExactly(map("vm", "VM01"), map("vm", "VM01"));
    }

    /** What the management service answers for a partitioned H2 (as WhyHostTest in ha-management builds it). */
    private static Map<String, Object> h2() {
        return map("host", "H2", "state", "FAILED", "peerStatus", "PARTITIONED", "since", "2026-12-02T14:00:15Z",
                "declaredBy", "management", "failureTimeoutMs", 15000L, "network",
                map("at", "2026-12-02T14:00:00Z", "agoMs", 35200L, "sequence", 118L), "datastore",
                map("at", "2026-12-02T14:00:34.700Z", "agoMs", 500L, "sequence", 153L), "isolationMarker", null,
                "leases", List.of("VM03", "VM07"), "vms", List.of("VM03", "VM07"), "reasons", List.of(
                        "Host H2 is FAILED since 2026-12-02T14:00:15Z (20.2 s ago), declared by the management "
                                + "service: no heartbeat heard within the failure timeout of 15.0 s.",
                        "Network channel: last heartbeat 35.2 s ago (sequence 118).",
                        "Datastore channel: last heartbeat 0.5 s ago (sequence 153).",
                        "Its datastore heartbeat is fresh while the network is silent: it is partitioned or isolated "
                                + "and still holds its leases; nothing is restarted unless it leaves an isolation "
                                + "marker.",
                        "It left no isolation marker.", "It holds the lease of 2 VM(s): VM03, VM07.",
                        "The failover table places 2 VM(s) on it: VM03, VM07."));
    }

    private void agentSeeing(String host, org.vmha.api.transport.PeerView... peers) {
        org.vmha.agent.AgentStatus a = org.mockito.Mockito.mock(org.vmha.agent.AgentStatus.class);
        org.mockito.Mockito.lenient().when(a.host()).thenReturn(host);
        org.mockito.Mockito.lenient().when(a.peers()).thenReturn(List.of(peers));
        org.mockito.Mockito.lenient().when(a.storageReachable()).thenReturn(true);
        shell.agent(a);
    }

    @Test
    void whyOfAHostPrintsTheEvidenceAndWhatEachAgentOfThisNodeSees() throws Exception {
        shell.handler("why", h2());
        agentSeeing("H1", new org.vmha.api.transport.PeerView("H2", org.vmha.api.transport.PeerStatus.PARTITIONED,
                35200, 500));
        agentSeeing("H2");
        agentSeeing("H3", new org.vmha.api.transport.PeerView("H2", org.vmha.api.transport.PeerStatus.FAILED,
                35300, 16000));
        WhyCommand why = shell.wire(new WhyCommand());
        why.name = "H2";
        why.doExecute();
        assertThat(shell.out().lines()).startsWith(
                "Host H2 is FAILED since 2026-12-02T14:00:15Z (20.2 s ago), declared by the management service: no "
                        + "heartbeat heard within the failure timeout of 15.0 s.",
                "Network channel: last heartbeat 35.2 s ago (sequence 118).")
                .contains("What this node's agents see of H2:");
        String table = shell.out().replaceAll(" +", " ");
        assertThat(table).contains("H1 | PARTITIONED | 35.2 s ago | 0.5 s ago")
                .contains("H2 | itself: not isolated | - | own writes ok")
                .contains("H3 | FAILED | 35.3 s ago | 16.0 s ago");

        shell.resetOut();
        why.json = true;
        why.doExecute();
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(shell.out());
        assertThat(j.path("host").asText()).isEqualTo("H2");
        assertThat(j.path("peerStatus").asText()).isEqualTo("PARTITIONED");
        assertThat(j.path("datastore").path("agoMs").asLong()).isEqualTo(500);
        assertThat(j.path("isolationMarker").isNull()).isTrue();
        assertThat(j.path("leases").toString()).isEqualTo("[\"VM03\",\"VM07\"]");
        assertThat(j.path("agents")).hasSize(3);
        assertThat(j.path("agents").get(0).path("status").asText()).isEqualTo("PARTITIONED");
        assertThat(j.path("agents").get(1).path("status").asText()).isEqualTo("SELF");
        assertThat(shell.calls.get("why")).containsExactly(map("vm", "H2"), map("vm", "H2"));
    }

    @Test
    void whyHostAsksAmongTheHostsOnlyAndAnUnknownNameIsTheServicesOneLine() throws Exception {
        shell.handler("why", args -> {
            if ("nope".equals(args.get("vm"))) {
                throw new CommandException(CommandException.NOT_FOUND, "unknown VM or host 'nope'");
            }
            return h2();
        });
        WhyCommand why = shell.wire(new WhyCommand());
        why.name = "H2";
        why.host = true;
        why.doExecute();
        assertThat(shell.out()).contains("Host H2 is FAILED");
        why.name = "nope";
        why.host = false;
        assertThatThrownBy(why::doExecute).hasMessage("unknown VM or host 'nope'");
        assertThat(shell.calls.get("why")).containsExactly(map("host", "H2"), map("vm", "nope"));
    }
}
