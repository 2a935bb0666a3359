/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;
import org.vmha.api.command.CommandNames;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.admission.AdmissionPolicies;
import org.vmha.core.command.CommandJson;
import org.vmha.core.admission.PolicySettings;
import org.vmha.core.admission.PolicyType;
import org.vmha.management.ManagementService;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.testkit.VirtualScheduler;
import org.vmha.testkit.InMemoryTransport;

/**
 * The NOC/shell handlers of the management service, without Karaf: argument checking, results, error codes.
 */
class ManagementCommandsTest {

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final Map<String, CommandHandler<?, ?>> handlers = new HashMap<>();
    private final ManagementService service;

    ManagementCommandsTest() {
        Map<String, ResourceVector> hosts = new TreeMap<>();
        hosts.put("H1", ResourceVector.of(4000, 4096));
        hosts.put("H2", ResourceVector.of(4000, 4096));
        FailoverTable table = new FailoverTable(1, List.of(
                new FailoverTableEntry("VM1", "lun-VM1", "H1", null, RestartPriority.HIGH, ResourceVector.of(500, 512),
                        VmState.RUNNING, 1),
                new FailoverTableEntry("VM2", "lun-VM2", null, null, RestartPriority.MEDIUM,
                        ResourceVector.of(500, 512), VmState.POWERED_OFF, 0)));
        service = new ManagementService(transport.endpoint("management"), sched, new AlternateHostPlanner(32), 1000,
                100_000, 5, table, hosts);
        service.start();
        sched.runUntil(1000);
        ManagementCommands.OnManagement direct = new ManagementCommands.OnManagement() {
            @Override
            public <T> T call(Function<ManagementService, T> work) {
                return work.apply(service);
            }
        };
        for (CommandHandler<?, ?> h : ManagementCommands.handlers(direct,
                () -> AdmissionPolicies.create(PolicySettings.defaults(PolicyType.SLOT)))) {
            handlers.put(h.name(), h);
        }
    }

    private static final CommandJson JSON = new CommandJson();

    /** Runs the command as the NOC does: the args bound to its request record, the result as the reply's JSON. */
    private Map<String, Object> run(String command, Map<String, Object> args) {
        return typed(handlers.get(command), command, args);
    }

    private static <A extends Record, R> Map<String, Object> typed(CommandHandler<A, R> h, String command,
            Map<String, Object> args) {
        A request = JSON.bind(command, JSON.mapper().valueToTree(args), h.requestType());
        return JSON.mapper().convertValue(JSON.write(h.handle(request)),
                new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() {
                });
    }

    private static String code(Throwable t) {
        return ((CommandException) t).code();
    }

    @Test
    void everyManagementCommandHasAHandler() {
        assertThat(handlers.keySet()).containsExactlyInAnyOrderElementsOf(CommandNames.MANAGEMENT);
    }

    @Test
    void powerOnAnswersWithTheEntryAndRefusesWhatIsWrong() {
        Map<String, Object> r = run("power-on", Map.of("vm", "VM2", "host", "H2"));
        assertThat(r).containsEntry("vm", "VM2").containsEntry("host", "H2").containsEntry("state", "STARTING")
                .containsEntry("priority", "medium");
        assertThatThrownBy(() -> run("power-on", Map.of("vm", "VM1"))).extracting(ManagementCommandsTest::code)
                .isEqualTo(CommandException.CONFLICT);
        assertThatThrownBy(() -> run("power-on", Map.of("vm", "VM9"))).hasMessage("unknown VM 'VM9'")
                .extracting(ManagementCommandsTest::code).isEqualTo(CommandException.NOT_FOUND);
        assertThatThrownBy(() -> run("power-on", Map.of())).hasMessage("command 'power-on' needs argument 'vm' (a string)");
        assertThatThrownBy(() -> run("power-on", Map.of("vm", "VM2", "force", true)))
                .hasMessage("command 'power-on' has no argument 'force'; it takes host, vm");
        assertThatThrownBy(() -> run("set", Map.of("vm", "VM1", "isolation", "shutdown")))
                .hasMessage("command 'set' has no argument 'isolation'; it takes alternate, ha, isolationResponse, "
                        + "priority, vm");
    }

    @Test
    void setTakesPriorityProtectionAndAnAlternateThatNullUnpins() {
        assertThat(run("set", Map.of("vm", "VM1", "priority", "Lowest"))).containsEntry("priority", "lowest");
        assertThat(run("set", Map.of("vm", "VM1", "ha", false))).containsEntry("priority", "disabled");
        assertThat(run("set", Map.of("vm", "VM1", "ha", true))).containsEntry("priority", "lowest")
                .containsEntry("isolationResponse", "cluster");
        assertThat(run("set", Map.of("vm", "VM1", "isolationResponse", "shutdown")))
                .containsEntry("isolationResponse", "shutdown");
        assertThat(run("set", Map.of("vm", "VM1", "alternate", "H2"))).containsEntry("alternate", "H2");
        assertThat(service.pins()).containsEntry("lun-VM1", "H2");
        Map<String, Object> unpin = new HashMap<>();
        unpin.put("vm", "VM1");
        unpin.put("alternate", null);
        run("set", unpin);
        assertThat(service.pins()).isEmpty();
        assertThatThrownBy(() -> run("set", Map.of("vm", "VM1", "priority", "urgent")))
                .hasMessage("priority 'urgent' is not one of disabled, lowest, low, medium, high, highest");
        assertThatThrownBy(() -> run("set", Map.of("vm", "VM1", "ha", "yes")))
                .hasMessage("argument 'ha' of command 'set' must be a boolean, got the string \"yes\"");
    }

