/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.ClusterIndex;

/** The fit checks on the cluster index: candidate order, free capacity per resource, hosts outside the index. */
class PlacementChecksTest {

    private static FailoverTableEntry vm(String name, String host, long cpu, long mem, VmState state) {
        return new FailoverTableEntry(name, "lun-" + name, host, null, RestartPriority.MEDIUM,
                ResourceVector.of(cpu, mem), state, 1);
    }

    private static ClusterIndex index(List<Host> hosts, FailoverTableEntry... entries) {
        return ClusterIndex.of(new ClusterSnapshot(hosts, new FailoverTable(1, List.of(entries))));
    }

    private static Host host(String name, long mem, HostState state) {
        return new Host(name, ResourceVector.of(4000, mem), state, false);
    }

    @Test
    void candidatesAreTheConnectedHostsMostFreeMemoryFirstThenByName() {
        ClusterIndex idx = index(List.of(host("A", 4096, HostState.CONNECTED), host("B", 4096, HostState.CONNECTED),
                host("C", 8192, HostState.FAILED), host("D", 8192, HostState.MAINTENANCE),
                host("E", 2048, HostState.CONNECTED)),
                vm("v1", "A", 100, 1000, VmState.RUNNING),
                vm("v2", "B", 100, 3000, VmState.POWERED_OFF), // holds nothing
                vm("v3", "E", 100, 100, VmState.STARTING));
        assertThat(PlacementChecks.byFreeMemory(idx)).containsExactly("B", "A", "E");
        assertThat(PlacementChecks.byFreeMemory(index(List.of(host("Z", 1, HostState.CONNECTED),
                host("Y", 1, HostState.CONNECTED))))).as("ties by name").containsExactly("Y", "Z");
    }

    @Test
    void aMisfitNamesTheFirstShortResourceWithWhatIsFreeAndWhatIsNeeded() {
        ClusterIndex idx = index(List.of(host("A", 4096, HostState.CONNECTED)),
                vm("v1", "A", 3500, 1000, VmState.RUNNING));
        assertThat(PlacementChecks.misfit(idx, "A", ResourceVector.of(400, 3000))).isNull();
        assertThat(PlacementChecks.misfit(idx, "A", ResourceVector.of(600, 3000)))
                .isEqualTo("host A has 500 cpuMhz free, the VM needs 600");
        assertThat(PlacementChecks.misfit(idx, "A", ResourceVector.of(600, 5000)))
                .as("resources in name order").isEqualTo("host A has 500 cpuMhz free, the VM needs 600");
        assertThat(PlacementChecks.misfit(idx, "A", ResourceVector.of(100, 3097)))
                .isEqualTo("host A has 3096 memoryMb free, the VM needs 3097");
        assertThat(PlacementChecks.misfit(idx, "X", ResourceVector.of(100_000, 1))).as("not in the index").isNull();
        Map<String, Long> gpu = new TreeMap<>(Map.of("gpu", 1L));
        assertThat(PlacementChecks.misfit(idx, "A", ResourceVector.of(gpu)))
                .as("a resource nobody has").isEqualTo("host A has 0 gpu free, the VM needs 1");
    }
}
