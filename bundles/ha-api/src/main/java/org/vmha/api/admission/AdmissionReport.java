/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.admission;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vmha.api.model.ResourceVector;

/**
 * The {@link AdmissionReport} is responsible for the full capacity picture of a cluster under a
 * policy. The slot figures are computed for every policy (with the policy's slot minimum and caps) so
 * reports are comparable; {@code failoverCapacityHosts} uses the policy's own meaning (see
 * docs/admission.md).
 *
 * @param policy the policy type: {@code slot}, {@code percentage}, {@code dedicated} or {@code exact}
 * @param hostFailures the number of host failures the policy is configured to tolerate
 * @param slotSize the slot size (box capacity) per resource
 * @param slotsPerHost slot count of each counting host, by host name in name order
 * @param vmSlots slots taken by each powered-on VM, by VM name in name order
 * @param totalSlots sum of {@code slotsPerHost}
 * @param usedSlots sum of {@code vmSlots}
 * @param usableSlots total slots minus the slots of the {@code hostFailures} largest hosts (maxSlot)
 * @param unreservedSlots usable minus used, never negative
 * @param failoverCapacityHosts how many host failures the current load survives
 * @param failoverCapacityPercent per resource, (total - reserved) / total in whole percent
 * @param met whether the configured tolerance holds now, by the policy's own rule: for {@code slot} and
 *        {@code exact} {@code failoverCapacityHosts >= hostFailures}; for {@code percentage} every resource of
 *        {@code reservedPercent} with capacity has at least that spare percentage; for {@code dedicated} at least
 *        {@code hostFailures} failover hosts are connected (see docs/admission.md)
 * @param reservedPercent the percentage policy's targets: per resource, the percent of capacity kept spare; empty
 *        for the other policies
 * @param failoverHosts the dedicated policy's failover hosts with their states ({@code connected},
 *        {@code failed}, {@code maintenance}, or {@code unknown} when the cluster does not count the host); empty
 *        for the other policies
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record AdmissionReport(String policy, int hostFailures, ResourceVector slotSize,
        Map<String, Integer> slotsPerHost, Map<String, Integer> vmSlots, int totalSlots, int usedSlots,
        int usableSlots, int unreservedSlots, int failoverCapacityHosts, Map<String, Integer> failoverCapacityPercent,
        boolean met, Map<String, Integer> reservedPercent, Map<String, String> failoverHosts) {

    public AdmissionReport {
        slotSize = slotSize == null ? ResourceVector.ZERO : slotSize;
        slotsPerHost = copy(slotsPerHost);
        vmSlots = copy(vmSlots);
        failoverCapacityPercent = copy(failoverCapacityPercent);
        reservedPercent = copy(reservedPercent);
        failoverHosts = copy(failoverHosts);
    }

    /**
     * A report whose tolerance is met iff {@code failoverCapacityHosts >= hostFailures}, with no percentage targets
     * and no failover hosts (the slot rule).
     *
     * @param policy the policy type
     * @param hostFailures the host failures to tolerate
     * @param slotSize the slot size
     * @param slotsPerHost slots per counting host
     * @param vmSlots slots per powered-on VM
     * @param totalSlots all slots
     * @param usedSlots used slots
     * @param usableSlots usable slots
     * @param unreservedSlots unreserved slots
     * @param failoverCapacityHosts host failures the current load survives
     * @param failoverCapacityPercent spare percent per resource
     */
    public AdmissionReport(String policy, int hostFailures, ResourceVector slotSize, Map<String, Integer> slotsPerHost,
            Map<String, Integer> vmSlots, int totalSlots, int usedSlots, int usableSlots, int unreservedSlots,
            int failoverCapacityHosts, Map<String, Integer> failoverCapacityPercent) {
        this(policy, hostFailures, slotSize, slotsPerHost, vmSlots, totalSlots, usedSlots, usableSlots,
                unreservedSlots, failoverCapacityHosts, failoverCapacityPercent, failoverCapacityHosts >= hostFailures,
                Map.of(), Map.of());
    }

    private static <V> Map<String, V> copy(Map<String, V> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
