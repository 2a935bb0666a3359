/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;

/**
 * The {@link Workloads} is responsible for seeded, heterogeneous clusters for the benchmarks: three
 * host sizes, and VMs that are mostly small with a tail of large ones.
 *
 * @author vmha - Initial contribution
 */
public final class Workloads {

    private static final long[][] HOST_SIZES = {{40_000, 262_144 }, {60_000, 393_216 }, {80_000, 524_288 } };

    private Workloads() {
    }

    /** @return host {@code i} of a heterogeneous cluster */
    static Host host(int i) {
        long[] size = HOST_SIZES[i % HOST_SIZES.length];
        return new Host(String.format("H%03d", i), ResourceVector.of(size[0], size[1]), HostState.CONNECTED, false);
    }

    /** @return a heterogeneous VM reservation: 90% small, 10% large */
    static ResourceVector vmReservation(SplittableRandom rnd) {
        if (rnd.nextInt(10) == 0) {
            return ResourceVector.of(1000 + rnd.nextInt(1000), 4096 + rnd.nextInt(8192));
        }
        return ResourceVector.of(100 + rnd.nextInt(400), 512 + rnd.nextInt(2560));
    }

    /** @return a restart priority other than disabled */
    static RestartPriority priority(SplittableRandom rnd) {
        return RestartPriority.values()[1 + rnd.nextInt(5)];
    }

    /**
     * A running cluster: {@code vms} VMs placed first-fit from host {@code i % hosts}, plus one
     * powered-off small VM {@code candidate} registered on {@code H000} for power-on decisions.
     *
     * @param seed generator seed
     * @param hosts number of hosts
     * @param vms number of running VMs
     * @return the snapshot
     */
    public static ClusterSnapshot running(long seed, int hosts, int vms) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Host> hs = new ArrayList<>();
        long[][] free = new long[hosts][];
        for (int i = 0; i < hosts; i++) {
            Host h = host(i);
            hs.add(h);
            free[i] = new long[] {h.capacity().get("cpuMhz"), h.capacity().get("memoryMb") };
        }
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (int v = 0; v < vms; v++) {
            ResourceVector r = vmReservation(rnd);
            int target = -1;
            for (int k = 0; k < hosts && target < 0; k++) {
                int h = (v + k) % hosts;
                if (free[h][0] >= r.get("cpuMhz") && free[h][1] >= r.get("memoryMb")) {
                    target = h;
                }
            }
            if (target < 0) {
                throw new IllegalStateException("workload does not fit: VM " + v);
            }
            free[target][0] -= r.get("cpuMhz");
            free[target][1] -= r.get("memoryMb");
            entries.add(new FailoverTableEntry(String.format("vm%05d", v), String.format("lun%05d", v),
                    hs.get(target).name(), null, priority(rnd), r, VmState.RUNNING, 1));
        }
        entries.add(new FailoverTableEntry("candidate", "lun-candidate", "H000", null, RestartPriority.MEDIUM,
                ResourceVector.of(200, 1024), VmState.POWERED_OFF, 1));
        return new ClusterSnapshot(hs, new FailoverTable(1, entries));
    }
}
