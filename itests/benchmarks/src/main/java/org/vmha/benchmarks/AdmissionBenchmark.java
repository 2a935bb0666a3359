/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.core.admission.ExactPolicy;
import org.vmha.core.admission.PercentagePolicy;
import org.vmha.core.admission.PolicySettings;
import org.vmha.core.admission.PolicyType;
import org.vmha.core.admission.SlotPolicy;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.core.plan.ClusterIndex;
import org.vmha.core.plan.FailoverPlan;

/**
 * The {@link AdmissionBenchmark} is responsible for measuring admission decisions and planning at
 * 96 hosts x 10,000 VMs (seeded heterogeneous workload, see {@link Workloads}). Sample-time mode, so
 * JMH prints the median (p0.50) besides the mean.
 *
 * @author vmha - Initial contribution
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdmissionBenchmark {

    @Param({"96" })
    public int hosts;

    @Param({"10000" })
    public int vms;

    @Param({"20261127" })
    public long seed;

    private ClusterSnapshot snapshot;
    private AdmissionRequest powerOn;
    private SlotPolicy slot;
    private PercentagePolicy percentage;
    private ExactPolicy exact1;
    private ExactPolicy exact2;
    private AlternateHostPlanner alternates;

    @Setup
    public void setup() {
        snapshot = Workloads.running(seed, hosts, vms);
        powerOn = AdmissionRequest.PowerOn.of("candidate");
        slot = new SlotPolicy(PolicySettings.defaults(PolicyType.SLOT));
        percentage = new PercentagePolicy(PolicySettings.defaults(PolicyType.PERCENTAGE));
        exact1 = new ExactPolicy(PolicySettings.defaults(PolicyType.EXACT));
        exact2 = new ExactPolicy(PolicySettings.defaults(PolicyType.EXACT).withHostFailures(2));
        alternates = new AlternateHostPlanner(32);
        // compile the snapshot once per policy: decisions are incremental on a cached snapshot. The slot
        // policy refuses on this heterogeneous workload (a 12 GB VM sets the slot); its decision costs
        // the same either way. Exact must admit, so that it really plans every combination.
        slot.admit(snapshot, powerOn);
        for (AdmissionDecision d : new AdmissionDecision[] {percentage.admit(snapshot, powerOn),
            exact1.admit(snapshot, powerOn), exact2.admit(snapshot, powerOn) }) {
            if (!d.admitted()) {
                throw new IllegalStateException("workload should admit the candidate: " + d.reason());
            }
        }
    }

    /** Incremental slot-policy power-on decision on a cached snapshot. */
    @Benchmark
    public AdmissionDecision slotAdmit() {
        return slot.admit(snapshot, powerOn);
    }

    /** Incremental percentage-policy power-on decision on a cached snapshot. */
    @Benchmark
    public AdmissionDecision percentageAdmit() {
        return percentage.admit(snapshot, powerOn);
    }

    /** Exact-policy power-on decision, N=1: 96 single-failure plans. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public AdmissionDecision exactAdmitN1() {
        return exact1.admit(snapshot, powerOn);
    }

    /** Exact-policy power-on decision, N=2: C(96,2) = 4560 plans. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public AdmissionDecision exactAdmitN2() {
        return exact2.admit(snapshot, powerOn);
    }

    /** Full alternate-host plan from the snapshot: compile, 96 single-failure plans, new table. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public FailoverTable alternateHostPlan() {
        return alternates.compute(snapshot, Map.of());
    }

    /** The 96 single-failure plans alone, on a compiled index. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<FailoverPlan> alternateHostPlansOnIndex() {
        return alternates.plans(ClusterIndex.of(snapshot), Map.of());
    }
}
