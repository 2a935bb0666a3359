/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.lenient;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.agent.AgentStatus;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventHistory;
import org.vmha.api.event.EventTypes;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.messaging.DeadLetters;
import org.vmha.api.messaging.MessageRefusals;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.event.EventRing;
import org.vmha.api.transport.PeerStatus;
import org.vmha.api.transport.PeerView;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The commands that show the cluster ({@code ha:cluster}, {@code hosts}, {@code vms}, {@code admission},
 * {@code dlq}, {@code simulate}) and the name completers: what they read from the management service's handlers,
 * this node's agents and the broker's services, the table and {@code --json} they print, and the errors when a
 * piece is missing or an option is wrong.
 */
class ListingCommandsTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private ShellFixture shell;

    @TempDir
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        shell = new ShellFixture();
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("karaf.home");
        System.clearProperty("karaf.base");
        System.clearProperty("karaf.data");
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static FailoverTableEntry entry(String vm, String host, String alternate, VmState state, long generation) {
        return new FailoverTableEntry(vm, "lun-" + vm, host, alternate, RestartPriority.HIGH, ResourceVector.of(1000, 1024),
                state, generation);
    }

    private AgentStatus agent(String host, long version, List<FailoverTableEntry> entries, List<RunningVm> running,
            List<PeerView> peers, boolean isolated) {
        AgentStatus a = mock(AgentStatus.class);
        lenient().when(a.host()).thenReturn(host);
        lenient().when(a.replica()).thenReturn(new FailoverTable(version, entries));
        lenient().when(a.runningVms()).thenReturn(running);
        lenient().when(a.peers()).thenReturn(peers);
        lenient().when(a.isolated()).thenReturn(isolated);
        shell.agent(a);
        return a;
    }

    private static RunningVm running(String vm, long resumedFrom) {
        return new RunningVm(vm, "lun-" + vm, 3, false, 0, resumedFrom, ResourceVector.ZERO);
    }

    private Map<String, Object> status() {
        return map("tableVersion", 42L,
                "hostCounts", map("connected", 3, "failed", 1, "maintenance", 0),
                "hosts", List.of(
                        map("host", "H1", "state", "CONNECTED", "capacity", map("cpuMhz", 16000, "memoryMb", 16384),
                                "reserved", map("cpuMhz", 2000, "memoryMb", 2048), "load", map("cpuMhz", 1500, "memoryMb", 3000),
                                "vms", 2),
                        map("host", "H2", "state", "FAILED", "capacity", map("cpuMhz", 16000, "memoryMb", 16384),
                                "reserved", Map.of(), "load", null, "vms", 0)),
                "vms", map("total", 20, "protected", 19, "byState", map("running", 18, "powered-off", 2)),
                "admission", map("policy", "slot", "hostFailures", 1, "failoverCapacityHosts", 2,
                        "failoverCapacityPercent", map("cpuMhz", 50, "memoryMb", 60), "slotsPerHost", map("H1", 16, "H2", 16)));
    }

    // ------------------------------------------------------------------ ha:cluster

    @Test
    void clusterSummarisesTheStatusTheIsolatedLocalHostsAndTheLastFailover() throws Exception {
        shell.handler("status", status());
        agent("H1", 1, List.of(), List.of(), List.of(), false);
        agent("H3", 1, List.of(), List.of(), List.of(), true);
        EventRing ring = new EventRing(10, e -> {
        });
        ring.add(CloudEvent.of("/vmha/agent/H1", EventTypes.VM_RESTARTED, Instant.parse("2026-11-27T09:59:00Z"), "VM0", Map.of()));
        ring.add(CloudEvent.of("/vmha/agent/H1", EventTypes.HOST_FAILED, Instant.parse("2026-11-27T10:00:00Z"), "H2", Map.of()));
        ring.add(CloudEvent.of("/vmha/agent/H1", EventTypes.VM_RESTARTED, Instant.parse("2026-11-27T10:00:03Z"), "VM6", Map.of()));
        ring.add(CloudEvent.of("/vmha/agent/H1", EventTypes.VM_RESTARTED, Instant.parse("2026-11-27T10:00:04Z"), "VM7", Map.of()));
        shell.register(EventHistory.class, ring, null, null);

        ClusterCommand c = shell.wire(new ClusterCommand());
        c.noFormat = true;
        c.doExecute();
        String out = shell.out().replaceAll(" *\t *", "\t");
        assertThat(out).contains("Hosts up\t3").contains("Hosts down\t1").contains("Hosts in maintenance\t0")
                .contains("Hosts isolated (this node)\tH3").contains("VMs\t20").contains("VMs protected\t19")
                .contains("VMs running\t18").contains("VMs restart pending\t0").contains("VMs powered off\t2")
                .contains("Admission policy\tslot (tolerates 1 host failure(s))")
                .contains("Failover capacity\t2 host(s); CPU 50%, memory 60%")
                .contains("Last failover\tH2 failed at 2026-11-27T10:00:00Z, 2 VM(s) restarted")
                .contains("Table version\t42");

        shell.resetOut();
        c.json = true;
        c.doExecute();
        JsonNode json = mapper.readTree(shell.out());
        assertThat(json.path("isolatedLocalHosts").toString()).isEqualTo("[\"H3\"]");
        assertThat(json.path("hosts").path("failed").asInt()).isEqualTo(1);
        assertThat(json.path("hostCounts")).as("the NOC's name of the counts too").isEqualTo(json.path("hosts"));
        assertThat(json.path("lastFailover").path("restarted").asInt()).isEqualTo(2);
        assertThat(shell.calls.get("status")).containsExactly(Map.of(), Map.of());
    }

    @Test
    void clusterWithoutEventsSaysNoFailoverWasSeen() throws Exception {
        shell.handler("status", status());
        ClusterCommand c = shell.wire(new ClusterCommand());
        c.noFormat = true;
        c.doExecute();
        assertThat(shell.out().replaceAll(" *\t *", "\t")).contains("Last failover\tnone seen by this node")
                .contains("Hosts isolated (this node)\t0");
    }

    // ------------------------------------------------------------------ ha:hosts

    @Test
    void hostsJoinTheStatusWithTheFreshestPeerViewAndMarkTheLocalAgentsOwnHost() throws Exception {
        shell.handler("status", status());
        agent("H1", 1, List.of(), List.of(), List.of(new PeerView("H2", PeerStatus.FAILED, 9000, 8000)), false);
        agent("H3", 1, List.of(), List.of(), List.of(new PeerView("H1", PeerStatus.ALIVE, 300, 1200),
                new PeerView("H2", PeerStatus.FAILED, 7000, 9500)), false);
        HostsCommand h = shell.wire(new HostsCommand());
        h.json = true;
        h.doExecute();
        JsonNode rows = mapper.readTree(shell.out());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("host").asText()).isEqualTo("H1");
        assertThat(rows.get(0).path("localAgent").asBoolean()).isTrue();
        assertThat(rows.get(0).path("slots").asInt()).isEqualTo(16);
        assertThat(rows.get(0).path("networkHeartbeatAgeMs").asLong()).as("H3's view of H1").isEqualTo(300);
        assertThat(rows.get(1).path("networkHeartbeatAgeMs").asLong()).as("the fresher of two views").isEqualTo(7000);
        assertThat(rows.get(1).path("datastoreHeartbeatAgeMs").asLong()).isEqualTo(9500);
        assertThat(rows.get(1).path("peerStatus").asText()).isEqualTo("FAILED");
        assertThat(rows.get(1).path("localAgent").asBoolean()).isFalse();
        assertThat(rows.get(1).get("load").isNull()).as("a failed host's load is null").isTrue();
        assertThat(rows.get(0).path("load").path("cpuMhz").asLong()).isEqualTo(1500);

        shell.resetOut();
        h.json = false;
        h.noFormat = true;
        h.doExecute();
        String out = shell.out().replaceAll(" *\t *", "\t");
        assertThat(out).contains("H1\tCONNECTED\t16.0 GHz / 16.0 GiB\t2.0 GHz / 2.0 GiB\t1.5 GHz / 2.9 GiB\t16\t2\t0.3 s"
                + "\t1.2 s").as("a failed host's load is unknown, not its last one")
                .contains("H2\tFAILED\t16.0 GHz / 16.0 GiB\t-\tunknown\t16\t0\t7.0 s\t9.5 s");
    }

    @Test
    void aHostOnlyItsOwnAgentKnowsShowsLocalForItsHeartbeatAges() throws Exception {
        shell.handler("status", status());
        agent("H1", 1, List.of(), List.of(), List.of(), false);
        HostsCommand h = shell.wire(new HostsCommand());
        h.noFormat = true;
        h.doExecute();
        assertThat(shell.out().replaceAll(" *\t *", "\t")).contains("\t16\t2\tlocal\tlocal").contains("\t0\t-\t-");
    }

    // ------------------------------------------------------------------ ha:vms

    @Test
    void vmsListTheNewestReplicaWithWhereEachRunsAndHowItStarted() throws Exception {
        agent("H1", 5, List.of(entry("VM01", "H1", "H2", VmState.RUNNING, 1)), List.of(running("VM01", -1)), List.of(), false);
        agent("H2", 7, List.of(entry("VM01", "H1", "H2", VmState.RUNNING, 1), entry("VM02", "H2", null, VmState.RUNNING, 4),
                entry("VM03", null, null, VmState.POWERED_OFF, 2)), List.of(running("VM02", 12)), List.of(), false);
        VmsCommand v = new VmsCommand();
        v.session = shell.session;
        v.bundleContext = shell.context;
        v.noFormat = true;
        v.doExecute();
        String out = shell.out().replaceAll(" *\t *", "\t");
        assertThat(out).contains("VM01\tH1\tH2\thigh\tRUNNING\t1\tH1\tboot\t-\t0")
                .contains("VM02\tH2\t-\thigh\tRUNNING\t4\tH2\tcheckpoint 12\t-\t0")
                .contains("VM03\t-\t-\thigh\tPOWERED_OFF\t2\t\t-\t-\t0");

        shell.resetOut();
        v.json = true;
        v.doExecute();
        JsonNode rows = mapper.readTree(shell.out());
        assertThat(rows).as("the replica of version 7").hasSize(3);
        assertThat(rows.get(1).path("runningOn").toString()).isEqualTo("[\"H2\"]");
        assertThat(rows.get(1).path("resumedFromCheckpoint").asLong()).isEqualTo(12);
        assertThat(rows.get(2).path("state").asText()).isEqualTo("POWERED_OFF");
    }

    @Test
    void vmsWithoutAnAgentSayWhatToInstall() {
        VmsCommand v = new VmsCommand();
        v.session = shell.session;
        v.bundleContext = shell.context;
        assertThatThrownBy(v::doExecute).isInstanceOf(IllegalStateException.class)
                .hasMessage("no HA agent runs on this node (feature ha-agent, etc/org.vmha.agent-<host>.cfg)");
    }

    // ------------------------------------------------------------------ ha:peers

    @Test
    void peersShowEachLocalAgentsOwnViewWithoutTheManagementService() throws Exception {
        // no "status" handler registered: the management service is away
        AgentStatus h1 = agent("H1", 1, List.of(), List.of(), List.of(new PeerView("H2", PeerStatus.FAILED, 9000, 8000),
                new PeerView("H3", PeerStatus.ALIVE, 300, 1200)), false);
        when(h1.storageReachable()).thenReturn(true);
        AgentStatus h3 = agent("H3", 1, List.of(), List.of(), List.of(new PeerView("H1", PeerStatus.PARTITIONED,
                4000, 250)), true);
        when(h3.storageReachable()).thenReturn(false);
        PeersCommand p = shell.wire(new PeersCommand());
        p.json = true;
        p.doExecute();
        JsonNode rows = mapper.readTree(shell.out());
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).path("agent").asText()).isEqualTo("H1");
        assertThat(rows.get(0).path("peer").asText()).isEqualTo("H2");
        assertThat(rows.get(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(rows.get(0).path("networkHeartbeatAgeMs").asLong()).isEqualTo(9000);
        assertThat(rows.get(2).path("agent").asText()).isEqualTo("H3");
        assertThat(rows.get(2).path("agentIsolated").asBoolean()).isTrue();
        assertThat(rows.get(2).path("agentStorageReachable").asBoolean()).isFalse();

        shell.resetOut();
        p.json = false;
        p.noFormat = true;
        p.doExecute();
        String out = shell.out().replaceAll(" *\t *", "\t");
        assertThat(out).contains("H1\tH2\tFAILED\t9.0 s ago\t8.0 s ago\tno\treachable")
                .contains("H3\tH1\tPARTITIONED\t4.0 s ago\t0.3 s ago\tyes\tUNREACHABLE");
    }

    @Test
    void peersWithoutAnAgentSayWhatToInstall() {
        PeersCommand p = shell.wire(new PeersCommand());
        assertThatThrownBy(p::doExecute).isInstanceOf(IllegalStateException.class)
                .hasMessage("no HA agent runs on this node (feature ha-agent, etc/org.vmha.agent-<host>.cfg)");
    }

    // ------------------------------------------------------------------ ha:admission

    @Test
    void admissionPrintsTheWhatIfReportAsTablesOrJson() throws Exception {
        shell.handler("what-if", map("policy", "slot", "slotSize", map("cpuMhz", 1000, "memoryMb", 1024), "totalSlots", 64,
                "usedSlots", 20, "usableSlots", 48, "unreservedSlots", 28, "failoverCapacityHosts", 1,
                "failoverCapacityPercent", map("cpuMhz", 25, "memoryMb", 25), "slotsPerHost", new TreeMap<>(Map.of("H1", 16,
                        "H2", 16)), "plans", List.of()));
        AdmissionCommand a = shell.wire(new AdmissionCommand());
        a.noFormat = true;
        a.doExecute();
        String out = shell.out().replaceAll(" *\t *", "\t");
        assertThat(out).contains("policy\tslot").contains("slots (total/used/usable/unreserved)\t64/20/48/28")
                .contains("failover capacity (hosts)\t1").contains("H1\t16").contains("H2\t16");
        shell.resetOut();
        a.json = true;
        a.doExecute();
        assertThat(mapper.readTree(shell.out()).path("totalSlots").asInt()).isEqualTo(64);
        assertThat(shell.calls.get("what-if")).containsExactly(Map.of("fail", List.of()), Map.of("fail", List.of()));
    }

    // ------------------------------------------------------------------ ha:dlq

    private DeadLetters dlq() {
        DeadLetters d = mock(DeadLetters.class);
        lenient().when(d.count()).thenReturn(3L);
        lenient().when(d.limits()).thenReturn("each message expires after 1 h");
        lenient().when(d.list(50)).thenReturn(List.of(new DeadLetters.Letter(1, Instant.parse("2026-11-27T10:00:00Z")
                .toEpochMilli(), "ha.commands", "operator", "refused reply-to ha.heartbeat.host", 22, "{\"command\":\"status\"}"),
                new DeadLetters.Letter(2, 0, "ha.table", null, "refused by the size limits", -1, null)));
        shell.register(DeadLetters.class, d, null, null);
        return d;
    }

    @Test
    void dlqListsTheDeadLettersAndWhatThisNodeRefused() throws Exception {
        DeadLetters d = dlq();
        MessageRefusals refusals = () -> new TreeMap<>(Map.of("missing-mac", 4L, "oversized", 1L));
        shell.register(MessageRefusals.class, refusals, null, null);
        DlqCommand c = shell.wire(new DlqCommand());
        c.noFormat = true;
        c.doExecute();
        String out = shell.out().replaceAll(" *\t *", "\t");
        assertThat(out).contains("DLQ holds 3 message(s); each message expires after 1 h")
                .contains("2026-11-27T10:00:00Z\tha.commands\toperator\trefused reply-to ha.heartbeat.host\t22 chars")
                .contains("-\tha.table\t-\trefused by the size limits\t-\t-\n")
                .contains("Refused by this node's consumers and not kept: missing-mac=4 oversized=1");
        verify(d, never()).purge();

        shell.resetOut();
        c.json = true;
        c.doExecute();
        JsonNode json = mapper.readTree(shell.out());
        assertThat(json.path("count").asInt()).isEqualTo(3);
        assertThat(json.path("messages").get(0).path("user").asText()).isEqualTo("operator");
        assertThat(json.path("messages").get(1).path("time").isNull()).isTrue();
        assertThat(json.path("refusedByThisNode").path("missing-mac").asInt()).isEqualTo(4);
    }

    @Test
    void dlqPurgesOnlyWhenAskedAndSaysNoneWithoutRefusals() throws Exception {
        DeadLetters d = dlq();
        when(d.purge()).thenReturn(3L);
        DlqCommand c = shell.wire(new DlqCommand());
        c.noFormat = true;
        c.doExecute();
        assertThat(shell.out()).contains("Refused by this node's consumers and not kept: none");
        shell.resetOut();
        c.purge = true;
        c.doExecute();
        assertThat(shell.out()).isEqualToIgnoringNewLines("Purged 3 message(s) from DLQ");
    }

    @Test
    void dlqRefusesANegativeCountAndANodeWithoutBroker() {
        DlqCommand c = shell.wire(new DlqCommand());
        assertThatThrownBy(c::doExecute).isInstanceOf(IllegalStateException.class).hasMessage("no embedded broker on "
                + "this node (feature ha-broker): its dead-letter queue is on the broker's own node");
        c.max = -1;
        assertThatThrownBy(c::doExecute).isInstanceOf(IllegalArgumentException.class).hasMessage("-n must be >= 0, got -1");
    }

    // ------------------------------------------------------------------ ha:simulate

    @Test
    void simulateRefusesAScenarioItCannotReadAndADistributionWithoutTheSimulator() throws Exception {
        System.setProperty("karaf.home", home.toString());
        System.setProperty("karaf.base", home.toString());
        SimulateCommand s = new SimulateCommand();
        s.session = shell.session;
        s.scenario = "examples/none.json";
        assertThatThrownBy(s::doExecute).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read scenario examples/none.json: no such file");
        s.scenario = "/etc/passwd";
        assertThatThrownBy(s::doExecute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("refused to read scenario /etc/passwd: it is outside the distribution's directories");
        Files.createDirectories(home.resolve("examples"));
        Files.writeString(home.resolve("examples/crash.json"), "{}");
        s.scenario = "examples/crash.json";
        assertThatThrownBy(s::doExecute).isInstanceOf(IllegalStateException.class)
                .hasMessage("ha:simulate needs the simulator jar lib/tools/ha-sim-*-all.jar of the vmha distribution, and "
                        + home.resolve("lib/tools") + " has none");
    }

    // ------------------------------------------------------------------ completers

    @Test
    void completersOfferTheHostsAndVmsTheAgentsKnow() throws Exception {
        agent("H1", 3, List.of(entry("VM02", "H1", null, VmState.RUNNING, 1), entry("VM01", "H2", null, VmState.RUNNING, 1)),
                List.of(), List.of(new PeerView("H2", PeerStatus.ALIVE, 1, 1), new PeerView("H4", PeerStatus.FAILED, 1, 1)),
                false);
        agent("H3", 3, List.of(entry("VM09", "H3", null, VmState.RUNNING, 1)), List.of(), List.of(), false);
        CommandLine line = mock(CommandLine.class);
        when(line.getCursorArgument()).thenReturn("");
        when(line.getArgumentPosition()).thenReturn(0);

        HostNameCompleter hosts = new HostNameCompleter();
        hosts.bundleContext = shell.context;
        List<String> candidates = new ArrayList<>();
        hosts.complete(shell.session, line, candidates);
        // Karaf's StringsCompleter ends a whole word with the space that follows it
        assertThat(candidates).containsExactly("H1 ", "H2 ", "H3 ", "H4 ");

        VmNameCompleter vms = new VmNameCompleter();
        vms.bundleContext = shell.context;
        candidates.clear();
        vms.complete(shell.session, line, candidates);
        assertThat(candidates).as("the first agent's replica").containsExactly("VM01 ", "VM02 ");
    }
}
