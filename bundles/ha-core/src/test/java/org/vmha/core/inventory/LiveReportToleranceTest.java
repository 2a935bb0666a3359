/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmha.core.plan.TestClusters.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.core.admission.AdmissionPolicies;
import org.vmha.core.admission.PolicySettings;
import org.vmha.core.admission.PolicyType;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The live report (NOC {@code what-if}, {@code ha:admission}) says first whether the configured tolerance is met. */
class LiveReportToleranceTest {

    private final HaPlanReport report = new HaPlanReport();

    private static ClusterSnapshot cluster7() {
        var c = cluster().host("H1", 4000, 4000).host("H2", 4000, 4000).host("H3", 4000, 4000);
        for (int i = 0; i < 7; i++) {
            c.vm("vm" + i, "H" + (1 + i % 3), 1000, 1000);
        }
        return c.snapshot();
    }

    private static List<String> keys(ObjectNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theToleranceComesRightAfterThePolicy() {
        ObjectNode r = report.liveReport(AdmissionPolicies.create(PolicySettings.defaults(PolicyType.SLOT)
                .withHostFailures(2)), cluster7(), List.of());
        assertThat(keys(r).subList(0, 6)).containsExactly("policy", "hostFailures", "met", "tolerated", "tolerance",
                "slotSize");
        assertThat(r.path("met").asBoolean(true)).isFalse();
        assertThat(r.path("tolerated").asInt()).isEqualTo(1);
        assertThat(r.path("tolerance").asText())
                .isEqualTo("NOT MET: tolerates 1 of 2 host failures (used slots 7 > usable 4)");
        assertThat(r.has("reservedPercent")).isFalse();
        assertThat(r.path("plans").size()).as("each connected host alone").isEqualTo(3);
    }

    @Test
    void percentageAndDedicatedNameTheirTargetsAndHosts() {
        ObjectNode pct = report.liveReport(AdmissionPolicies.create(PolicySettings.defaults(PolicyType.PERCENTAGE)),
                cluster7(), List.of());
        assertThat(pct.path("reservedPercent").toString()).isEqualTo("{\"cpuMhz\":25,\"memoryMb\":25}");
        assertThat(pct.path("tolerance").asText()).isEqualTo("met: spare cpuMhz 41 % >= 25 %, memoryMb 41 % >= 25 % "
                + "reserved");
        ObjectNode ded = report.liveReport(AdmissionPolicies.create(new PolicySettings(PolicyType.DEDICATED, 1, null,
                null, null, new TreeSet<>(Set.of("H3")), 32)), cluster7(), List.of());
        assertThat(ded.path("failoverHosts").toString()).isEqualTo("{\"H3\":\"connected\"}");
        assertThat(ded.path("met").asBoolean()).isTrue();
    }

    @Test
    void withoutAPolicyOnlyNone() {
        assertThat(keys(report.liveReport(null, cluster7(), List.of()))).containsExactly("policy", "requests", "plans");
    }
}