    @Test
    void hostsMaintenanceStatusAndWhatIf() {
        Map<String, Object> added = run("host-add", Map.of("host", "H3", "capacity", Map.of("cpuMhz", 8000, "memoryMb", 8192)));
        assertThat(added).containsEntry("host", "H3").containsEntry("state", "FAILED").containsEntry("heardAgoMs", -1L);
        assertThatThrownBy(() -> run("host-add", Map.of("host", "H4"))).hasMessageContaining("needs argument 'capacity'");
        assertThat(run("maintenance", Map.of("host", "H2", "on", true))).containsEntry("maintenance", true);
        Map<String, Object> status = run("status", Map.of());
        assertThat(status.get("hostCounts")).isEqualTo(Map.of("connected", 1, "failed", 1, "maintenance", 1));
        assertThat(status.get("admission").toString()).contains("policy=slot");
        assertThat(run("what-if", Map.of("fail", List.of("H1"))).get("plans").toString()).contains("failed=[H1]");
        assertThatThrownBy(() -> run("what-if", Map.of("fail", List.of("H7")))).hasMessageStartingWith("unknown host 'H7'")
                .extracting(ManagementCommandsTest::code).isEqualTo(CommandException.NOT_FOUND);
        assertThat(run("host-remove", Map.of("host", "H3"))).containsEntry("host", "H3");
        assertThat(run("why", Map.of("vm", "VM1")).get("reasons").toString()).contains("VM VM1 is RUNNING on H1");
    }

    @Test
    void statusSaysWhetherTheConfiguredToleranceIsMetAndAnAddedHostNeverHeardDoesNotCount() {
        @SuppressWarnings("unchecked")
        Map<String, Object> admission = (Map<String, Object>) run("status", Map.of()).get("admission");
        assertThat(admission).containsEntry("policy", "slot").containsEntry("met", true).containsEntry("tolerated", 1)
                .containsEntry("hostFailures", 1).containsEntry("tolerance", "met: tolerates 1 host failure (1 configured)")
                .containsEntry("totalSlots", 16).doesNotContainKeys("reservedPercent", "failoverHosts");
        assertThat(List.copyOf(admission.keySet()).subList(0, 5))
                .containsExactly("policy", "met", "tolerated", "hostFailures", "tolerance");
        run("host-add", Map.of("host", "H3", "capacity", Map.of("cpuMhz", 8000, "memoryMb", 8192)));
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) run("status", Map.of()).get("admission");
        assertThat(after).as("H3 is not heard yet").containsEntry("totalSlots", 16).containsEntry("tolerated", 1);
        assertThatThrownBy(() -> run("what-if", Map.of("fail", List.of("H3"))))
                .hasMessage("host H3 is not heard yet: it counts for nothing, so its failure changes nothing")
                .extracting(ManagementCommandsTest::code).isEqualTo(CommandException.CONFLICT);

        Map<String, Object> two = ManagementCommandsTest.<org.vmha.api.command.request.StatusRequest, Object>typed(
                status(PolicySettings.defaults(PolicyType.SLOT).withHostFailures(2)), "status", Map.of());
        assertThat(two.get("admission").toString()).contains("met=false", "tolerated=1", "hostFailures=2",
                "tolerance=NOT MET: tolerates 1 of 2 host failures (used slots 1 > usable 0)");
    }

    @Test
    void statusNamesThePercentageTargetsAndTheDedicatedFailoverHosts() {
        Map<String, Object> pct = typed(status(PolicySettings.defaults(PolicyType.PERCENTAGE)), "status", Map.of());
        assertThat(pct.get("admission").toString()).contains("met=true", "reservedPercent={cpuMhz=25, memoryMb=25}",
                "tolerance=met: spare cpuMhz 93 % >= 25 %, memoryMb 93 % >= 25 % reserved");
        PolicySettings dedicated = new PolicySettings(PolicyType.DEDICATED, 1, null, null, null,
                new java.util.TreeSet<>(java.util.Set.of("H2")), 32);
        Map<String, Object> ded = typed(status(dedicated), "status", Map.of());
        assertThat(ded.get("admission").toString()).contains("met=true", "failoverHosts={H2=connected}",
                "tolerance=met: failover hosts H2 connected; 1 connected for 1 host failure");
    }

    /** The status handler under another policy. */
    @SuppressWarnings("unchecked")
    private CommandHandler<org.vmha.api.command.request.StatusRequest, Object> status(PolicySettings settings) {
        ManagementCommands.OnManagement direct = new ManagementCommands.OnManagement() {
            @Override
            public <T> T call(Function<ManagementService, T> work) {
                return work.apply(service);
            }
        };
        return (CommandHandler<org.vmha.api.command.request.StatusRequest, Object>) ManagementCommands
                .handlers(direct, () -> AdmissionPolicies.create(settings)).stream()
                .filter(h -> h.name().equals("status")).findFirst().orElseThrow();
    }
}
