/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.core.plan.BruteForce;
import org.vmha.core.plan.PlannerPropertiesTest;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The {@link ExactPolicyPropertiesTest} is responsible for proving, by brute force on small clusters, that
 * the exact policy never admits an operation after which some combination of N host failures cannot
 * be restored.
 *
 * @author vmha - Initial contribution
 */
class ExactPolicyPropertiesTest {

    @Provide
    Arbitrary<ClusterSnapshot> clusters() {
        return PlannerPropertiesTest.clusters();
    }

    @Property(tries = 500)
    void exactNeverAdmitsAnUnrestorableCluster(@ForAll("clusters") ClusterSnapshot s,
            @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 0, max = 6) int pick) {
        if (s.table().entries().isEmpty()) {
            return;
        }
        FailoverTableEntry e = s.table().entries().get(pick % s.table().entries().size());
        AdmissionRequest req = e.state().consumesCapacity()
                ? new AdmissionRequest.ChangeReservation(e.vm(), e.reservation().plus(
                        org.vmha.api.model.ResourceVector.of(1, 1)))
                : AdmissionRequest.PowerOn.of(e.vm());
        ExactPolicy policy = new ExactPolicy(PolicySettings.defaults(PolicyType.EXACT).withHostFailures(n));
        AbstractAdmissionPolicy.Outcome o = policy.evaluate(s, req);
        AdmissionDecision d = o.decision();
        Statistics.label("admitted").collect(d.admitted());
        if (d.admitted()) {
            for (Set<String> failed : BruteForce.failureSets(o.after(), n)) {
                assertThat(BruteForce.restorable(o.after(), failed)).as("%s admitted but %s is not restorable: %s",
                        req, failed, d.reason()).isTrue();
            }
        }
    }

    @Property(tries = 300)
    void exactRefusalNamesARealCounterexampleOrAHostProblem(@ForAll("clusters") ClusterSnapshot s,
            @ForAll @IntRange(min = 0, max = 6) int pick) {
        if (s.table().entries().isEmpty()) {
            return;
        }
        FailoverTableEntry e = s.table().entries().get(pick % s.table().entries().size());
        if (e.state().consumesCapacity()) {
            return;
        }
        AdmissionDecision d = new ExactPolicy(PolicySettings.defaults(PolicyType.EXACT)).admit(s,
                AdmissionRequest.PowerOn.of(e.vm()));
        assertThat(d.reason()).isNotBlank();
        if (!d.admitted() && d.reason().startsWith("if ")) {
            assertThat(d.reason()).contains("cannot restart");
        }
    }
}
