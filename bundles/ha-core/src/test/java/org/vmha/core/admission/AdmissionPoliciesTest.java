/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmha.core.plan.TestClusters.cluster;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.TestClusters;

/**
 * The {@link AdmissionPoliciesTest} is responsible for the behaviour of each admission policy.
 *
 * @author vmha - Initial contribution
 */
class AdmissionPoliciesTest {

    private static PolicySettings settings(PolicyType t) {
        return PolicySettings.defaults(t);
    }

    /** Five hosts with 2 GB free each (10 GB in all) and a 4 GB VM to power on on a sixth. */
    private static ClusterSnapshot patentCluster() {
        TestClusters c = cluster();
        for (int i = 1; i <= 5; i++) {
            c.host("H" + i, 10_000, 8192);
            for (int j = 0; j < 3; j++) {
                c.vm("busy" + i + j, "H" + i, 100, 2048);
            }
        }
        return c.host("H6", 10_000, 8192).vm("big", "H6", 1000, 4096, RestartPriority.MEDIUM, false).snapshot();
    }

    @Test
    void patentExampleIsRefusedByExactAndSlotPolicies() {
        ClusterSnapshot s = patentCluster();
        assertThat(new ExactPolicy(settings(PolicyType.EXACT)).report(s).failoverCapacityHosts()).isEqualTo(2);
        AdmissionDecision exact = new ExactPolicy(settings(PolicyType.EXACT)).admit(s, AdmissionRequest.PowerOn.of("big"));
        assertThat(exact.admitted()).isFalse();
        assertThat(exact.reason()).contains("[H6]").contains("VM big cannot restart").contains("memoryMb=2048");

        AdmissionDecision slot = new SlotPolicy(settings(PolicyType.SLOT)).admit(s, AdmissionRequest.PowerOn.of("big"));
        assertThat(slot.admitted()).isFalse();
        assertThat(slot.reason()).contains("slots used after the operation 16 > usable 10");
    }

    @Test
    void slotFiguresFollowThePatent() {
        // slot = max reservation over powered-on protected VMs: cpu 2000, mem 1024
        ClusterSnapshot s = cluster().host("H1", 9000, 9216).host("H2", 9000, 9216).host("H3", 6000, 6144)
                .vm("VM1", "H1", 2000, 1024).vm("VM2", "H1", 500, 512).vm("VM3", "H2", 1000, 1024)
                .vm("unprot", "H3", 100, 100, RestartPriority.DISABLED, true)
                .vm("VM6", "H2", 3000, 512, RestartPriority.MEDIUM, false).snapshot();
        SlotPolicy p = new SlotPolicy(settings(PolicyType.SLOT));
        AdmissionReport r = p.report(s);
        assertThat(r.slotSize()).isEqualTo(ResourceVector.of(2000, 1024));
        assertThat(r.slotsPerHost()).containsExactly(Map.entry("H1", 4), Map.entry("H2", 4), Map.entry("H3", 3));
        assertThat(r.totalSlots()).isEqualTo(11);
        assertThat(r.usableSlots()).isEqualTo(7);
        assertThat(r.vmSlots()).containsOnlyKeys("VM1", "VM2", "VM3", "unprot");
        assertThat(r.usedSlots()).isEqualTo(4);
        assertThat(r.unreservedSlots()).isEqualTo(3);
        // 11 - 4 = 7 >= 4; 11 - 8 = 3 < 4
        assertThat(r.failoverCapacityHosts()).isEqualTo(1);
        // cpu: 24000 total, 3600 reserved -> 85%; mem: 24576 total, 2660 reserved -> 89%
        assertThat(r.failoverCapacityPercent()).containsEntry("cpuMhz", 85).containsEntry("memoryMb", 89);

        // VM6 raises the slot cpu to 3000: H1 3, H2 3, H3 2 slots = 8, usable 5, used 5 -> admitted
        AdmissionDecision d = p.admit(s, AdmissionRequest.PowerOn.of("VM6"));
        assertThat(d.admitted()).as(d.reason()).isTrue();
        assertThat(d.reason()).contains("5 <= usable 5");
    }

