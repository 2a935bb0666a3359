/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.HostState;

/**
 * The {@link FailoverPlanner} is responsible for deciding, deterministically, where the protected
 * VMs of a set of failed hosts restart. Every agent runs it independently on the same table version
 * and failed set and gets the same plan.
 * <p>
 * Algorithm (documented in docs/admission.md):
 * <ol>
 * <li>Survivors are the {@link HostState#CONNECTED} hosts not in the failed set. A survivor's free
 * capacity is its capacity minus the reservations of every VM that holds capacity on it.</li>
 * <li>Affected VMs are the protected VMs holding capacity on a failed host. They are placed one at a
 * time in restart order: priority (highest first), then size (largest share of the biggest host's
 * capacity over all resources, largest first), then VM name, then lun.</li>
 * <li>A VM goes to its alternate host when alternates are used and that host survives and fits it.
 * Otherwise it goes to a fitting failover-only survivor if there is one, else to any fitting survivor;
 * among those, best fit: the smallest sum over resources of free-after-placement divided by capacity,
 * ties by host name.</li>
 * <li>A VM that fits nowhere is unplaced with a reason; the planner carries on with the next VM.</li>
 * </ol>
 * Instances are immutable and thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class FailoverPlanner {

    /** Default per-host restart concurrency. */
    public static final int DEFAULT_MAX_CONCURRENT_RESTARTS = 32;

    private final int maxConcurrentRestartsPerHost;
    private final boolean useAlternates;

    /** A planner with the default concurrency that honours precomputed alternates. */
    public FailoverPlanner() {
        this(DEFAULT_MAX_CONCURRENT_RESTARTS, true);
    }

    /**
     * @param maxConcurrentRestartsPerHost restarts one host runs at once, at least 1
     * @param useAlternates whether a VM's precomputed alternate host is tried first
     */
    public FailoverPlanner(int maxConcurrentRestartsPerHost, boolean useAlternates) {
        if (maxConcurrentRestartsPerHost < 1) {
            throw new IllegalArgumentException("maxConcurrentRestartsPerHost must be >= 1, was "
                    + maxConcurrentRestartsPerHost);
        }
        this.maxConcurrentRestartsPerHost = maxConcurrentRestartsPerHost;
        this.useAlternates = useAlternates;
    }

    /** @return the per-host restart concurrency */
    public int maxConcurrentRestartsPerHost() {
        return maxConcurrentRestartsPerHost;
    }

    /**
     * Plans the restarts for a failed set.
     *
     * @param snapshot hosts and table
     * @param failed names of the failed hosts (unknown names are ignored)
     * @return the plan
     */
    public FailoverPlan plan(ClusterSnapshot snapshot, Collection<String> failed) {
        return plan(ClusterIndex.of(snapshot), failed);
    }

    /**
     * Plans the restarts for a failed set on a compiled index.
     *
     * @param ix the index
     * @param failed names of the failed hosts (unknown names are ignored)
     * @return the plan
     */
    public FailoverPlan plan(ClusterIndex ix, Collection<String> failed) {
        boolean[] mask = new boolean[ix.hostCount()];
        for (String f : failed) {
            int h = ix.hostIndex(f);
            if (h >= 0) {
                mask[h] = true;
            }
        }
        return plan(ix, mask);
    }

    /**
     * Plans the restarts for a failed set given as a host mask.
     *
     * @param ix the index
     * @param failedMask {@code failedMask[h]} is true when host {@code h} failed
     * @return the plan
     */
    public FailoverPlan plan(ClusterIndex ix, boolean[] failedMask) {
        List<FailoverPlan.Placement> placements = new ArrayList<>();
        List<FailoverPlan.Unplaced> unplaced = new ArrayList<>();
        run(ix, failedMask, placements, unplaced, false);
        List<String> failedNames = new ArrayList<>();
        for (int h = 0; h < ix.hostCount(); h++) {
            if (failedMask[h]) {
                failedNames.add(ix.hosts[h].name());
            }
        }
        return new FailoverPlan(ix.tableVersion, failedNames, placements, unplaced, maxConcurrentRestartsPerHost);
    }

    /**
     * Checks whether every affected protected VM can be placed, stopping at the first that cannot.
     *
     * @param ix the index
     * @param failedMask failed hosts
     * @return {@code null} when all fit, else the first unplaced VM with its reason
     */
    public FailoverPlan.Unplaced firstUnplaced(ClusterIndex ix, boolean[] failedMask) {
        List<FailoverPlan.Unplaced> unplaced = new ArrayList<>(1);
        run(ix, failedMask, null, unplaced, true);
        return unplaced.isEmpty() ? null : unplaced.get(0);
    }

    private void run(ClusterIndex ix, boolean[] failed, List<FailoverPlan.Placement> placements,
            List<FailoverPlan.Unplaced> unplaced, boolean stopAtFirst) {
        int nh = ix.hostCount();
        int nr = ix.resources.length;
        boolean[] survivor = new boolean[nh];
        long[][] free = new long[nh][];
        int survivors = 0;
        for (int h = 0; h < nh; h++) {
            if (!failed[h] && ix.state[h] == HostState.CONNECTED) {
                survivor[h] = true;
                survivors++;
                long[] f = new long[nr];
                for (int r = 0; r < nr; r++) {
                    f[r] = ix.cap[h][r] - ix.used[h][r];
                }
                free[h] = f;
            }
        }
        int[] affected = affected(ix, failed);
        int[] count = new int[nh];
        for (int v : affected) {
            long[] need = ix.res[v];
            int target = -1;
            int alt = useAlternates ? ix.altHost[v] : -1;
            if (alt >= 0 && survivor[alt] && fits(need, free[alt])) {
                target = alt;
            } else {
                target = bestFit(ix, need, survivor, free);
            }
            if (target < 0) {
                unplaced.add(new FailoverPlan.Unplaced(ix.entries[v].vm(), ix.entries[v].lun(),
                        reason(ix, need, survivor, free, survivors)));
                if (stopAtFirst) {
                    return;
                }
                continue;
            }
            long[] f = free[target];
            for (int r = 0; r < nr; r++) {
                f[r] -= need[r];
            }
            if (placements != null) {
                placements.add(new FailoverPlan.Placement(ix.entries[v].vm(), ix.entries[v].lun(),
                        ix.hosts[target].name(), ix.entries[v].priority().name().toLowerCase(java.util.Locale.ROOT),
                        count[target] / maxConcurrentRestartsPerHost));
            }
            count[target]++;
        }
    }

    private static int[] affected(ClusterIndex ix, boolean[] failed) {
        int single = -1;
        int hosts = 0;
        for (int h = 0; h < failed.length; h++) {
            if (failed[h]) {
                hosts++;
                single = h;
            }
        }
        if (hosts == 0) {
            return new int[0];
        }
        if (hosts == 1) {
            return ix.restartOrderOnHost[single];
        }
        // each host's list is already in restart order: merge them instead of sorting
        int[] merged = new int[0];
        for (int h = 0; h < failed.length; h++) {
            if (failed[h]) {
                merged = merge(ix, merged, ix.restartOrderOnHost[h]);
            }
        }
        return merged;
    }

    private static int[] merge(ClusterIndex ix, int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length && j < b.length) {
            out[k++] = ix.compareRestartOrder(a[i], b[j]) <= 0 ? a[i++] : b[j++];
        }
        while (i < a.length) {
            out[k++] = a[i++];
        }
        while (j < b.length) {
            out[k++] = b[j++];
        }
        return out;
    }

    private static boolean fits(long[] need, long[] free) {
        for (int r = 0; r < need.length; r++) {
            if (need[r] > free[r]) {
                return false;
            }
        }
        return true;
    }

    private static int bestFit(ClusterIndex ix, long[] need, boolean[] survivor, long[][] free) {
        int best = -1;
        boolean bestFo = false;
        double bestScore = 0;
        for (int h = 0; h < survivor.length; h++) {
            if (!survivor[h] || !fits(need, free[h])) {
                continue;
            }
            double score = 0;
            long[] c = ix.cap[h];
            for (int r = 0; r < need.length; r++) {
                if (c[r] > 0) {
                    score += (double) (free[h][r] - need[r]) / c[r];
                }
            }
            boolean fo = ix.failoverOnly[h];
            if (best < 0 || (fo && !bestFo) || (fo == bestFo && score < bestScore)) {
                best = h;
                bestFo = fo;
                bestScore = score;
            }
        }
        return best;
    }

    private static String reason(ClusterIndex ix, long[] need, boolean[] survivor, long[][] free, int survivors) {
        if (survivors == 0) {
            return "no surviving connected host";
        }
        StringBuilder sb = new StringBuilder("insufficient capacity: needs ").append(ix.toVector(need))
                .append(", most free on one survivor per resource:");
        for (int r = 0; r < need.length; r++) {
            long max = Long.MIN_VALUE;
            String where = "";
            for (int h = 0; h < survivor.length; h++) {
                if (survivor[h] && free[h][r] > max) {
                    max = free[h][r];
                    where = ix.hosts[h].name();
                }
            }
            sb.append(r == 0 ? " " : ", ").append(ix.resources[r]).append('=').append(max).append(" on ").append(where);
        }
        return sb.toString();
    }
}
