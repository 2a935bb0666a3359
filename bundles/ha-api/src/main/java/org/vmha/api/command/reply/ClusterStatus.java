/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.reply;

import java.util.List;
import java.util.Map;

/**
 * The reply of {@code status}: the cluster summary.
 *
 * @param tableVersion the failover table's version
 * @param hostCounts hosts by state (lower case), every state but removed, zero included
 * @param vms the VM counts
 * @param admission the admission policy's report
 * @param hosts every host, by name
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record ClusterStatus(long tableVersion, Map<String, Integer> hostCounts, VmCounts vms, Admission admission,
        List<HostSummary> hosts) {

    /**
     * The VMs of the table.
     *
     * @param total how many
     * @param protectedVms how many HA restarts (written {@code protected})
     * @param byState how many per state kind, lower case with dashes
     */
    public record VmCounts(int total, int protectedVms, Map<String, Integer> byState) {
    }

    /**
     * The admission policy in force and what it leaves; with no policy only {@code policy} ({@code none}) is set
     * and the reply leaves the other fields out.
     *
     * @param policy the policy's name, or {@code none}
     * @param met whether the configured tolerance holds now (the policy's own rule, see docs/admission.md)
     * @param tolerated how many host failures the cluster can take now (as {@code failoverCapacityHosts})
     * @param hostFailures the host failures the policy is configured to tolerate
     * @param tolerance the same in one sentence, e.g. {@code NOT MET: tolerates 1 of 2 host failures (used slots 19
     *        > usable 16)}
     * @param failoverCapacityHosts how many host failures the cluster can take now
     * @param failoverCapacityPercent the spare capacity by resource, in percent
     * @param reservedPercent the percentage policy's targets by resource, in percent (that policy only)
     * @param failoverHosts the dedicated policy's failover hosts and their states (that policy only)
     * @param slotSize the slot size by resource
     * @param slotsPerHost the slots per host
     * @param totalSlots all slots
     * @param usedSlots the slots powered-on VMs use
     * @param usableSlots the slots left after reserving for the tolerated failures
     */
    public record Admission(String policy, Boolean met, Integer tolerated, Integer hostFailures, String tolerance,
            Integer failoverCapacityHosts, Map<String, Integer> failoverCapacityPercent,
            Map<String, Integer> reservedPercent, Map<String, String> failoverHosts, Map<String, Long> slotSize,
            Map<String, Integer> slotsPerHost, Integer totalSlots, Integer usedSlots, Integer usableSlots) {

        /**
         * The summary without the tolerance fields (as before they existed).
         *
         * @param policy the policy's name, or {@code none}
         * @param hostFailures the host failures it tolerates
         * @param failoverCapacityHosts how many host failures the cluster can take now
         * @param failoverCapacityPercent the spare capacity by resource, in percent
         * @param slotSize the slot size by resource
         * @param slotsPerHost the slots per host
         * @param totalSlots all slots
         * @param usedSlots the slots powered-on VMs use
         * @param usableSlots the slots left after reserving for the tolerated failures
         */
        public Admission(String policy, Integer hostFailures, Integer failoverCapacityHosts,
                Map<String, Integer> failoverCapacityPercent, Map<String, Long> slotSize,
                Map<String, Integer> slotsPerHost, Integer totalSlots, Integer usedSlots, Integer usableSlots) {
            this(policy, null, null, hostFailures, null, failoverCapacityHosts, failoverCapacityPercent, null, null,
                    slotSize, slotsPerHost, totalSlots, usedSlots, usableSlots);
        }

        /** @return the summary when no admission policy runs */
        public static Admission none() {
            return new Admission("none", null, null, null, null, null, null, null, null);
        }
    }
}
