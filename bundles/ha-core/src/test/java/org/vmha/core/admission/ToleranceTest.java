/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmha.core.plan.TestClusters.cluster;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.HostState;

/**
 * Whether each policy's configured tolerance is met, the targets and hosts its report names, and the sentence every
 * view shows.
 */
class ToleranceTest {

    /** Three hosts of 4 slots (slot 1,000 MHz / 1,000 MB) and {@code vms} one-slot VMs on them. */
    private static ClusterSnapshot slots(int vms) {
        var c = cluster().host("H1", 4000, 4000).host("H2", 4000, 4000).host("H3", 4000, 4000);
        for (int i = 0; i < vms; i++) {
            c.vm("vm" + i, "H" + (1 + i % 3), 1000, 1000);
        }
        return c.snapshot();
    }

    private static PolicySettings n(PolicyType type, int hostFailures) {
        return PolicySettings.defaults(type).withHostFailures(hostFailures);
    }

    @Test
    void slotToleranceIsMetWhileTheUsedSlotsFitTheUsableOnes() {
        AdmissionReport met = new SlotPolicy(n(PolicyType.SLOT, 2)).report(slots(4));
        assertThat(met.met()).isTrue();
        assertThat(met.failoverCapacityHosts()).isEqualTo(2);
        assertThat(Tolerance.describe(met)).isEqualTo("met: tolerates 2 host failures (2 configured)");

        AdmissionReport short1 = new SlotPolicy(n(PolicyType.SLOT, 2)).report(slots(7));
        assertThat(short1.met()).isFalse();
        assertThat(short1.usedSlots()).isEqualTo(7);
        assertThat(short1.usableSlots()).isEqualTo(4);
        assertThat(Tolerance.describe(short1))
                .isEqualTo("NOT MET: tolerates 1 of 2 host failures (used slots 7 > usable 4)");
        assertThat(short1.reservedPercent()).isEmpty();
        assertThat(short1.failoverHosts()).isEmpty();

        assertThat(Tolerance.describe(new SlotPolicy(n(PolicyType.SLOT, 1)).report(slots(7))))
                .isEqualTo("met: tolerates 1 host failure (1 configured)");
    }

    @Test
    void exactToleranceUsesItsPlanBasedCapacity() {
        AdmissionReport r = new ExactPolicy(n(PolicyType.EXACT, 2)).report(slots(7));
        assertThat(r.met()).isFalse();
        assertThat(Tolerance.describe(r)).isEqualTo("NOT MET: tolerates 1 of 2 host failures");
    }

    @Test
    void percentageReportsItsTargetsAgainstTheSpareCapacity() {
        ClusterSnapshot c = cluster().host("A", 10_000, 10_000).host("B", 10_000, 10_000).vm("a", "A", 10_000, 1000)
                .vm("b", "B", 6000, 1000).snapshot();
        AdmissionReport r = new PercentagePolicy(PolicySettings.defaults(PolicyType.PERCENTAGE)).report(c);
        assertThat(r.reservedPercent()).containsEntry("cpuMhz", 25).containsEntry("memoryMb", 25);
        assertThat(r.failoverCapacityPercent()).containsEntry("cpuMhz", 20).containsEntry("memoryMb", 90);
        assertThat(r.met()).isFalse();
        assertThat(Tolerance.describe(r)).isEqualTo("NOT MET: spare cpuMhz 20 % < 25 %, memoryMb 90 % >= 25 % reserved");

        ClusterSnapshot room = cluster().host("A", 10_000, 10_000).host("B", 10_000, 10_000).vm("a", "A", 1000, 1000)
                .snapshot();
        AdmissionReport ok = new PercentagePolicy(PolicySettings.defaults(PolicyType.PERCENTAGE)).report(room);
        assertThat(ok.met()).isTrue();
        assertThat(Tolerance.describe(ok)).isEqualTo("met: spare cpuMhz 95 % >= 25 %, memoryMb 95 % >= 25 % reserved");
    }

    @Test
    void dedicatedReportsItsFailoverHostsAndWhetherTheyAreConnected() {
        PolicySettings s = new PolicySettings(PolicyType.DEDICATED, 1, null, null, null,
                new TreeSet<>(Set.of("Y", "Z")), 32);
        ClusterSnapshot up = cluster().host("A", 10_000, 10_000).host("Z", 10_000, 10_000)
                .vm("v", "A", 100, 100).snapshot();
        AdmissionReport r = new DedicatedFailoverHostsPolicy(s).report(up);
        assertThat(r.failoverHosts()).containsExactly(java.util.Map.entry("Y", "unknown"),
                java.util.Map.entry("Z", "connected"));
        assertThat(r.met()).isTrue();
        assertThat(Tolerance.describe(r)).isEqualTo("met: failover hosts Y unknown, Z connected; 1 connected for 1 "
                + "host failure");

        ClusterSnapshot down = cluster().host("A", 10_000, 10_000).host("Z", 10_000, 10_000, HostState.FAILED, false)
                .vm("v", "A", 100, 100).snapshot();
        AdmissionReport d = new DedicatedFailoverHostsPolicy(s).report(down);
        assertThat(d.met()).isFalse();
        assertThat(Tolerance.describe(d)).isEqualTo("NOT MET: failover hosts Y unknown, Z failed; 0 connected for 1 "
                + "host failure");

        AdmissionReport none = new DedicatedFailoverHostsPolicy(PolicySettings.defaults(PolicyType.DEDICATED))
                .report(up);
        assertThat(none.met()).isFalse();
        assertThat(Tolerance.describe(none)).isEqualTo("NOT MET: no failover host configured, 1 host failure to "
                + "tolerate");
    }
}
