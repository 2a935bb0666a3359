/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;

/**
 * The {@link SimHypervisorAdapterFactoryTest} is responsible for the DS factory: type check, settings
 * from the configuration map, refusal of bad values naming the key, checkpoints on the wall clock.
 *
 * @author vmha - Initial contribution
 */
class SimHypervisorAdapterFactoryTest {

    private static Map<String, Object> config(long boot, long ckpt) {
        return Map.of("bootDelayMillis", boot, "checkpointIntervalMillis", ckpt, "counterTickMillis", 1L,
                "schedulerThreads", 1);
    }

    @Test
    void malformedConfiguredValuesAreOneErrorLineEachAndTheirDefaults() {
        List<String> errors = new ArrayList<>();
        SimulatedHypervisor.Settings s = SimHypervisorAdapterFactory.settings(Map.of("bootDelayMillis", "abc",
                "checkpointIntervalMillis", "-3", "counterTickMillis", "7"), errors::add);
        assertThat(s.bootDelayMillis()).isEqualTo(SimHypervisorConfiguration.DEFAULT_BOOT_DELAY_MILLIS);
        assertThat(s.checkpointIntervalMillis()).isEqualTo(5000);
        assertThat(s.counterTickMillis()).isEqualTo(7);
        assertThat(errors).containsExactly(
                "Invalid configuration org.vmha.hypervisor.sim: bootDelayMillis = 'abc' is not a whole number; "
                        + "using the default 2000",
                "Invalid configuration org.vmha.hypervisor.sim: checkpointIntervalMillis = '-3' is outside "
                        + "0..3600000; using the default 5000");
    }

    @Test
    void noConfigurationGivesTheMetatypeDefaultsSilently() {
        List<String> errors = new ArrayList<>();
        SimulatedHypervisor.Settings s = SimHypervisorAdapterFactory.settings(null, errors::add);
        assertThat(errors).isEmpty();
        assertThat(s).isEqualTo(new SimulatedHypervisor.Settings(2000, 5000, 100));
    }

    @Test
    void createsAdaptersThatCheckpointIntoTheVolumeOnTheWallClock() throws Exception {
        SimHypervisorAdapterFactory f = new SimHypervisorAdapterFactory(config(-5, 20));
        try {
            assertThat(f.supportsType("sim")).isTrue();
            assertThat(f.supportsType("qemu")).isFalse();
            InMemoryStorageAdapter storage = new InMemoryStorageAdapter(Clock.systemUTC(), 60_000);
            storage.provisionVolume("vm1");
            Lease l = storage.acquireLease("lun-vm1", "H1");
            HypervisorAdapter h = f.create("sim", "H1", Map.of("capacity.cpuMhz", 8000, "bootDelayMillis", "0"),
                    storage, Clock.systemUTC());
            assertThat(h.usage().capacity()).isEqualTo(new ResourceVector(new java.util.TreeMap<>(Map.of("cpuMhz",
                    8000L))));
            RunningVm vm = h.start(new StartRequest("vm1", "lun-vm1", new Vmx(1, 256, null, null, null),
                    l.generation(), true));
            assertThat(vm.generation()).isEqualTo(l.generation());
            long deadline = System.currentTimeMillis() + 10_000;
            while (storage.listCheckpoints("lun-vm1").isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(storage.listCheckpoints("lun-vm1")).isNotEmpty();
            assertThat(h.listRunning()).extracting(RunningVm::lun).containsExactly("lun-vm1");
        } finally {
            f.deactivate();
        }
    }

    @Test
    void refusesBadCallerSettingsNamingTheKey() {
        SimHypervisorAdapterFactory f = new SimHypervisorAdapterFactory(config(1000, 5000));
        try {
            InMemoryStorageAdapter storage = new InMemoryStorageAdapter(Clock.systemUTC(), 60_000);
            assertThatThrownBy(() -> f.create("sim", "H1", Map.of("counterTickMillis", "fast"), storage,
                    Clock.systemUTC())).hasMessageContaining("counterTickMillis").hasMessageContaining("fast");
            assertThatThrownBy(() -> f.create("sim", "H1", Map.of("bootDelayMillis", -1), storage, Clock.systemUTC()))
                    .hasMessageContaining("bootDelayMillis must be >= 0");
            assertThatThrownBy(() -> f.create("qemu", "H1", Map.of(), storage, Clock.systemUTC()))
                    .hasMessageContaining("'qemu' is not supported");
        } finally {
            f.deactivate();
        }
    }
}
