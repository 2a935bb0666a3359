/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vmha.api.admission.AdmissionReport;

/**
 * The {@link Tolerance} is responsible for saying in one sentence whether a cluster meets its admission policy's
 * configured tolerance, and by which figures, the same way in every view ({@code ha:cluster}, {@code ha:admission},
 * the NOC {@code status} and {@code what-if} replies, the {@code org.vmha.admission.met}/{@code not-met} events):
 * <ul>
 * <li>{@code slot}, {@code exact}: {@code NOT MET: tolerates 1 of 2 host failures (used slots 19 > usable 16)}, or
 * {@code met: tolerates 2 host failures (2 configured)};</li>
 * <li>{@code percentage}: {@code NOT MET: spare cpuMhz 60 % >= 25 %, memoryMb 12 % < 25 % reserved};</li>
 * <li>{@code dedicated}: {@code met: failover hosts H4 connected; 1 connected for 1 host failure}.</li>
 * </ul>
 * Stateless and thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.2
 */
public final class Tolerance {

    private Tolerance() {
    }

    /**
     * @param r a policy's report
     * @return the sentence, starting {@code met: } or {@code NOT MET: }
     */
    public static String describe(AdmissionReport r) {
        String head = r.met() ? "met: " : "NOT MET: ";
        if (PolicyType.PERCENTAGE.id().equals(r.policy())) {
            return head + percentage(r);
        }
        if (PolicyType.DEDICATED.id().equals(r.policy())) {
            return head + dedicated(r);
        }
        int n = r.hostFailures();
        if (r.met()) {
            return head + "tolerates " + failures(r.failoverCapacityHosts()) + " (" + n + " configured)";
        }
        return head + "tolerates " + r.failoverCapacityHosts() + " of " + failures(n)
                + (PolicyType.SLOT.id().equals(r.policy()) && r.usedSlots() > r.usableSlots()
                        ? " (used slots " + r.usedSlots() + " > usable " + r.usableSlots() + ")" : "");
    }

    private static String failures(int n) {
        return n + (n == 1 ? " host failure" : " host failures");
    }

    private static String percentage(AdmissionReport r) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> t : r.reservedPercent().entrySet()) {
            Integer spare = r.failoverCapacityPercent().get(t.getKey());
            if (spare == null) {
                continue; // no host offers the resource: the policy skips it
            }
            boolean ok = spare >= t.getValue();
            parts.add(t.getKey() + " " + spare + " %" + (ok ? " >= " : " < ") + t.getValue() + " %"
                    + (!ok && r.met() ? " (no capacity)" : ""));
        }
        return parts.isEmpty() ? "no reserved resource that a host offers"
                : "spare " + String.join(", ", parts) + " reserved";
    }

    private static String dedicated(AdmissionReport r) {
        if (r.failoverHosts().isEmpty()) {
            return "no failover host configured, " + failures(r.hostFailures()) + " to tolerate";
        }
        List<String> parts = new ArrayList<>();
        int connected = 0;
        for (Map.Entry<String, String> h : r.failoverHosts().entrySet()) {
            parts.add(h.getKey() + " " + h.getValue());
            if (h.getValue().equals("connected")) {
                connected++;
            }
        }
        return "failover hosts " + String.join(", ", parts) + "; " + connected + " connected for "
                + failures(r.hostFailures());
    }
}
