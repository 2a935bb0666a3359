/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import java.util.LinkedHashMap;
import java.util.Map;

import org.vmha.api.admission.AdmissionDecision;
import org.vmha.core.plan.ClusterIndex;

/**
 * The {@link PercentagePolicy} is responsible for "percentage of cluster resources reserved": per
 * resource, current failover capacity % = (total - reserved) * 100 / total (truncated), where total is
 * the capacity of the counting hosts and reserved the reservations of the powered-on VMs. An operation
 * is refused when any configured resource would drop below its configured percentage. Resources
 * without any capacity are skipped. The configured tolerance is met while every configured resource
 * (with capacity) keeps at least its percentage spare.
 * <p>
 * Incremental: a decision costs O(resources).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class PercentagePolicy extends AbstractAdmissionPolicy<PercentagePolicy.Totals> {

    /**
     * Cluster totals.
     *
     * @param total capacity per resource index
     * @param reserved reservations per resource index
     * @author vmha - Initial contribution
     */
    public record Totals(long[] total, long[] reserved) {
    }

    /**
     * @param settings settings; type should be {@link PolicyType#PERCENTAGE}
     */
    public PercentagePolicy(PolicySettings settings) {
        super(settings);
    }

    @Override
    protected Totals prepare(ClusterIndex index, SlotCalculator.Slots slots) {
        return new Totals(SlotCalculator.totals(index), SlotCalculator.reserved(index));
    }

    @Override
    protected boolean met(Prepared<Totals> p, int failoverCapacityHosts) {
        ClusterIndex ix = p.index();
        Totals t = p.state();
        for (Map.Entry<String, Long> e : settings.reservedPercent().amounts().entrySet()) {
            int r = ix.resourceIndex(e.getKey());
            if (r >= 0 && t.total()[r] > 0 && (t.total()[r] - t.reserved()[r]) * 100 < e.getValue() * t.total()[r]) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected Map<String, Integer> reservedPercentTargets() {
        Map<String, Integer> m = new LinkedHashMap<>();
        settings.reservedPercent().amounts().forEach((r, pct) -> m.put(r, pct.intValue()));
        return m;
    }

    @Override
    protected AdmissionDecision decide(Prepared<Totals> p, Change c) {
        ClusterIndex ix = p.index();
        Totals t = p.state();
        StringBuilder figures = new StringBuilder();
        String failed = null;
        for (Map.Entry<String, Long> e : settings.reservedPercent().amounts().entrySet()) {
            int r = ix.resourceIndex(e.getKey());
            if (r < 0 || t.total()[r] <= 0) {
                continue;
            }
            long reserved = t.reserved()[r] + c.after().reservation().get(e.getKey())
                    - (c.vm() >= 0 && ix.isConsuming(c.vm()) ? ix.reservation(c.vm(), r) : 0);
            long pct = (t.total()[r] - reserved) * 100 / t.total()[r];
            boolean ok = (t.total()[r] - reserved) * 100 >= e.getValue() * t.total()[r];
            figures.append(figures.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(pct)
                    .append(ok ? "% >= " : "% < ").append(e.getValue()).append('%');
            if (!ok && failed == null) {
                failed = e.getKey();
            }
        }
        String text = "failover capacity after the operation: " + (figures.length() == 0 ? "no resource configured"
                : figures);
        return failed == null ? AdmissionDecision.admit(text) : AdmissionDecision.refuse(text);
    }
}
