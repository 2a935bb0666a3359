/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.StaleGenerationException;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link SimulatedHypervisorTest} is responsible for the simulated guest: counter, periodic
 * checkpoints through the storage SPI, resume versus reboot, fencing.
 *
 * @author vmha - Initial contribution
 */
class SimulatedHypervisorTest {

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), 1_000_000);
    private final List<String> stops = new ArrayList<>();
    private final SimulatedHypervisor.Listener listener = new SimulatedHypervisor.Listener() {
        @Override
        public void started(String host, RunningVm vm) {
        }

        @Override
        public void stopped(String host, String lun, String reason) {
            stops.add(host + ":" + lun + ":" + reason);
        }
    };
    private final Vmx vmx = new Vmx(2, 1024, null, null, null, Map.of("sim.load.cpuMhz", "700"));

    private SimulatedHypervisor hv(String host) {
        return new SimulatedHypervisor(host, ResourceVector.of(8000, 8192), storage, sched,
                new SimulatedHypervisor.Settings(1000, 5000, 100), listener);
    }

    @Test
    void aGuestsLoadIsItsSimulatedLoadElseItsReservationElseItsHardware() {
        SimulatedHypervisor h = hv("H1");
        Vmx reserved = Vmx.builder().vcpus(2).memoryMb(1024).reservation(ResourceVector.of(900, 0)).build();
        Vmx both = Vmx.builder().vcpus(2).memoryMb(1024).reservation(ResourceVector.of(900, 0))
                .property(SimulatedHypervisor.LOAD_CPU_MHZ, "300").property(SimulatedHypervisor.LOAD_MEMORY_MB, "200")
                .build();
        Vmx bare = Vmx.builder().vcpus(2).memoryMb(1024).build();
        int n = 0;
        for (Vmx x : new Vmx[] {reserved, both, bare}) {
            n++;
            storage.provisionVolume("vm" + n);
            Lease l = storage.acquireLease("lun-vm" + n, "H1");
            h.start(new StartRequest("vm" + n, "lun-vm" + n, x, l.generation(), false));
        }

        // the reservation (management's VMX): 900 MHz, 0 MB; the simulator's own keys: 300 MHz, 200 MB;
        // neither: 500 MHz per vCPU and the configured memory
        assertThat(h.usage().used()).isEqualTo(ResourceVector.of(900 + 300 + 1000, 0 + 200 + 1024));
    }

    @Test
    void aVmxValueItCannotUseIsRefusedNamingTheVmTheHostAndTheProperty() {
        SimulatedHypervisor h = hv("H2");
        storage.provisionVolume("vm9");
        Lease l = storage.acquireLease("lun-vm9", "H2");
        Vmx bad = Vmx.builder().vcpus(1).memoryMb(512).property(SimulatedHypervisor.LOAD_CPU_MHZ, "fast").build();
        assertThatThrownBy(() -> h.start(new StartRequest("vm9", "lun-vm9", bad, l.generation(), true)))
                .isInstanceOf(HypervisorException.class)
                .hasMessage("cannot start vm9 (lun-vm9) on H2: VMX property sim.load.cpuMhz must be an integer, "
                        + "was 'fast'");
        Vmx negative = Vmx.builder().vcpus(1).memoryMb(512).property(SimulatedHypervisor.BOOT_DELAY_MS, "-5").build();
        assertThatThrownBy(() -> h.start(new StartRequest("vm9", "lun-vm9", negative, l.generation(), false)))
                .hasMessage("cannot start vm9 (lun-vm9) on H2: VMX property sim.bootDelayMs must be >= 0, was -5");
        // nothing was started, and a good VMX still starts
        assertThat(h.listRunning()).isEmpty();
        h.start(new StartRequest("vm9", "lun-vm9", vmx, l.generation(), false));
        assertThat(h.listRunning()).hasSize(1);
    }

    @Test
    void resumeRestoresTheLatestCheckpointedCounterAndAColdBootStartsOver() {
        storage.provisionVolume("vm1");
        Lease l1 = storage.acquireLease("lun-vm1", "H1");
        SimulatedHypervisor h1 = hv("H1");
        RunningVm vm = h1.start(new StartRequest("vm1", "lun-vm1", vmx, l1.generation(), true));
        assertThat(vm.booting()).isTrue();
        assertThat(vm.resumedFromCheckpoint()).isEqualTo(-1);
        assertThat(h1.usage().used().get(ResourceVector.CPU_MHZ)).isEqualTo(700);
        sched.runUntil(1000 + 5000 * 3 + 50); // boot, then checkpoints at 6 s, 11 s, 16 s
        assertThat(storage.listCheckpoints("lun-vm1")).hasSize(2); // retention keeps the last two
        assertThat(storage.listCheckpoints("lun-vm1").get(1).sequence()).isEqualTo(3);
        assertThat(h1.guest("lun-vm1").orElseThrow().counter()).isEqualTo(150);
        h1.crash();
        assertThat(stops).containsExactly("H1:lun-vm1:crash");
        storage.releaseLease(l1);
        Lease l2 = storage.acquireLease("lun-vm1", "H2");
        SimulatedHypervisor h2 = hv("H2");
        RunningVm resumed = h2.start(new StartRequest("vm1", "lun-vm1", vmx, l2.generation(), true));
        assertThat(resumed.resumedFromCheckpoint()).isEqualTo(3);
        GuestImage g = h2.guest("lun-vm1").orElseThrow();
        assertThat(g.counter()).isEqualTo(150); // checkpoint 3 was taken at 16 s: (16000 - 1000) / 100
        assertThat(g.boots()).isEqualTo(1);
        h2.reset("lun-vm1");
        assertThat(h2.guest("lun-vm1").orElseThrow()).isEqualTo(new GuestImage("vm1", 0, 2));
        h2.powerOff("lun-vm1");
        RunningVm cold = h2.start(new StartRequest("vm1", "lun-vm1", vmx, l2.generation(), false));
        assertThat(cold.resumedFromCheckpoint()).isEqualTo(-1);
        assertThat(h2.guest("lun-vm1").orElseThrow().boots()).isEqualTo(1);
    }

    @Test
    void aStaleGenerationFencesTheVm() {
        storage.provisionVolume("vm1");
        Lease l1 = storage.acquireLease("lun-vm1", "H1");
        SimulatedHypervisor h1 = hv("H1");
        h1.start(new StartRequest("vm1", "lun-vm1", vmx, l1.generation(), true));
        storage.releaseLease(l1);
        storage.acquireLease("lun-vm1", "H2");
        assertThatThrownBy(() -> h1.checkpoint("lun-vm1", l1.generation()))
                .isInstanceOf(StaleGenerationException.class);
        assertThat(h1.runs("lun-vm1")).isFalse();
        assertThat(stops).containsExactly("H1:lun-vm1:fenced");
        assertThatThrownBy(() -> h1.reset("lun-vm1")).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("lun-vm1 does not run on H1");
    }

    @Test
    void runningLunsFollowsStartsStopsAndFencingAndMatchesListRunning() {
        storage.provisionVolume("vm1");
        storage.provisionVolume("vm2");
        Lease l1 = storage.acquireLease("lun-vm1", "H1");
        Lease l2 = storage.acquireLease("lun-vm2", "H1");
        SimulatedHypervisor h1 = hv("H1");
        assertThat(h1.runningLuns()).isEmpty();
        h1.start(new StartRequest("vm1", "lun-vm1", vmx, l1.generation(), true));
        h1.start(new StartRequest("vm2", "lun-vm2", vmx, l2.generation(), true));
        java.util.Set<String> both = h1.runningLuns();
        assertThat(both).containsExactlyInAnyOrder("lun-vm1", "lun-vm2");
        assertThat(h1.listRunning()).extracting(RunningVm::lun).containsExactlyInAnyOrderElementsOf(both);
        assertThatThrownBy(() -> both.add("x")).isInstanceOf(UnsupportedOperationException.class);

        h1.powerOff("lun-vm1");
        assertThat(h1.runningLuns()).containsExactly("lun-vm2");
        assertThat(both).containsExactlyInAnyOrder("lun-vm1", "lun-vm2"); // an earlier snapshot does not change
        storage.releaseLease(l2);
        storage.acquireLease("lun-vm2", "H2");
        assertThatThrownBy(() -> h1.checkpoint("lun-vm2", l2.generation()))
                .isInstanceOf(StaleGenerationException.class);
        assertThat(h1.runningLuns()).isEmpty();
    }

    @Test
    void guestImageRejectsForeignBytesNamingTheCheckpoint() {
        assertThatThrownBy(() -> GuestImage.parse("garbage".getBytes(), "checkpoint 7 of lun-x"))
                .hasMessageContaining("checkpoint 7 of lun-x");
        GuestImage g = new GuestImage("vm", 42, 3);
        assertThat(GuestImage.parse(g.toBytes(), "x")).isEqualTo(g);
    }
}
