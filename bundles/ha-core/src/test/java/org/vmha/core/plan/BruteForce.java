/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;

/**
 * The {@link BruteForce} is responsible for the ground truth in property tests: whether some
 * assignment of the affected protected VMs to the survivors exists, by exhaustive search, written
 * independently of the planner (on the api types only).
 *
 * @author vmha - Initial contribution
 */
public final class BruteForce {

    private BruteForce() {
    }

    /** @return true when every protected VM on a failed host can be placed on some survivor */
    public static boolean restorable(ClusterSnapshot s, Set<String> failed) {
        List<String> resources = new ArrayList<>();
        for (Host h : s.hosts()) {
            for (String r : h.capacity().amounts().keySet()) {
                if (!resources.contains(r)) {
                    resources.add(r);
                }
            }
        }
        for (FailoverTableEntry e : s.table().entries()) {
            for (String r : e.reservation().amounts().keySet()) {
                if (!resources.contains(r)) {
                    resources.add(r);
                }
            }
        }
        List<long[]> free = new ArrayList<>();
        for (Host h : s.hosts()) {
            if (h.state() != HostState.CONNECTED || failed.contains(h.name())) {
                continue;
            }
            long[] f = new long[resources.size()];
            for (int r = 0; r < f.length; r++) {
                f[r] = h.capacity().get(resources.get(r));
            }
            for (FailoverTableEntry e : s.table().entries()) {
                if (h.name().equals(e.currentHost()) && e.state().consumesCapacity()) {
                    for (int r = 0; r < f.length; r++) {
                        f[r] -= e.reservation().get(resources.get(r));
                    }
                }
            }
            free.add(f);
        }
        List<long[]> need = new ArrayList<>();
        for (FailoverTableEntry e : s.table().entries()) {
            if (e.isProtected() && e.state().consumesCapacity() && failed.contains(e.currentHost())) {
                long[] n = new long[resources.size()];
                for (int r = 0; r < n.length; r++) {
                    n[r] = e.reservation().get(resources.get(r));
                }
                need.add(n);
            }
        }
        return search(need, 0, free);
    }

    private static boolean search(List<long[]> need, int i, List<long[]> free) {
        if (i == need.size()) {
            return true;
        }
        long[] n = need.get(i);
        for (long[] f : free) {
            boolean fits = true;
            for (int r = 0; r < n.length; r++) {
                fits &= n[r] <= f[r];
            }
            if (!fits) {
                continue;
            }
            for (int r = 0; r < n.length; r++) {
                f[r] -= n[r];
            }
            boolean ok = search(need, i + 1, free);
            for (int r = 0; r < n.length; r++) {
                f[r] += n[r];
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /** @return every k-subset of the connected hosts' names, each with the already-failed hosts added */
    public static List<Set<String>> failureSets(ClusterSnapshot s, int k) {
        List<String> connected = new ArrayList<>();
        Set<String> already = new java.util.TreeSet<>();
        for (Host h : s.hosts()) {
            if (h.state() == HostState.CONNECTED) {
                connected.add(h.name());
            } else if (h.state() == HostState.FAILED) {
                already.add(h.name());
            }
        }
        List<Set<String>> out = new ArrayList<>();
        subsets(connected, Math.min(k, connected.size()), 0, new java.util.TreeSet<>(already), out);
        return out;
    }

    private static void subsets(List<String> c, int k, int from, java.util.TreeSet<String> cur, List<Set<String>> out) {
        if (k == 0) {
            out.add(new java.util.TreeSet<>(cur));
            return;
        }
        for (int i = from; i <= c.size() - k; i++) {
            cur.add(c.get(i));
            subsets(c, k - 1, i + 1, cur, out);
            cur.remove(c.get(i));
        }
    }
}
