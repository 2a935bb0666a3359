/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmha.core.plan.TestClusters.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;

/**
 * The {@link FailoverPlannerTest} is responsible for the planner's order, capacity and determinism.
 *
 * @author vmha - Initial contribution
 */
class FailoverPlannerTest {

    private final FailoverPlanner planner = new FailoverPlanner();

    @Test
    void patentExampleTenGbFreeAsTwoGbOnFiveHostsCannotRestartOneFourGbVm() {
        TestClusters c = cluster();
        for (int i = 1; i <= 5; i++) {
            c.host("H" + i, 10_000, 8192).vm("busy" + i, "H" + i, 1000, 6144);
        }
        c.host("H6", 10_000, 8192).vm("big", "H6", 1000, 4096);

        FailoverPlan plan = planner.plan(c.snapshot(), Set.of("H6"));

        assertThat(plan.placements()).isEmpty();
        assertThat(plan.unplaced()).singleElement().satisfies(u -> {
            assertThat(u.vm()).isEqualTo("big");
            assertThat(u.reason()).contains("insufficient capacity").contains("memoryMb=2048");
        });
    }

    @Test
    void placesHighestPriorityFirstWhenCapacityIsShort() {
        ClusterSnapshot s = cluster().host("A", 10_000, 4096).host("B", 10_000, 4096)
                .vm("low", "A", 100, 3000, RestartPriority.LOW, true)
                .vm("high", "A", 100, 3000, RestartPriority.HIGH, true)
                .vm("off", "A", 100, 3000, RestartPriority.HIGHEST, false)
                .vm("unprotected", "A", 100, 10, RestartPriority.DISABLED, true).snapshot();

        FailoverPlan plan = planner.plan(s, Set.of("A"));

        assertThat(plan.placementMap()).containsExactly(Map.entry("high", "B"));
        assertThat(plan.unplaced()).extracting(FailoverPlan.Unplaced::vm).containsExactly("low");
        assertThat(plan.failed()).containsExactly("A");
        assertThat(plan.tableVersion()).isEqualTo(7);
    }

    @Test
    void orderWithinPriorityIsLargestFirstThenName() {
        ClusterSnapshot s = cluster().host("A", 10_000, 100_000).host("B", 10_000, 100_000)
                .vm("b", "A", 100, 1000).vm("a", "A", 100, 1000).vm("big", "A", 100, 5000)
                .vm("z", "A", 100, 1000, RestartPriority.HIGHEST, true).snapshot();

        assertThat(planner.plan(s, Set.of("A")).placementMap().keySet()).containsExactly("z", "big", "a", "b");
    }

    @Test
    void samePlanWhateverTheInputOrder() {
        TestClusters c = cluster();
        Random rnd = new Random(42);
        for (int h = 0; h < 8; h++) {
            c.host("H" + h, 20_000, 65_536);
        }
        for (int v = 0; v < 120; v++) {
            c.vm("vm" + v, "H" + rnd.nextInt(8), 100 + rnd.nextInt(2000), 256 + rnd.nextInt(4096),
                    RestartPriority.values()[1 + rnd.nextInt(5)], true);
        }
        FailoverPlan first = planner.plan(c.snapshot(), List.of("H3", "H5"));
        for (int i = 0; i < 5; i++) {
            List<Host> hosts = new ArrayList<>(c.hosts());
            List<FailoverTableEntry> vms = new ArrayList<>(c.vms());
            Collections.shuffle(hosts, new Random(i));
            Collections.shuffle(vms, new Random(i + 100));
            FailoverPlan again = planner.plan(new ClusterSnapshot(hosts, new FailoverTable(7, vms)), List.of("H5", "H3"));
            assertThat(again).isEqualTo(first);
        }
    }

