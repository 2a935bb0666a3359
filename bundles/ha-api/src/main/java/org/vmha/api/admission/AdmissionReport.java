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
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record AdmissionReport(String policy, int hostFailures, ResourceVector slotSize,
        Map<String, Integer> slotsPerHost, Map<String, Integer> vmSlots, int totalSlots, int usedSlots,
        int usableSlots, int unreservedSlots, int failoverCapacityHosts, Map<String, Integer> failoverCapacityPercent) {

    public AdmissionReport {
        slotSize = slotSize == null ? ResourceVector.ZERO : slotSize;
        slotsPerHost = copy(slotsPerHost);
        vmSlots = copy(vmSlots);
        failoverCapacityPercent = copy(failoverCapacityPercent);
    }

    private static Map<String, Integer> copy(Map<String, Integer> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
