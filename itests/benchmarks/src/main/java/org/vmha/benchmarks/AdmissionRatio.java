/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.core.admission.AbstractAdmissionPolicy;
import org.vmha.core.admission.AdmissionPolicies;
import org.vmha.core.admission.PolicySettings;
import org.vmha.core.admission.PolicyType;

/**
 * The {@link AdmissionRatio} is responsible for the "exact admits more than slot" figure: starting
 * from an empty heterogeneous cluster, it offers the same seeded stream of power-on requests to each
 * policy (each admitted VM is powered on, placed on the connected host with the most room left) and
 * counts what each policy admits. No JMH: {@code java -cp target/benchmarks.jar
 * org.vmha.benchmarks.AdmissionRatio [seed] [hosts] [vms] [hostFailures]}.
 *
 * @author vmha - Initial contribution
 */
public final class AdmissionRatio {

    private AdmissionRatio() {
    }

    static int admitted(PolicySettings settings, long seed, int hosts, int vms) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Host> hs = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            hs.add(Workloads.host(i));
        }
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (int v = 0; v < vms; v++) {
            ResourceVector r = Workloads.vmReservation(rnd);
            entries.add(new FailoverTableEntry(String.format("vm%05d", v), String.format("lun%05d", v), null, null,
                    Workloads.priority(rnd), r, VmState.POWERED_OFF, 1));
        }
        ClusterSnapshot s = new ClusterSnapshot(hs, new FailoverTable(1, entries));
        AbstractAdmissionPolicy<?> policy = AdmissionPolicies.create(settings);
        int admitted = 0;
        for (FailoverTableEntry e : entries) {
            AbstractAdmissionPolicy.Outcome o = policy.evaluate(s, AdmissionRequest.PowerOn.of(e.vm()));
            if (o.decision().admitted()) {
                admitted++;
                s = o.after();
            }
        }
        return admitted;
    }

    /**
     * @param args [seed] [hosts] [vms] [hostFailures]
     */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20261127L;
        int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int vms = args.length > 2 ? Integer.parseInt(args[2]) : 2500;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        PolicySettings slotDefault = PolicySettings.defaults(PolicyType.SLOT).withHostFailures(n);
        PolicySettings slotCapped = new PolicySettings(PolicyType.SLOT, n, null, ResourceVector.of(Map.of("cpuMhz",
                500L, "memoryMb", 3072L)), null, null, 32);
        PolicySettings exact = PolicySettings.defaults(PolicyType.EXACT).withHostFailures(n);
        long t0 = System.nanoTime();
        int slot = admitted(slotDefault, seed, hosts, vms);
        int capped = admitted(slotCapped, seed, hosts, vms);
        int ex = admitted(exact, seed, hosts, vms);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("seed=%d hosts=%d offeredVms=%d hostFailures=%d%n", seed, hosts, vms, n);
        System.out.printf("slot (default, no cap)             admitted %d%n", slot);
        System.out.printf("slot (cap cpuMhz=500,memoryMb=3072) admitted %d%n", capped);
        System.out.printf("exact                              admitted %d%n", ex);
        System.out.printf("ratio exact/slot = %.3f, exact/slot-capped = %.3f (%d ms)%n", (double) ex / slot,
                (double) ex / capped, ms);
    }
}
