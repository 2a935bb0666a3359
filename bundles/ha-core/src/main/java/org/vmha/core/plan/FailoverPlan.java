/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link FailoverPlan} is responsible for the planner's answer for one failed set: where each
 * affected protected VM restarts, in restart order, and which VMs did not fit and why.
 *
 * @param tableVersion the failover table version the plan was computed from
 * @param failed the failed hosts, in name order
 * @param placements the restarts in restart order (highest priority first)
 * @param unplaced the VMs that could not be placed, in restart order
 * @param maxConcurrentRestartsPerHost how many restarts a host runs at once; a placement's
 *        {@code wave} is its position on its target host divided by this limit
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record FailoverPlan(long tableVersion, List<String> failed, List<Placement> placements, List<Unplaced> unplaced,
        int maxConcurrentRestartsPerHost) {

    public FailoverPlan {
        failed = List.copyOf(failed);
        placements = List.copyOf(placements);
        unplaced = List.copyOf(unplaced);
    }

    /**
     * @return true when every affected protected VM was placed
     */
    public boolean placesAll() {
        return unplaced.isEmpty();
    }

    /**
     * @return VM name to target host, in restart order
     */
    public Map<String, String> placementMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Placement p : placements) {
            m.put(p.vm(), p.host());
        }
        return m;
    }

    /**
     * One restart.
     *
     * @param vm VM name
     * @param lun VM lun
     * @param host target host
     * @param priority the VM's restart priority name
     * @param wave 0-based concurrency wave on the target host
     * @author vmha - Initial contribution
     */
    public record Placement(String vm, String lun, String host, String priority, int wave) {
    }

    /**
     * A VM that could not be placed.
     *
     * @param vm VM name
     * @param lun VM lun
     * @param reason why, with the figures
     * @author vmha - Initial contribution
     */
    public record Unplaced(String vm, String lun, String reason) {
    }
}
