/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The {@link PlannerPropertiesTest} is responsible for checking the planner against brute force on small
 * random clusters.
 *
 * @author vmha - Initial contribution
 */
public class PlannerPropertiesTest {

    /** A generated small cluster. */
    record Scenario(ClusterSnapshot snapshot, Set<String> failed) {
    }

    @Provide
    public static Arbitrary<ClusterSnapshot> clusters() {
        Arbitrary<Host> host = Combinators.combine(Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(0, 12), Arbitraries.of(HostState.CONNECTED, HostState.CONNECTED,
                        HostState.CONNECTED, HostState.CONNECTED, HostState.MAINTENANCE, HostState.FAILED), Arbitraries.of(false, false, true))
                .as((c, m, s, fo) -> new Host("x", ResourceVector.of(c, m), s, fo));
        Arbitrary<int[]> vm = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers()
                .between(0, 5), Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 3))
                .as((h, c, m, p, on) -> new int[] {h, c, m, p, on });
        return Combinators.combine(host.list().ofMinSize(1).ofMaxSize(5), vm.list().ofMaxSize(7)).as((hs, vs) -> {
            List<Host> hosts = new ArrayList<>();
            for (int i = 0; i < hs.size(); i++) {
                Host h = hs.get(i);
                hosts.add(new Host("H" + i, h.capacity(), h.state(), h.failoverOnly()));
            }
            List<FailoverTableEntry> entries = new ArrayList<>();
            for (int i = 0; i < vs.size(); i++) {
                int[] v = vs.get(i);
                String on = "H" + (v[0] % hosts.size());
                entries.add(new FailoverTableEntry("V" + i, "lun" + i, on, null, RestartPriority.values()[v[3]],
                        ResourceVector.of(v[1], v[2]), v[4] == 0 ? VmState.POWERED_OFF : VmState.RUNNING, 1));
            }
            return new ClusterSnapshot(hosts, new FailoverTable(1, entries));
        });
    }

    @Provide
    static Arbitrary<Scenario> scenarios() {
        return Combinators.combine(clusters(), Arbitraries.integers().between(0, 31))
                .as((s, bits) -> {
                    Set<String> failed = new TreeSet<>();
                    for (int i = 0; i < s.hosts().size(); i++) {
                        if ((bits & (1 << i)) != 0) {
                            failed.add("H" + i);
                        }
                    }
                    return new Scenario(s, failed);
                });
    }

    @Property(tries = 400)
    void planIsAValidAssignmentInPriorityOrder(@ForAll("scenarios") Scenario sc) {
        ClusterSnapshot s = sc.snapshot();
        FailoverPlan plan = new FailoverPlanner(2, false).plan(s, sc.failed());

        Map<String, FailoverTableEntry> byName = new HashMap<>();
        s.table().entries().forEach(e -> byName.put(e.vm(), e));
        Set<String> affected = new HashSet<>();
        for (FailoverTableEntry e : s.table().entries()) {
            if (e.isProtected() && e.state().consumesCapacity() && sc.failed().contains(e.currentHost())) {
                affected.add(e.vm());
            }
        }
        Set<String> covered = new HashSet<>(plan.placementMap().keySet());
        plan.unplaced().forEach(u -> covered.add(u.vm()));
        assertThat(covered).isEqualTo(affected);
        assertThat(plan.placements().size() + plan.unplaced().size()).isEqualTo(affected.size());

        // capacity respected: free after the plan is never negative on a survivor that started non-negative
        Map<String, long[]> free = new HashMap<>();
        for (Host h : s.hosts()) {
            if (h.state() == HostState.CONNECTED && !sc.failed().contains(h.name())) {
                long[] f = {h.capacity().get("cpuMhz"), h.capacity().get("memoryMb") };
                for (FailoverTableEntry e : s.table().entries()) {
                    if (h.name().equals(e.currentHost()) && e.state().consumesCapacity()) {
                        f[0] -= e.reservation().get("cpuMhz");
                        f[1] -= e.reservation().get("memoryMb");
                    }
                }
                free.put(h.name(), f);
            }
        }
        Map<String, long[]> before = new HashMap<>();
        free.forEach((k, v) -> before.put(k, v.clone()));
        int lastPrio = Integer.MAX_VALUE;
        for (FailoverPlan.Placement p : plan.placements()) {
            assertThat(free).containsKey(p.host());
            FailoverTableEntry e = byName.get(p.vm());
            long[] f = free.get(p.host());
            f[0] -= e.reservation().get("cpuMhz");
            f[1] -= e.reservation().get("memoryMb");
            assertThat(f[0]).isGreaterThanOrEqualTo(Math.min(0, before.get(p.host())[0]));
            assertThat(f[1]).isGreaterThanOrEqualTo(Math.min(0, before.get(p.host())[1]));
            assertThat(e.priority().ordinal()).isLessThanOrEqualTo(lastPrio);
            lastPrio = e.priority().ordinal();
        }
        // an unplaced VM fits on no survivor even at the end (capacity only shrinks as the plan goes)
        for (FailoverPlan.Unplaced u : plan.unplaced()) {
            FailoverTableEntry e = byName.get(u.vm());
            for (long[] f : free.values()) {
                assertThat(e.reservation().get("cpuMhz") <= f[0] && e.reservation().get("memoryMb") <= f[1])
                        .as("unplaced %s fits %s", u.vm(), java.util.Arrays.toString(f)).isFalse();
            }
        }
        // planner success implies brute-force success; brute-force failure implies an unplaced VM
        boolean truth = BruteForce.restorable(s, sc.failed());
        if (plan.placesAll()) {
            assertThat(truth).isTrue();
        }
        if (!truth) {
            assertThat(plan.unplaced()).isNotEmpty();
        }
    }

    @Property(tries = 200)
    void planDoesNotDependOnInputOrder(@ForAll("scenarios") Scenario sc, @ForAll long seed) {
        ClusterSnapshot s = sc.snapshot();
        List<Host> hosts = new ArrayList<>(s.hosts());
        List<FailoverTableEntry> vms = new ArrayList<>(s.table().entries());
        Collections.shuffle(hosts, new Random(seed));
        Collections.shuffle(vms, new Random(seed + 1));
        FailoverPlanner p = new FailoverPlanner();
        assertThat(p.plan(new ClusterSnapshot(hosts, new FailoverTable(1, vms)), sc.failed()))
                .isEqualTo(p.plan(s, sc.failed()));
    }
}
