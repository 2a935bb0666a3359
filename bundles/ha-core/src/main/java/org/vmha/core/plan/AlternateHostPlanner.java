/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;

/**
 * The {@link AlternateHostPlanner} is responsible for the precomputed alternates: for every host, the
 * planner's answer to "this host alone fails" becomes the {@code alternateHost} of each protected VM
 * on it. This is the default DRS-less behaviour; a VM's pinned alternate host (override) is tried
 * first. VMs that fit nowhere get no alternate.
 * <p>
 * Deterministic and thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class AlternateHostPlanner {

    private final FailoverPlanner planner;

    /**
     * @param maxConcurrentRestartsPerHost per-host restart concurrency recorded in the plans
     */
    public AlternateHostPlanner(int maxConcurrentRestartsPerHost) {
        this.planner = new FailoverPlanner(maxConcurrentRestartsPerHost, true);
    }

    /**
     * Computes one single-host-failure plan per host that holds protected VMs, in host name order.
     *
     * @param ix the cluster; its entries' alternates are replaced by {@code pins} before planning
     * @param pins VM lun to pinned alternate host (may be empty)
     * @return the plans
     */
    public List<FailoverPlan> plans(ClusterIndex ix, Map<String, String> pins) {
        ClusterIndex pinned = withPins(ix, pins);
        List<FailoverPlan> out = new ArrayList<>();
        boolean[] mask = new boolean[pinned.hostCount()];
        for (int h = 0; h < pinned.hostCount(); h++) {
            if (pinned.restartOrderOnHost[h].length == 0) {
                continue;
            }
            mask[h] = true;
            out.add(planner.plan(pinned, mask));
            mask[h] = false;
        }
        return out;
    }

    /**
     * Computes the table with every protected VM's alternate host set.
     *
     * @param snapshot the cluster
     * @param pins VM lun to pinned alternate host (may be empty)
     * @return the table, entries in VM name order, same version
     */
    public FailoverTable compute(ClusterSnapshot snapshot, Map<String, String> pins) {
        ClusterIndex ix = ClusterIndex.of(snapshot);
        Map<String, String> alternates = new java.util.HashMap<>();
        for (FailoverPlan p : plans(ix, pins)) {
            for (FailoverPlan.Placement pl : p.placements()) {
                alternates.put(pl.lun(), pl.host());
            }
        }
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (int v = 0; v < ix.vmCount(); v++) {
            FailoverTableEntry e = ix.entry(v);
            entries.add(e.withAlternateHost(alternates.get(e.lun())));
        }
        return new FailoverTable(snapshot.table().version(), entries);
    }

    private static ClusterIndex withPins(ClusterIndex ix, Map<String, String> pins) {
        int[] alt = new int[ix.vmCount()];
        for (int v = 0; v < alt.length; v++) {
            alt[v] = ix.hostIndex(pins.get(ix.entries[v].lun()));
        }
        return ix.withAlternates(alt);
    }
}