    @Test
    void slotCapMakesLargeVmsTakeSeveralSlots() {
        PolicySettings s = new PolicySettings(PolicyType.SLOT, 1, null, ResourceVector.of(Map.of("memoryMb", 1024L)),
                null, null, 32);
        ClusterSnapshot c = cluster().host("H1", 9000, 8192).host("H2", 9000, 8192).vm("big", "H1", 100, 3000)
                .vm("small", "H2", 100, 512).snapshot();
        SlotPolicy p = new SlotPolicy(s);
        AdmissionReport r = p.report(c);
        assertThat(r.slotSize()).isEqualTo(ResourceVector.of(100, 1024));
        assertThat(r.vmSlots()).containsEntry("big", 3).containsEntry("small", 1);
        assertThat(r.slotsPerHost()).containsEntry("H1", 8);
        assertThat(r.usedSlots()).isEqualTo(4);
        assertThat(r.usableSlots()).isEqualTo(8);
    }

    @Test
    void minimumSlotAppliesWhenVmsAreTiny() {
        ClusterSnapshot c = cluster().host("H1", 320, 1000).host("H2", 320, 1000).vm("tiny", "H1", 1, 0).snapshot();
        AdmissionReport r = new SlotPolicy(settings(PolicyType.SLOT)).report(c);
        assertThat(r.slotSize().get("cpuMhz")).isEqualTo(32);
        assertThat(r.slotsPerHost()).containsEntry("H1", 10);
    }

    @Test
    void maintenanceAndRemovedHostsDoNotCountButFailedMembersDo() {
        ClusterSnapshot c = cluster().host("A", 1000, 1000).host("M", 1000, 1000, HostState.MAINTENANCE, false)
                .host("F", 1000, 1000, HostState.FAILED, false).host("R", 1000, 1000, HostState.REMOVED, false)
                .vm("v", "A", 100, 100).snapshot();
        AdmissionReport r = new SlotPolicy(settings(PolicyType.SLOT)).report(c);
        assertThat(r.slotsPerHost()).containsOnlyKeys("A", "F");
        assertThat(r.totalSlots()).isEqualTo(20);
    }

    @Test
    void unreservedSlotsNeverNegative() {
        ClusterSnapshot c = cluster().host("A", 1000, 1000).vm("a", "A", 500, 500).vm("b", "A", 500, 500).snapshot();
        AdmissionReport r = new SlotPolicy(settings(PolicyType.SLOT)).report(c);
        assertThat(r.usableSlots()).isZero();
        assertThat(r.usedSlots()).isEqualTo(2);
        assertThat(r.unreservedSlots()).isZero();
        assertThat(r.failoverCapacityHosts()).isZero();
    }

    @Test
    void raisingAReservationIsGatedAndLoweringIsNot() {
        ClusterSnapshot c = cluster().host("A", 4000, 4000).host("B", 4000, 4000).vm("a", "A", 1000, 1000)
                .vm("b", "B", 1000, 1000).snapshot();
        for (PolicyType t : new PolicyType[] {PolicyType.SLOT, PolicyType.EXACT }) {
            AbstractAdmissionPolicy<?> p = AdmissionPolicies.create(settings(t));
            assertThat(p.admit(c, new AdmissionRequest.ChangeReservation("a", ResourceVector.of(3500, 1000)))
                    .admitted()).as(t.id()).isFalse();
            assertThat(p.admit(c, new AdmissionRequest.ChangeReservation("a", ResourceVector.of(500, 500)))
                    .admitted()).as(t.id()).isTrue();
        }
    }

    @Test
    void percentagePolicyRefusesBelowConfiguredPercent() {
        ClusterSnapshot c = cluster().host("A", 10_000, 10_000).host("B", 10_000, 10_000).vm("a", "A", 10_000, 1000)
                .vm("n", "A", 6000, 1000, RestartPriority.MEDIUM, false)
                .vm("m", "B", 4000, 1000, RestartPriority.MEDIUM, false).snapshot();
        PercentagePolicy p = new PercentagePolicy(settings(PolicyType.PERCENTAGE));
        assertThat(p.report(c).failoverCapacityPercent()).containsEntry("cpuMhz", 50).containsEntry("memoryMb", 95);
        AdmissionDecision refuse = p.admit(c, new AdmissionRequest.PowerOn("n", "B"));
        assertThat(refuse.admitted()).isFalse();
        assertThat(refuse.reason()).contains("cpuMhz 20% < 25%").contains("memoryMb 90% >= 25%");
        AdmissionDecision ok = p.admit(c, new AdmissionRequest.PowerOn("m", "B"));
        assertThat(ok.admitted()).as(ok.reason()).isTrue();
        assertThat(ok.reason()).contains("cpuMhz 30% >= 25%");
    }