    @Test
    void neverExceedsSurvivorCapacity() {
        TestClusters c = cluster().host("A", 4000, 4000).host("B", 4000, 4000).host("C", 4000, 4000);
        for (int v = 0; v < 10; v++) {
            c.vm("vm" + v, "A", 700, 300);
        }
        c.vm("onB", "B", 3000, 3000);
        FailoverPlan plan = planner.plan(c.snapshot(), Set.of("A"));
        long cpuOnB = 3000 + plan.placements().stream().filter(p -> p.host().equals("B")).count() * 700;
        long cpuOnC = plan.placements().stream().filter(p -> p.host().equals("C")).count() * 700;
        assertThat(cpuOnB).isLessThanOrEqualTo(4000);
        assertThat(cpuOnC).isLessThanOrEqualTo(4000);
        assertThat(plan.placements()).hasSize(6);
        assertThat(plan.unplaced()).hasSize(4);
    }

    @Test
    void restartsGoToFailoverHostsFirst() {
        ClusterSnapshot s = cluster().host("A", 10_000, 10_000).host("B", 10_000, 10_000)
                .host("Z", 10_000, 10_000, HostState.CONNECTED, true).vm("v", "A", 100, 100).snapshot();
        assertThat(planner.plan(s, Set.of("A")).placementMap()).containsExactly(Map.entry("v", "Z"));
    }

    @Test
    void onlyConnectedHostsSurvive() {
        ClusterSnapshot s = cluster().host("A", 10_000, 10_000)
                .host("M", 10_000, 10_000, HostState.MAINTENANCE, false)
                .host("F", 10_000, 10_000, HostState.FAILED, false)
                .host("R", 10_000, 10_000, HostState.REMOVED, false).vm("v", "A", 100, 100).snapshot();
        FailoverPlan plan = planner.plan(s, Set.of("A"));
        assertThat(plan.unplaced()).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("no surviving connected host"));
    }

    @Test
    void honoursAlternateHostWhenItFitsElseFallsBack() {
        TestClusters c = cluster().host("A", 10_000, 10_000).host("B", 10_000, 10_000).host("C", 10_000, 10_000)
                .vm("fill", "C", 9000, 9000);
        c.entry(new FailoverTableEntry("x", "lun-x", "A", "B", RestartPriority.MEDIUM,
                org.vmha.api.model.ResourceVector.of(100, 100), VmState.RUNNING, 1));
        c.entry(new FailoverTableEntry("y", "lun-y", "A", "C", RestartPriority.MEDIUM,
                org.vmha.api.model.ResourceVector.of(2000, 2000), VmState.RUNNING, 1));
        FailoverPlan plan = planner.plan(c.snapshot(), Set.of("A"));
        assertThat(plan.placementMap()).containsEntry("x", "B").containsEntry("y", "B");
    }

    @Test
    void concurrencyLimitSplitsRestartsIntoWaves() {
        TestClusters c = cluster().host("A", 100_000, 100_000).host("B", 100_000, 100_000);
        for (int v = 0; v < 5; v++) {
            c.vm("vm" + v, "A", 10, 10);
        }
        FailoverPlan plan = new FailoverPlanner(2, true).plan(c.snapshot(), Set.of("A"));
        assertThat(plan.maxConcurrentRestartsPerHost()).isEqualTo(2);
        assertThat(plan.placements()).extracting(FailoverPlan.Placement::wave).containsExactly(0, 0, 1, 1, 2);
        assertThat(new FailoverPlanner().maxConcurrentRestartsPerHost()).isEqualTo(32);
    }

    @Test
    void alternatesAreEachHostsSingleFailurePlanWithPins() {
        ClusterSnapshot s = cluster().host("A", 10_000, 10_000).host("B", 10_000, 10_000).host("C", 10_000, 10_000)
                .vm("a1", "A", 1000, 1000).vm("b1", "B", 1000, 1000).vm("off", "A", 1000, 1000,
                        RestartPriority.MEDIUM, false)
                .snapshot();
        FailoverTable t = new AlternateHostPlanner(32).compute(s, Map.of("lun-b1", "A"));
        Map<String, String> alt = new java.util.HashMap<>();
        t.entries().forEach(e -> alt.put(e.vm(), e.alternateHost()));
        assertThat(alt.get("b1")).isEqualTo("A");
        assertThat(alt.get("a1")).isIn("B", "C");
        assertThat(alt.get("off")).isNull();
        assertThat(t.version()).isEqualTo(7);
    }
}
