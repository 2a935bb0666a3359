/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ha:cluster} and {@code ha:admission} say plainly whether the admission policy's configured tolerance is met,
 * and show the percentage policy's targets and the dedicated policy's failover hosts.
 */
class ToleranceViewsTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private ShellFixture shell;

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> status(Map<String, Object> admission) {
        return map("tableVersion", 7L, "hostCounts", map("connected", 4, "failed", 0, "maintenance", 0),
                "hosts", List.of(), "vms", map("total", 19, "protected", 19, "byState", map("running", 19)),
                "admission", admission);
    }

    private String cluster(Map<String, Object> admission) throws Exception {
        shell = new ShellFixture();
        shell.handler("status", status(admission));
        ClusterCommand c = shell.wire(new ClusterCommand());
        c.noFormat = true;
        c.doExecute();
        return shell.out().replaceAll(" *\t *", "\t");
    }

    @Test
    void clusterSaysWhenTheToleranceIsNotMetAndWhenItIs() throws Exception {
        Map<String, Object> short1 = map("policy", "slot", "met", false, "tolerated", 1, "hostFailures", 2,
                "tolerance", "NOT MET: tolerates 1 of 2 host failures (used slots 19 > usable 16)",
                "failoverCapacityHosts", 1, "failoverCapacityPercent", map("cpuMhz", 40, "memoryMb", 41),
                "totalSlots", 48, "usedSlots", 19, "usableSlots", 16);
        assertThat(cluster(short1))
                .contains("Admission policy\tslot: NOT MET: tolerates 1 of 2 host failures (used slots 19 > usable 16)")
                .contains("Failover capacity\t1 host(s); CPU 40%, memory 41%")
                .doesNotContain("Reserved for failover").doesNotContain("Failover hosts");

        shell.resetOut();
        ClusterCommand c = shell.wire(new ClusterCommand());
        c.json = true;
        c.doExecute();
        JsonNode adm = mapper.readTree(shell.out()).path("admission");
        assertThat(adm.path("met").asBoolean(true)).isFalse();
        assertThat(adm.path("tolerated").asInt()).isEqualTo(1);
        assertThat(adm.path("hostFailures").asInt()).isEqualTo(2);
        assertThat(adm.has("reservedPercent")).as("not the percentage policy").isFalse();
    }

    @Test
    void clusterShowsThePercentageTargetsAndTheDedicatedFailoverHosts() throws Exception {
        assertThat(cluster(map("policy", "percentage", "met", true, "tolerated", 1, "hostFailures", 1,
                "tolerance", "met: spare cpuMhz 40 % >= 25 %, memoryMb 41 % >= 25 % reserved",
                "failoverCapacityHosts", 1, "failoverCapacityPercent", map("cpuMhz", 40, "memoryMb", 41),
                "reservedPercent", map("cpuMhz", 25, "memoryMb", 25))))
                .contains("Admission policy\tpercentage: met: spare cpuMhz 40 % >= 25 %, memoryMb 41 % >= 25 % reserved")
                .contains("Reserved for failover\tCPU 25%, memory 25%");
        assertThat(cluster(map("policy", "dedicated", "met", false, "tolerated", 1, "hostFailures", 1,
                "tolerance", "NOT MET: failover hosts H4 failed; 0 connected for 1 host failure",
                "failoverCapacityHosts", 1, "failoverHosts", map("H4", "failed"))))
                .contains("Admission policy\tdedicated: NOT MET: failover hosts H4 failed; 0 connected for 1 host failure")
                .contains("Failover hosts\tH4 failed");
    }

    @Test
    void clusterWithoutAPolicySaysNone() throws Exception {
        assertThat(cluster(map("policy", "none"))).contains("Admission policy\tnone\n");
    }

    @Test
    void admissionShowsTheToleranceAndThePolicysTargets() throws Exception {
        shell = new ShellFixture();
        shell.handler("what-if", map("policy", "percentage", "hostFailures", 1, "met", false, "tolerated", 1,
                "tolerance", "NOT MET: spare cpuMhz 20 % < 25 %, memoryMb 90 % >= 25 % reserved",
                "reservedPercent", map("cpuMhz", 25, "memoryMb", 25), "slotSize", map("cpuMhz", 1000),
                "totalSlots", 20, "usedSlots", 16, "usableSlots", 10, "unreservedSlots", 0,
                "failoverCapacityHosts", 1, "failoverCapacityPercent", map("cpuMhz", 20, "memoryMb", 90),
                "slotsPerHost", map("A", 10, "B", 10), "plans", List.of()));
        AdmissionCommand a = shell.wire(new AdmissionCommand());
        a.noFormat = true;
        a.doExecute();
        assertThat(shell.out().replaceAll(" *\t *", "\t"))
                .contains("tolerance\tNOT MET: spare cpuMhz 20 % < 25 %, memoryMb 90 % >= 25 % reserved")
                .contains("reserved for failover (%)\tCPU 25%, memory 25%");

        shell = new ShellFixture();
        shell.handler("what-if", map("policy", "dedicated", "hostFailures", 1, "met", true, "tolerated", 1,
                "tolerance", "met: failover hosts H4 connected; 1 connected for 1 host failure",
                "failoverHosts", map("H4", "connected"), "plans", List.of()));
        AdmissionCommand d = shell.wire(new AdmissionCommand());
        d.noFormat = true;
        d.doExecute();
        assertThat(shell.out().replaceAll(" *\t *", "\t")).contains("failover hosts\tH4 connected");
    }
}
