/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.event.EventTypes;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.admission.AdmissionPolicies;
import org.vmha.core.admission.PolicySettings;
import org.vmha.core.admission.PolicyType;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.testkit.RecordingTransport;
import org.vmha.testkit.VirtualScheduler;

/**
 * Admission counts a host once it is heard and connected: a host added with {@code host-add} adds no slots until
 * its first heartbeat; one heard and then failed still counts (it is expected back).
 */
class HonestAdmissionTest {

    private static final ResourceVector HOST = ResourceVector.of(8000, 8192);

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final RecordingTransport bus = new RecordingTransport();
    private ManagementService mgmt;
    private AdmissionPolicy policy = AdmissionPolicies.create(PolicySettings.defaults(PolicyType.SLOT));

    /** H1..H3 of 8 slots each (slot 1,000 MHz / 1,024 MB); {@code vms} VMs of one slot run on H1..H3 in turn. */
    private void start(int vms) {
        Map<String, ResourceVector> caps = new TreeMap<>();
        for (String h : List.of("H1", "H2", "H3")) {
            caps.put(h, HOST);
        }
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            entries.add(new FailoverTableEntry("vm" + i, "lun-vm" + i, "H" + (1 + i % 3), null,
                    RestartPriority.MEDIUM, ResourceVector.of(1000, 1024), VmState.RUNNING, 1));
        }
        mgmt = new ManagementService(bus, sched, new AlternateHostPlanner(32), 1000, 3000, 60,
                new FailoverTable(1, entries), caps);
        mgmt.admission(() -> policy);
        mgmt.start();
    }

    private void heartbeat(String... hosts) {
        for (String h : hosts) {
            mgmt.onHeartbeat(new HostHeartbeat(h, 1, sched.nowMillis(), ResourceVector.ZERO, HOST));
        }
    }

    private AdmissionReport report() {
        return policy.report(mgmt.snapshot());
    }

    @Test
    void anAddedHostCountsOnlyOnceItIsHeard() {
        start(6);
        heartbeat("H1", "H2", "H3");
        assertThat(report().totalSlots()).isEqualTo(24);
        assertThat(report().failoverCapacityHosts()).isEqualTo(2);

        mgmt.addHost("H4", HOST);
        sched.runUntil(500);
        assertThat(report().slotsPerHost()).as("added, never heard").doesNotContainKey("H4");
        assertThat(report().totalSlots()).isEqualTo(24);
        assertThat(report().failoverCapacityHosts()).isEqualTo(2);

        heartbeat("H4");
        assertThat(report().slotsPerHost()).containsEntry("H4", 8);
        assertThat(report().totalSlots()).isEqualTo(32);
        assertThat(report().failoverCapacityHosts()).isEqualTo(3);

        sched.runUntil(3_400);
        heartbeat("H1", "H2", "H3");
        sched.runUntil(3_600);
        assertThat(mgmt.hosts()).filteredOn(v -> v.name().equals("H4")).singleElement()
                .satisfies(v -> assertThat(v.state()).isEqualTo(org.vmha.api.model.HostState.FAILED));
        assertThat(report().totalSlots()).as("heard, then failed: still a member, expected back").isEqualTo(32);
    }

    @Test
    void aConfiguredHostSilentSinceTheStartStopsCountingWhenItFails() {
        start(6);
        assertThat(report().totalSlots()).as("configured hosts count while connected from the start").isEqualTo(24);
        sched.runUntil(2_000);
        heartbeat("H1", "H2");
        sched.runUntil(3_500);
        assertThat(report().slotsPerHost()).containsOnlyKeys("H1", "H2");
    }

    @Test
    void anEventSaysWhenTheConfiguredToleranceStopsAndStartsBeingMet() {
        start(10);
        heartbeat("H1", "H2", "H3");
        sched.runUntil(1_000);
        assertThat(bus.events(EventTypes.ADMISSION_NOT_MET)).as("24 slots, 10 used: one failure is tolerated")
                .isEmpty();
        assertThat(bus.events(EventTypes.ADMISSION_MET)).as("met from the start: no news").isEmpty();

        policy = AdmissionPolicies.create(PolicySettings.defaults(PolicyType.SLOT).withHostFailures(2));
        sched.runUntil(2_000);
        assertThat(bus.events(EventTypes.ADMISSION_NOT_MET)).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("slot");
            assertThat(e.source()).isEqualTo("/vmha/management");
            assertThat(e.data()).containsEntry("policy", "slot").containsEntry("hostFailures", 2)
                    .containsEntry("tolerated", 1)
                    .containsEntry("reason", "NOT MET: tolerates 1 of 2 host failures (used slots 10 > usable 8)");
        });

        mgmt.addHost("H4", HOST);
        sched.runUntil(2_500);
        heartbeat("H1", "H2", "H3");
        sched.runUntil(3_000);
        assertThat(bus.events(EventTypes.ADMISSION_MET)).as("H4 added but not heard yet").isEmpty();

        heartbeat("H4");
        sched.runUntil(4_000);
        assertThat(bus.events(EventTypes.ADMISSION_MET)).singleElement().satisfies(e -> assertThat(e.data())
                .containsEntry("tolerated", 2).containsEntry("reason", "met: tolerates 2 host failures (2 configured)"));
        assertThat(bus.events(EventTypes.ADMISSION_NOT_MET)).as("each change once").hasSize(1);
    }

    @Test
    void aServiceThatStartsShortSaysSoAndNothingIsCheckedWithoutAPolicy() {
        policy = AdmissionPolicies.create(PolicySettings.defaults(PolicyType.SLOT).withHostFailures(2));
        start(10);
        sched.runUntil(500);
        assertThat(bus.events(EventTypes.ADMISSION_NOT_MET)).hasSize(1);
        policy = null;
        sched.runUntil(1_500);
        policy = AdmissionPolicies.create(PolicySettings.defaults(PolicyType.SLOT).withHostFailures(2));
        sched.runUntil(2_500);
        assertThat(bus.events(EventTypes.ADMISSION_NOT_MET)).as("a policy configured again starts afresh").hasSize(2);
        assertThat(bus.events(EventTypes.ADMISSION_MET)).isEmpty();
    }
}
