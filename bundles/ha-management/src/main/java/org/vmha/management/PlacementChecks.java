/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.ClusterIndex;

/**
 * The {@link PlacementChecks} is responsible for deciding where an operator's request may put a VM, on the
 * {@link ClusterIndex} of a snapshot: the candidate hosts (connected, most free memory first), whether a
 * reservation fits on a host, and whether the admission policy in force, when there is one, accepts a
 * power-on or a migration. A refusal is a sentence naming the host and what is short.
 * <p>
 * <b>Threading:</b> not thread-safe (the policy supplier may change); it runs on the management service's
 * thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class PlacementChecks {

    private Supplier<AdmissionPolicy> admission = () -> null;

    /** @param policy supplies the admission policy in force, or null (fit checks only) */
    void admission(Supplier<AdmissionPolicy> policy) {
        this.admission = policy == null ? () -> null : policy;
    }

    /** @return the admission policy in force, or null */
    AdmissionPolicy policy() {
        return admission.get();
    }

    /** @return the connected hosts of the index, most free memory first, then by name */
    static List<String> byFreeMemory(ClusterIndex index) {
        int mem = index.resourceIndex(ResourceVector.MEMORY_MB);
        List<Integer> connected = new ArrayList<>();
        for (int h = 0; h < index.hostCount(); h++) {
            if (index.host(h).state() == HostState.CONNECTED) {
                connected.add(h);
            }
        }
        connected.sort(Comparator.comparingLong((Integer h) -> mem < 0 ? 0 : -index.free(h, mem))
                .thenComparing(h -> index.host(h).name()));
        List<String> out = new ArrayList<>();
        connected.forEach(h -> out.add(index.host(h).name()));
        return out;
    }

    /** @return why {@code reservation} does not fit on {@code host}, or null (also for a host not in the index) */
    static String misfit(ClusterIndex index, String host, ResourceVector reservation) {
        int h = index.hostIndex(host);
        if (h < 0) {
            return null;
        }
        for (String r : reservation.amounts().keySet()) {
            int ri = index.resourceIndex(r);
            long free = ri < 0 ? 0 : index.free(h, ri);
            if (reservation.get(r) > free) {
                return "host " + host + " has " + free + " " + r + " free, the VM needs " + reservation.get(r);
            }
        }
        return null;
    }

    /**
     * @param e the VM to power on
     * @param host the candidate
     * @param index the compiled {@code snap}
     * @return why {@code e} cannot start on {@code host}: it does not fit, or the policy refuses; null if it can
     */
    String powerOnRefusal(FailoverTableEntry e, String host, ClusterIndex index, ClusterSnapshot snap) {
        String misfit = misfit(index, host, e.reservation());
        if (misfit != null) {
            return misfit;
        }
        AdmissionPolicy policy = admission.get();
        if (policy != null) {
            AdmissionDecision d = policy.admit(snap, new AdmissionRequest.PowerOn(e.vm(), host));
            if (!d.admitted()) {
                return policy.type() + " policy: " + d.reason();
            }
        }
        return null;
    }

    /**
     * @param e the running VM
     * @param dest the destination
     * @param index the compiled {@code snap}
     * @return why {@code e} cannot migrate to {@code dest}: it does not fit, or the policy refuses the cluster
     *         without the VM receiving it on {@code dest}; null if it can
     */
    String migrationRefusal(FailoverTableEntry e, String dest, ClusterIndex index, ClusterSnapshot snap) {
        String misfit = misfit(index, dest, e.reservation());
        if (misfit != null) {
            return misfit;
        }
        AdmissionPolicy policy = admission.get();
        if (policy == null) {
            return null;
        }
        List<FailoverTableEntry> without = new ArrayList<>();
        for (FailoverTableEntry x : snap.table().entries()) {
            if (!x.lun().equals(e.lun())) {
                without.add(x);
            }
        }
        ClusterSnapshot rest = new ClusterSnapshot(snap.hosts(), new FailoverTable(snap.table().version(), without));
        AdmissionDecision d = policy.admit(rest,
                new AdmissionRequest.MigrateIn(e.withPlacement(dest, VmState.RUNNING)));
        return d.admitted() ? null : policy.type() + " policy: " + d.reason();
    }
}
