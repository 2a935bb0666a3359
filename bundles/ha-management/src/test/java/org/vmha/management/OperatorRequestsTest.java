/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.vmha.api.command.reply.MaintenanceResult;
import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.event.EventTypes;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.testkit.RecordingTransport;
import org.vmha.testkit.VirtualScheduler;

/**
 * Every operator request's refusals, with its code and sentence, on a management service without agents: three
 * hosts of 4,000 MHz / 4,096 MB; vm-a (3,000 MB) runs on H1, vm-b (1,000 MB) on H2, vm-big (5,000 MB) and vm-off
 * are powered off, vm-wait waits for capacity after H3 failed.
 */
class OperatorRequestsTest {

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final RecordingTransport bus = new RecordingTransport();
    private final ManagementService mgmt;

    OperatorRequestsTest() {
        Map<String, ResourceVector> hosts = new TreeMap<>();
        for (String h : List.of("H1", "H2", "H3")) {
            hosts.put(h, ResourceVector.of(4000, 4096));
        }
        FailoverTable table = new FailoverTable(1, List.of(
                entry("vm-a", "H1", 3000, VmState.RUNNING),
                entry("vm-b", "H2", 1000, VmState.RUNNING),
                entry("vm-big", null, 5000, VmState.POWERED_OFF),
                entry("vm-off", null, 500, VmState.POWERED_OFF),
                entry("vm-wait", "H3", 500, new VmState.RestartPending("no host has 500 memoryMb free"))));
        mgmt = new ManagementService(bus, sched, new AlternateHostPlanner(32), 1000, 100_000, 5, table, hosts);
        mgmt.start();
    }

    private static FailoverTableEntry entry(String vm, String host, long memory, VmState state) {
        return new FailoverTableEntry(vm, "lun-" + vm, host, null, RestartPriority.MEDIUM,
                ResourceVector.of(500, memory), state, 1);
    }

    private static void refused(ThrowingCallable call, String code, String message) {
        assertThatThrownBy(call).isInstanceOf(CommandException.class).hasMessage(message)
                .satisfies(t -> assertThat(((CommandException) t).code()).isEqualTo(code));
    }

    /** A policy that refuses everything with the same reason. */
    private static AdmissionPolicy refusing(String reason) {
        return new AdmissionPolicy() {
            @Override
            public String type() {
                return "test";
            }

            @Override
            public int hostFailures() {
                return 1;
            }

            @Override
            public AdmissionDecision admit(ClusterSnapshot snapshot, AdmissionRequest request) {
                return AdmissionDecision.refuse(reason);
            }

            @Override
            public AdmissionReport report(ClusterSnapshot snapshot) {
                throw new UnsupportedOperationException("not used by the requests");
            }
        };
    }

    @Test
    void everyRequestNamesAMissingOrUnknownVm() {
        refused(() -> mgmt.powerOn(" ", null), CommandException.BAD_REQUEST, "a VM name is required");
        refused(() -> mgmt.powerOff("nope"), CommandException.NOT_FOUND, "unknown VM 'nope'");
        refused(() -> mgmt.migrate("nope", "H2"), CommandException.NOT_FOUND, "unknown VM 'nope'");
        refused(() -> mgmt.set("nope", RestartPriority.HIGH, null, null, null), CommandException.NOT_FOUND,
                "unknown VM 'nope'");
        refused(() -> mgmt.why(null), CommandException.BAD_REQUEST, "a VM name is required");
        assertThat(mgmt.find("lun-vm-a").vm()).as("a lun names the VM too").isEqualTo("vm-a");
    }

    @Test
    void powerOnRefusesAVmThatRunsOrWaitsAndHostsThatCannotTakeIt() {
        refused(() -> mgmt.powerOn("vm-a", null), CommandException.CONFLICT, "VM vm-a is already RUNNING on H1");
        refused(() -> mgmt.powerOn("vm-wait", null), CommandException.CONFLICT, "VM vm-wait is protected and waits "
                + "for capacity (no host has 500 memoryMb free); HA starts it as soon as a host has room");
        refused(() -> mgmt.powerOn("vm-off", "H9"), CommandException.NOT_FOUND, "unknown host 'H9'; known: H1, H2, H3");
        mgmt.maintenance("H3", true);
        refused(() -> mgmt.powerOn("vm-off", "H3"), CommandException.CONFLICT,
                "cannot power on VM vm-off on H3: the host is in maintenance mode");
        refused(() -> mgmt.powerOn("vm-big", null), CommandException.ADMISSION_DENIED,
                "power-on of VM vm-big refused: host H1 has 1096 memoryMb free, the VM needs 5000");
        assertThat(bus.events(EventTypes.ADMISSION_DENIED)).singleElement().satisfies(e -> assertThat(e.data())
                .containsEntry("vm", "vm-big").containsEntry("request", "power-on").containsEntry("policy", "none"));
        assertThat(mgmt.why("vm-big").lastDenial()).isEqualTo("host H1 has 1096 memoryMb free, the VM needs 5000");
    }

