/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.function.Supplier;

import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.event.data.AdmissionMet;
import org.vmha.api.event.data.AdmissionNotMet;
import org.vmha.core.admission.Tolerance;

/**
 * The {@link ToleranceWatch} is responsible for announcing when the cluster stops meeting the admission policy's
 * configured tolerance ({@code org.vmha.admission.not-met}) and when it meets it again
 * ({@code org.vmha.admission.met}). It checks at every computation of the management service: the first check
 * announces a tolerance not met (a service that starts on a short cluster says so), later ones each change. With no
 * policy in force nothing is checked and nothing announced; the state is forgotten, so a policy configured later
 * starts afresh.
 * <p>
 * The report is computed again only when the cluster (hosts and table), the policy's type or its host failures
 * changed, and at least every {@value #RECHECK_EVERY} checks (other settings may have changed).
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.2
 */
final class ToleranceWatch {

    /** Checks after which the report is computed again even on an unchanged cluster. */
    static final int RECHECK_EVERY = 10;

    private final Supplier<AdmissionPolicy> policy;
    private final Supplier<ClusterSnapshot> snapshot;
    private final ManagementEvents events;
    private ClusterSnapshot lastSnapshot;
    private String lastPolicy;
    private Boolean met;
    private int sinceReport;

    /**
     * @param policy the admission policy in force, or null
     * @param snapshot the cluster as admission control sees it now
     * @param events where the events go
     */
    ToleranceWatch(Supplier<AdmissionPolicy> policy, Supplier<ClusterSnapshot> snapshot, ManagementEvents events) {
        this.policy = policy;
        this.snapshot = snapshot;
        this.events = events;
    }

    /** Checks the tolerance now, announcing a change. */
    void check() {
        AdmissionPolicy p = policy.get();
        if (p == null) {
            met = null;
            lastSnapshot = null;
            return;
        }
        ClusterSnapshot snap = snapshot.get();
        String key = p.type() + "/" + p.hostFailures();
        if (snap.equals(lastSnapshot) && key.equals(lastPolicy) && ++sinceReport < RECHECK_EVERY) {
            return;
        }
        lastSnapshot = snap;
        lastPolicy = key;
        sinceReport = 0;
        AdmissionReport r = p.report(snap);
        if (met != null && met == r.met() || met == null && r.met()) {
            met = r.met();
            return;
        }
        met = r.met();
        String reason = Tolerance.describe(r);
        events.emit(r.policy(), r.met() ? new AdmissionMet(r.policy(), r.hostFailures(), r.failoverCapacityHosts(),
                reason) : new AdmissionNotMet(r.policy(), r.hostFailures(), r.failoverCapacityHosts(), reason));
    }
}