    @Test
    void dedicatedPolicyRefusesUserOperationsOnFailoverHostsButPlansRestartsThere() {
        PolicySettings s = new PolicySettings(PolicyType.DEDICATED, 1, null, null, null, new TreeSet<>(Set.of("Z")), 32);
        ClusterSnapshot c = cluster().host("A", 10_000, 10_000).host("Z", 10_000, 10_000)
                .vm("v", "A", 100, 100, RestartPriority.MEDIUM, false).snapshot();
        DedicatedFailoverHostsPolicy p = new DedicatedFailoverHostsPolicy(s);
        AdmissionDecision onZ = p.admit(c, new AdmissionRequest.PowerOn("v", "Z"));
        assertThat(onZ.admitted()).isFalse();
        assertThat(onZ.reason()).contains("dedicated failover host");
        FailoverTableEntry in = new FailoverTableEntry("w", "lun-w", "Z", null, null, ResourceVector.of(1, 1),
                VmState.RUNNING, 0);
        assertThat(p.admit(c, new AdmissionRequest.MigrateIn(in)).admitted()).isFalse();
        assertThat(p.admit(c, new AdmissionRequest.PowerOn("v", "A")).admitted()).isTrue();
        // a failed failover host no longer refuses: it is not healthy (and not connected)
        ClusterSnapshot failedZ = cluster().host("A", 10_000, 10_000).host("Z", 10_000, 10_000, HostState.FAILED, false)
                .vm("v", "A", 100, 100, RestartPriority.MEDIUM, false).snapshot();
        assertThat(p.admit(failedZ, new AdmissionRequest.PowerOn("v", "Z")).reason()).contains("host is failed");
    }

    @Test
    void commonChecksNameTheProblem() {
        ClusterSnapshot c = cluster().host("A", 1000, 1000).host("M", 1000, 1000, HostState.MAINTENANCE, false)
                .vm("on", "A", 100, 100).vm("off", "A", 5000, 100, RestartPriority.MEDIUM, false).snapshot();
        SlotPolicy p = new SlotPolicy(settings(PolicyType.SLOT));
        assertThat(p.admit(c, AdmissionRequest.PowerOn.of("nope")).reason()).isEqualTo("unknown VM 'nope'");
        assertThat(p.admit(c, AdmissionRequest.PowerOn.of("on")).reason()).contains("already powered on");
        assertThat(p.admit(c, new AdmissionRequest.PowerOn("off", "M")).reason()).contains("host is maintenance");
        assertThat(p.admit(c, new AdmissionRequest.PowerOn("off", "X")).reason()).isEqualTo("unknown host 'X'");
        assertThat(p.admit(c, AdmissionRequest.PowerOn.of("off")).reason())
                .contains("host A has only 900 cpuMhz free, VM off needs 5000");
        FailoverTableEntry dup = new FailoverTableEntry("other-name", "lun-on", "A", null, null, ResourceVector.of(1, 1),
                VmState.RUNNING, 0);
        assertThat(p.admit(c, new AdmissionRequest.MigrateIn(dup)).reason())
                .isEqualTo("a VM with lun lun-on is already in the cluster");
        // a lun equal to another VM's name is still found
        ClusterSnapshot tricky = cluster().host("A", 1000, 1000).vm("x", "A", 1, 1)
                .entry(new FailoverTableEntry("lun-x-name", "x", "A", null, null, ResourceVector.of(1, 1),
                        VmState.RUNNING, 0)).snapshot();
        assertThat(p.admit(tricky, new AdmissionRequest.MigrateIn(new FailoverTableEntry("new", "x", "A", null, null,
                ResourceVector.of(1, 1), VmState.RUNNING, 0))).reason()).contains("lun x is already");
        TreeMap<String, Long> gpu = new TreeMap<>(Map.of("gpus", 1L));
        assertThat(p.admit(c, new AdmissionRequest.ChangeReservation("on", new ResourceVector(gpu))).reason())
                .contains("resource 'gpus' that no host offers");
    }

