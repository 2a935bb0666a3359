/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import java.util.ArrayList;
import java.util.List;

import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.model.HostState;
import org.vmha.core.plan.ClusterIndex;
import org.vmha.core.plan.FailoverPlan;
import org.vmha.core.plan.FailoverPlanner;

/**
 * The {@link ExactPolicy} is responsible for exact admission control: an operation is admitted iff,
 * for every combination of N failures among the connected hosts (on top of the hosts already
 * failed), the {@link FailoverPlanner} places every affected protected VM on the survivors. Because
 * a placement found by the planner is a real assignment, an admitted cluster is restorable after any
 * N failures (the planner can only be pessimistic, never optimistic).
 * <p>
 * Cost: C(connected hosts, N) plans per decision.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ExactPolicy extends AbstractAdmissionPolicy<Void> {

    /** Upper bound on the plans the report spends on the current failover capacity. */
    public static final int REPORT_PLAN_BUDGET = 10_000;

    private final FailoverPlanner planner;

    /**
     * @param settings settings; type should be {@link PolicyType#EXACT}
     */
    public ExactPolicy(PolicySettings settings) {
        super(settings);
        this.planner = new FailoverPlanner(settings.maxConcurrentRestartsPerHost(), false);
    }

    @Override
    protected Void prepare(ClusterIndex index, SlotCalculator.Slots slots) {
        return null;
    }

    @Override
    protected AdmissionDecision decide(Prepared<Void> p, Change c) {
        ClusterIndex next = p.index().withEntry(c.vm(), c.after());
        int[] candidates = candidates(next);
        int k = Math.min(settings.hostFailures(), candidates.length);
        Failure f = firstFailure(next, candidates, k, Long.MAX_VALUE);
        if (f != null) {
            return AdmissionDecision.refuse("if " + f.failed + " fail, VM " + f.unplaced.vm() + " cannot restart: "
                    + f.unplaced.reason());
        }
        return AdmissionDecision.admit("every combination of " + k + " host failure(s) among " + candidates.length
                + " connected hosts restores every protected VM");
    }

    /**
     * The largest k (up to the number of connected hosts) such that every k-combination restores every
     * protected VM, found by increasing k while the plan budget lasts.
     */
    @Override
    protected int failoverCapacityHosts(Prepared<Void> p) {
        ClusterIndex ix = p.index();
        int[] candidates = candidates(ix);
        long budget = REPORT_PLAN_BUDGET;
        int verified = -1;
        for (int k = 0; k <= candidates.length; k++) {
            long combos = binomial(candidates.length, k);
            if (combos > budget) {
                break;
            }
            budget -= combos;
            if (firstFailure(ix, candidates, k, Long.MAX_VALUE) != null) {
                break;
            }
            verified = k;
        }
        return Math.max(0, verified);
    }

    private record Failure(List<String> failed, FailoverPlan.Unplaced unplaced) {
    }

    private static int[] candidates(ClusterIndex ix) {
        int n = 0;
        for (int h = 0; h < ix.hostCount(); h++) {
            if (ix.host(h).state() == HostState.CONNECTED) {
                n++;
            }
        }
        int[] out = new int[n];
        n = 0;
        for (int h = 0; h < ix.hostCount(); h++) {
            if (ix.host(h).state() == HostState.CONNECTED) {
                out[n++] = h;
            }
        }
        return out;
    }

    /** Enumerates k-combinations in lexicographic order; returns the first that leaves a VM unplaced. */
    private Failure firstFailure(ClusterIndex ix, int[] candidates, int k, long limit) {
        boolean[] mask = new boolean[ix.hostCount()];
        for (int h = 0; h < ix.hostCount(); h++) {
            mask[h] = ix.host(h).state() == HostState.FAILED;
        }
        int[] comb = new int[k];
        for (int i = 0; i < k; i++) {
            comb[i] = i;
        }
        long done = 0;
        while (done++ < limit) {
            for (int i = 0; i < k; i++) {
                mask[candidates[comb[i]]] = true;
            }
            FailoverPlan.Unplaced u = planner.firstUnplaced(ix, mask);
            if (u != null) {
                List<String> failed = new ArrayList<>();
                for (int h = 0; h < mask.length; h++) {
                    if (mask[h]) {
                        failed.add(ix.host(h).name());
                    }
                }
                return new Failure(failed, u);
            }
            for (int i = 0; i < k; i++) {
                mask[candidates[comb[i]]] = false;
            }
            int i = k - 1;
            while (i >= 0 && comb[i] == candidates.length - k + i) {
                i--;
            }
            if (i < 0) {
                return null;
            }
            comb[i]++;
            for (int j = i + 1; j < k; j++) {
                comb[j] = comb[j - 1] + 1;
            }
        }
        return null;
    }

    static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
            if (r > Integer.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
        }
        return r;
    }
}
