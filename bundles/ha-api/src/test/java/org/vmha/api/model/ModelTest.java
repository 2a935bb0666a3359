/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The {@link ModelTest} is responsible for the value semantics of the model records.
 *
 * @author vmha - Initial contribution
 */
class ModelTest {

    @Test
    void theVmxBuilderMakesTheVmxOfItsParts() {
        Vmx.Disk disk = new Vmx.Disk(null, 10_240, "disk0", "scsi0:0");
        Vmx vmx = Vmx.builder().vcpus(2).memoryMb(2048).nic(new Vmx.Nic("prod", null)).hba(new Vmx.Hba("50:01"))
                .disk(disk).reservation(ResourceVector.of(Map.of(ResourceVector.MEMORY_MB, 1024L, "gpus", 1L)))
                .property("qemu.machine", "q35").build();

        assertThat(vmx).isEqualTo(new Vmx(2, 2048, List.of(new Vmx.Nic("prod", null)), List.of(new Vmx.Hba("50:01")),
                List.of(disk), Map.of("qemu.machine", "q35", "reservation.cpuMhz", "0", "reservation.memoryMb", "1024",
                        "reservation.gpus", "1")));
        assertThat(Vmx.builder().build()).isEqualTo(new Vmx(1, 1, null, null, null));
        assertThatThrownBy(() -> Vmx.builder().vcpus(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vcpus");
    }

    @Test
    void resourceVectorIsSortedImmutableAndTreatsAbsentAsZero() {
        ResourceVector v = ResourceVector.of(Map.of("memoryMb", 2L, "cpuMhz", 1L, "gpus", 3L));
        assertThat(v.amounts().keySet()).containsExactly("cpuMhz", "gpus", "memoryMb");
        assertThat(v.get("netMbps")).isZero();
        assertThatThrownBy(() -> v.amounts().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        ResourceVector w = ResourceVector.of(10, 20);
        assertThat(v.plus(w)).isEqualTo(ResourceVector.of(Map.of("cpuMhz", 11L, "memoryMb", 22L, "gpus", 3L)));
        assertThat(w.minus(v).get("gpus")).isEqualTo(-3);
        assertThat(w.minus(v).isNonNegative()).isFalse();
        assertThat(v.max(w).get("cpuMhz")).isEqualTo(10);
        assertThat(ResourceVector.of(1, 2).fitsIn(w)).isTrue();
        assertThat(v.fitsIn(w)).as("gpus absent from w").isFalse();
        assertThat(ResourceVector.of(1, 2).with("gpus", 0).fitsIn(w)).isTrue();
        assertThatThrownBy(() -> ResourceVector.of(Map.of(" ", 1L))).hasMessageContaining("blank");
    }

    @Test
    void defaultsAndProtection() {
        Vm vm = new Vm("lun-1", "web", new Vmx(2, 2048, List.of(new Vmx.Nic("prod", null)), null,
                List.of(new Vmx.Disk("lun-1", 10_240))), ResourceVector.of(500, 1024), null, true, null);
        assertThat(vm.priority()).isEqualTo(RestartPriority.MEDIUM);
        assertThat(vm.overrides()).isEqualTo(VmOverrides.NONE);
        assertThat(vm.isProtected()).isTrue();
        assertThat(new Vm("l", "n", null, null, RestartPriority.DISABLED, true, null).isProtected()).isFalse();
        assertThat(new Vm("l", "n", null, null, null, false, null).isProtected()).isFalse();
        assertThat(RestartPriority.HIGHEST).isGreaterThan(RestartPriority.HIGH);
        assertThatThrownBy(() -> new Vmx(0, 1, null, null, null)).hasMessageContaining("vcpus");
    }

    @Test
    void onlyRunningLikeStatesHoldCapacity() {
        assertThat(VmState.RUNNING.consumesCapacity()).isTrue();
        assertThat(VmState.STARTING.consumesCapacity()).isTrue();
        assertThat(VmState.FAILING_OVER.consumesCapacity()).isTrue();
        assertThat(new VmState.Migrating("a", "b").consumesCapacity()).isTrue();
        assertThat(new VmState.RestartPending("full").consumesCapacity()).isTrue();
        assertThat(VmState.POWERED_OFF.consumesCapacity()).isFalse();
        assertThat(new VmState.Failed("disk").consumesCapacity()).isFalse();
        assertThat(new VmState.RestartPending("x").kind()).isEqualTo("RESTART_PENDING");
        assertThat(HostState.FAILED.countsForCapacity()).isTrue();
        assertThat(HostState.MAINTENANCE.countsForCapacity()).isFalse();
    }

    @Test
    void tableEntryDefaultsAndCopies() {
        FailoverTableEntry e = new FailoverTableEntry(null, "lun-9", "H1", null, null, null, null, 3);
        assertThat(e.vm()).isEqualTo("lun-9");
        assertThat(e.state()).isEqualTo(VmState.POWERED_OFF);
        assertThat(e.isProtected()).isTrue();
        assertThat(e.withAlternateHost("H2").alternateHost()).isEqualTo("H2");
        assertThat(e.withPlacement("H3", VmState.RUNNING)).extracting(FailoverTableEntry::currentHost,
                FailoverTableEntry::state).containsExactly("H3", VmState.RUNNING);
        assertThatThrownBy(() -> new FailoverTableEntry("v", " ", null, null, null, null, null, 0))
                .hasMessageContaining("lun");
    }

    @Test
    void samePlacementComparesTheWriteNotTheAlternate() {
        FailoverTableEntry e = new FailoverTableEntry("v", "lun-v", "H1", "H2", RestartPriority.HIGH,
                ResourceVector.of(1, 1), new VmState.Migrating("H1", "H3"), 4);
        assertThat(e.samePlacement(e.withAlternateHost("H4"))).as("alternates aside").isTrue();
        assertThat(e.samePlacement(e.withPlacement("H1", VmState.RUNNING))).as("another state").isFalse();
        assertThat(e.samePlacement(new FailoverTableEntry("v", "lun-v", "H1", "H2", RestartPriority.HIGH,
                ResourceVector.of(1, 1), new VmState.Migrating("H1", "H3"), 5))).as("another generation").isFalse();
        FailoverTableEntry moved = e.withPlacement("H3", e.state());
        assertThat(e.samePlacement(moved)).as("another host, another revision").isFalse();
    }
}