    @Test
    void exactAdmitsWhatSlotRefusesOnHeterogeneousVms() {
        // one large VM sets a huge slot, so slot counting wastes the small VMs' room
        TestClusters c = cluster().host("A", 16_000, 16_384).host("B", 16_000, 16_384).host("C", 16_000, 16_384)
                .vm("large", "A", 8000, 8192);
        for (int i = 0; i < 6; i++) {
            c.vm("s" + i, i % 2 == 0 ? "B" : "C", 500, 512);
        }
        c.vm("next", "B", 500, 512, RestartPriority.MEDIUM, false);
        ClusterSnapshot s = c.snapshot();
        assertThat(new SlotPolicy(settings(PolicyType.SLOT)).admit(s, AdmissionRequest.PowerOn.of("next")).admitted())
                .isFalse();
        assertThat(new ExactPolicy(settings(PolicyType.EXACT)).admit(s, AdmissionRequest.PowerOn.of("next")).admitted())
                .isTrue();
        assertThat(new ExactPolicy(settings(PolicyType.EXACT)).report(s).failoverCapacityHosts()).isEqualTo(2);
    }

    @Test
    void exactAdmitsAtLeastAsManyAsSlotOnAHeterogeneousStream() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        TestClusters c = cluster();
        for (int h = 0; h < 6; h++) {
            c.host("H" + h, 20_000 + 10_000 * (h % 3), 65_536 + 32_768 * (h % 3));
        }
        for (int v = 0; v < 300; v++) {
            boolean large = rnd.nextInt(10) == 0;
            c.vm(String.format("v%03d", v), null, large ? 2000 + rnd.nextInt(2000) : 100 + rnd.nextInt(400),
                    large ? 8192 + rnd.nextInt(8192) : 512 + rnd.nextInt(2048), RestartPriority.MEDIUM, false);
        }
        int[] admitted = new int[2];
        PolicyType[] types = {PolicyType.SLOT, PolicyType.EXACT };
        for (int i = 0; i < 2; i++) {
            AbstractAdmissionPolicy<?> p = AdmissionPolicies.create(settings(types[i]));
            ClusterSnapshot s = c.snapshot();
            for (FailoverTableEntry e : c.vms()) {
                AbstractAdmissionPolicy.Outcome o = p.evaluate(s, AdmissionRequest.PowerOn.of(e.vm()));
                if (o.decision().admitted()) {
                    admitted[i]++;
                    s = o.after();
                }
            }
        }
        assertThat(admitted[0]).isPositive();
        assertThat(admitted[1]).isGreaterThanOrEqualTo(admitted[0] * 12 / 10);
    }

    @Test
    void exactChecksEveryPairWhenToleratingTwoFailures() {
        ClusterSnapshot s = cluster().host("A", 1000, 1000).host("B", 1000, 1000).host("C", 1000, 1000)
                .vm("a", "A", 400, 400).vm("b", "B", 400, 400)
                .vm("c", "C", 400, 400, RestartPriority.MEDIUM, false).snapshot();
        ExactPolicy one = new ExactPolicy(settings(PolicyType.EXACT));
        ExactPolicy two = new ExactPolicy(settings(PolicyType.EXACT).withHostFailures(2));
        assertThat(one.admit(s, AdmissionRequest.PowerOn.of("c")).admitted()).isTrue();
        AdmissionDecision d = two.admit(s, AdmissionRequest.PowerOn.of("c"));
        assertThat(d.admitted()).isFalse();
        assertThat(d.reason()).startsWith("if [A, B] fail");
    }

    @Test
    void evaluateAppliesAdmittedRequests() {
        ClusterSnapshot s = cluster().host("A", 1000, 1000).host("B", 1000, 1000)
                .vm("x", "A", 400, 400, RestartPriority.MEDIUM, false).snapshot();
        AbstractAdmissionPolicy.Outcome o = new ExactPolicy(settings(PolicyType.EXACT)).evaluate(s,
                AdmissionRequest.PowerOn.of("x"));
        assertThat(o.decision().admitted()).isTrue();
        assertThat(o.after().table().entries()).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(VmState.RUNNING));
    }

    @Test
    void settingsGuardTheirValues() {
        assertThatThrownBy(() -> new PolicySettings(PolicyType.SLOT, 0, null, null, null, null, 32))
                .hasMessageContaining("hostFailures");
        assertThatThrownBy(() -> PolicyType.parse("bogus")).hasMessageContaining("slot, percentage, dedicated, exact");
        assertThatThrownBy(() -> new PolicySettings(PolicyType.SLOT, 1, null, null,
                ResourceVector.of(Map.of("cpuMhz", 101L)), null, 32)).hasMessageContaining("reservedPercent.cpuMhz");
    }
}