    @Test
    void powerOnRefusesAHostNotHeardFrom() {
        sched.runUntil(100_001);
        refused(() -> mgmt.powerOn("vm-off", "H2"), CommandException.CONFLICT,
                "cannot power on VM vm-off on H2: the host is not heard from (FAILED)");
        refused(() -> mgmt.powerOn("vm-off", null), CommandException.ADMISSION_DENIED,
                "power-on of VM vm-off refused: no connected host outside maintenance mode");
    }

    @Test
    void powerOnTakesTheHostWithMostFreeMemoryAndTheAdmissionPolicyHasTheLastWord() {
        mgmt.admission(() -> refusing("1 host failure would not be covered"));
        refused(() -> mgmt.powerOn("vm-off", "H3"), CommandException.ADMISSION_DENIED,
                "power-on of VM vm-off refused: test policy: 1 host failure would not be covered");
        assertThat(bus.events(EventTypes.ADMISSION_DENIED)).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("policy", "test").containsEntry("host", "H3"));
        mgmt.admission(null);
        FailoverTableEntry on = mgmt.powerOn("vm-off", null);
        assertThat(on.currentHost()).as("H3 holds nothing, H2 1,000 MB, H1 3,000 MB").isEqualTo("H3");
        assertThat(on.state()).isEqualTo(VmState.STARTING);
        assertThat(mgmt.why("vm-off").lastDenial()).as("forgotten once admitted").isNull();
    }

    @Test
    void powerOffRefusesAVmAlreadyOffOrMigrating() {
        refused(() -> mgmt.powerOff("vm-off"), CommandException.CONFLICT, "VM vm-off is already powered off");
        mgmt.migrate("vm-b", "H3");
        refused(() -> mgmt.powerOff("vm-b"), CommandException.CONFLICT,
                "VM vm-b is migrating; power it off once it runs on H3");
        assertThat(mgmt.powerOff("vm-wait").state()).as("a waiting VM is taken out of HA's hands")
                .isEqualTo(VmState.POWERED_OFF);
    }

    @Test
    void migrateRefusesAVmNotRunningTheSameHostAndADestinationWithoutRoom() {
        refused(() -> mgmt.migrate("vm-off", "H2"), CommandException.CONFLICT,
                "VM vm-off is POWERED_OFF; only a RUNNING VM can migrate");
        refused(() -> mgmt.migrate("vm-wait", "H2"), CommandException.CONFLICT,
                "VM vm-wait is RESTART_PENDING on H3; only a RUNNING VM can migrate");
        refused(() -> mgmt.migrate("vm-a", "H1"), CommandException.CONFLICT, "VM vm-a already runs on H1");
        refused(() -> mgmt.migrate("vm-a", "H9"), CommandException.NOT_FOUND, "unknown host 'H9'; known: H1, H2, H3");
        mgmt.powerOn("vm-off", "H2");
        refused(() -> mgmt.migrate("vm-a", "H2"), CommandException.ADMISSION_DENIED,
                "migrate of VM vm-a refused: host H2 has 2596 memoryMb free, the VM needs 3000");
        mgmt.admission(() -> refusing("no slot left"));
        refused(() -> mgmt.migrate("vm-b", "H3"), CommandException.ADMISSION_DENIED,
                "migrate of VM vm-b refused: test policy: no slot left");
        mgmt.admission(null);
        FailoverTableEntry m = mgmt.migrate("vm-b", "H3");
        assertThat(m.state()).isEqualTo(new VmState.Migrating("H2", "H3"));
        assertThat(m.currentHost()).isEqualTo("H2");
    }

    @Test
    void setRefusesNothingToChangeUnknownResponsesContradictionsAndImpossibleAlternates() {
        refused(() -> mgmt.set("vm-a", null, null, null, null), CommandException.BAD_REQUEST,
                "nothing to change for VM vm-a: give a priority, ha on|off, an alternate host or an isolation response");
        refused(() -> mgmt.set("vm-a", null, null, null, "reboot"), CommandException.BAD_REQUEST,
                "isolation response 'reboot' is not one of leave-powered-on, power-off, shutdown, cluster");
        refused(() -> mgmt.set("vm-a", RestartPriority.HIGH, false, null, null), CommandException.BAD_REQUEST,
                "priority high contradicts ha off for VM vm-a");
        refused(() -> mgmt.set("vm-a", null, null, "H1", null), CommandException.CONFLICT,
                "VM vm-a runs on H1; its alternate must be another host");
        refused(() -> mgmt.set("vm-a", null, null, "H9", null), CommandException.NOT_FOUND,
                "unknown host 'H9'; known: H1, H2, H3");
        mgmt.maintenance("H3", true);
        refused(() -> mgmt.set("vm-a", null, null, "H3", null), CommandException.CONFLICT,
                "host H3 is in maintenance mode and cannot be an alternate");
    }

    @Test
    void setRemembersThePriorityAcrossHaOffAndOnAndPinsAndUnpins() {
        mgmt.set("vm-a", RestartPriority.HIGH, null, null, null);
        assertThat(mgmt.set("vm-a", null, false, null, null).priority()).isEqualTo(RestartPriority.DISABLED);
        assertThat(mgmt.set("vm-a", null, true, null, null).priority()).isEqualTo(RestartPriority.HIGH);
        FailoverTableEntry pinned = mgmt.set("vm-a", null, null, "H2", null);
        assertThat(pinned.alternateHost()).isEqualTo("H2");
        assertThat(pinned.revision()).isEqualTo(4);
        assertThat(mgmt.pins()).containsExactly(Map.entry("lun-vm-a", "H2"));
        mgmt.set("vm-a", null, null, "", null);
        assertThat(mgmt.pins()).isEmpty();
        assertThat(bus.events(EventTypes.CONFIGURATION_CHANGED)).last()
                .satisfies(e -> assertThat(e.data().get("changes")).isEqualTo(java.util.Collections.singletonMap(
                        "alternate", null)));
    }

    @Test
    void addHostRefusesBadNamesCapacitiesAndHostsAlreadyThere() {
        refused(() -> mgmt.addHost("bad name", ResourceVector.of(1, 1)), CommandException.BAD_REQUEST,
                "host name 'bad name' must match " + org.vmha.api.storage.StorageNames.NAME_REGEX);
        refused(() -> mgmt.addHost("H4", ResourceVector.of(0, 1024)), CommandException.BAD_REQUEST,
                "host H4 needs a capacity with cpuMhz and memoryMb above 0, got " + ResourceVector.of(0, 1024));
        refused(() -> mgmt.addHost("H2", ResourceVector.of(1, 1)), CommandException.CONFLICT,
                "host H2 is already in the cluster");
        HostView v = mgmt.addHost("H4", ResourceVector.of(8000, 8192));
        assertThat(v.state()).as("failed until its agent is heard").isEqualTo(HostState.FAILED);
        assertThat(v.heardAgoMillis()).isEqualTo(-1);
    }

    @Test
    void removeHostRefusesAHostThatRunsVmsUnlessItFailed() {
        refused(() -> mgmt.removeHost("H9"), CommandException.NOT_FOUND, "unknown host 'H9'; known: H1, H2, H3");
        refused(() -> mgmt.removeHost("H1"), CommandException.CONFLICT,
                "host H1 still runs 1 VM(s) (vm-a); put it in maintenance mode first");
        mgmt.set("vm-b", null, null, "H1", null);
        sched.runUntil(100_001);
        HostView gone = mgmt.removeHost("H1");
        assertThat(gone.state()).isEqualTo(HostState.FAILED);
        assertThat(gone.vms()).isEqualTo(1);
        assertThat(mgmt.pins()).as("pins on a removed host go").isEmpty();
        assertThat(mgmt.hosts()).extracting(HostView::name).containsExactly("H2", "H3");
    }

    @Test
    void maintenanceRefusesAnUnknownHostAndKeepsWhatFitsNowhere() {
        refused(() -> mgmt.maintenance("H9", true), CommandException.NOT_FOUND, "unknown host 'H9'; known: H1, H2, H3");
        assertThat(mgmt.maintenance("H3", true).migrating()).as("nothing runs on H3").isEmpty();
        MaintenanceResult h2 = mgmt.maintenance("H2", true);
        assertThat(h2.migrating()).as("H1 has 1,096 MB free").containsExactly(Map.entry("vm-b", "H1"));
        MaintenanceResult h1 = mgmt.maintenance("H1", true);
        assertThat(h1.migrating()).isEmpty();
        assertThat(h1.stayed()).containsExactly(Map.entry("vm-a", "no connected host outside maintenance mode"));
        assertThat(TypedResultsTest.json(h1)).containsExactly(Map.entry("host", "H1"), Map.entry("maintenance", true),
                Map.entry("migrating", Map.of()), Map.entry("stayed", h1.stayed()));
        assertThat(bus.events(EventTypes.HOST_MAINTENANCE)).last().satisfies(e -> assertThat(e.data())
                .isEqualTo(TypedResultsTest.json(h1)));
        MaintenanceResult off = mgmt.maintenance("H3", false);
        assertThat(off.maintenance()).isFalse();
        assertThat(mgmt.hosts()).extracting(HostView::state).containsExactly(HostState.MAINTENANCE,
                HostState.MAINTENANCE, HostState.CONNECTED);
        mgmt.admission(() -> refusing("no slot left"));
        mgmt.maintenance("H3", true);
        mgmt.maintenance("H3", false);
        assertThat(mgmt.maintenance("H1", true).stayed()).as("the policy's refusal is the reason")
                .containsExactly(Map.entry("vm-a", "test policy: no slot left"));
    }
}
