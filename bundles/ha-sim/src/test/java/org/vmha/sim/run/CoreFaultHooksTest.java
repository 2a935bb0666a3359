/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.CorruptCheckpointException;
import org.vmha.api.storage.Lease;
import org.vmha.hypervisor.sim.GuestImage;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.VirtualScheduler;
import org.vmha.api.transport.ClusterListener;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link CoreFaultHooksTest} is responsible for the fault hooks ha-sim adds to the in-memory core
 * components: message duplication in {@link InMemoryTransport}, the delayed guest shutdown and the resume
 * fallback past corrupt checkpoints in {@link SimulatedHypervisor}, and
 * {@link InMemoryStorageAdapter#corruptLatestCheckpoint(String)}.
 *
 * @author vmha - Initial contribution
 */
class CoreFaultHooksTest {

    private static List<String> deliveries(long seed, double loss, long dmin, long dmax, Double duplication) {
        VirtualScheduler sched = new VirtualScheduler(0);
        InMemoryTransport t = duplication == null ? new InMemoryTransport(sched, seed, loss, dmin, dmax)
                : new InMemoryTransport(sched, seed, loss, dmin, dmax, duplication);
        List<String> got = new ArrayList<>();
        for (String h : List.of("H1", "H2", "H3")) {
            t.endpoint(h).subscribe(new ClusterListener() {
                @Override
                public void onHeartbeat(HostHeartbeat hb) {
                    got.add(sched.nowMillis() + ":" + h + "<-" + hb.host() + "#" + hb.sequence());
                }

                @Override
                public void onTable(TableUpdate update) {
                    got.add(sched.nowMillis() + ":" + h + "<-table" + update.version());
                }
            });
        }
        for (int i = 1; i <= 50; i++) {
            t.endpoint("H1").publishHeartbeat(new HostHeartbeat("H1", i, sched.nowMillis(), null, null));
            t.endpoint("H2").publishTable(new TableUpdate("H2", i, false, List.of()));
            sched.advance(100);
        }
        sched.advance(1000);
        got.add("sent=" + t.sent() + " dropped=" + t.dropped() + " duplicated=" + t.duplicated());
        return got;
    }

    @Test
    void noDuplicationLeavesEveryDrawAsBeforeAndDuplicationIsSeeded() {
        for (long[] d : new long[][] {{0, 0}, {5, 80}, {10, 10}}) {
            assertThat(deliveries(3, 0.2, d[0], d[1], 0.0)).isEqualTo(deliveries(3, 0.2, d[0], d[1], null));
            List<String> dup = deliveries(3, 0.2, d[0], d[1], 0.3);
            assertThat(dup).isEqualTo(deliveries(3, 0.2, d[0], d[1], 0.3));
            assertThat(dup).isNotEqualTo(deliveries(4, 0.2, d[0], d[1], 0.3));
            // 200 deliveries, about 20 % lost, about 30 % of the rest twice
            String stats = dup.get(dup.size() - 1);
            String[] f = stats.split("[ =]");
            long sent = Long.parseLong(f[1]);
            long dropped = Long.parseLong(f[3]);
            long duplicated = Long.parseLong(f[5]);
            assertThat(duplicated).as(stats).isBetween(20L, 80L);
            assertThat(sent).as("a duplicate counts as one more delivery attempted").isEqualTo(200 + duplicated);
            assertThat(dup).as("each copy that was not lost arrives").hasSize((int) (sent - dropped) + 1);
        }
        List<String> lossless = deliveries(1, 0, 0, 0, 0.5);
        // every delivery arrives at least once, some twice (the same heartbeat twice in a row)
        assertThat(lossless.stream().filter(s -> s.startsWith("0:H2<-H1#1")).count()).isBetween(1L, 2L);
        assertThat(lossless.stream().filter(s -> s.contains("<-H1#")).count()).isGreaterThan(100);
        assertThatThrownBy(() -> new InMemoryTransport(new VirtualScheduler(0), 1, 0, 0, 0, 1.0))
                .hasMessageContaining("duplication");
    }

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), 1_000_000);
    private final List<String> stops = new ArrayList<>();
    private final SimulatedHypervisor.Listener listener = new SimulatedHypervisor.Listener() {
        @Override
        public void started(String host, RunningVm vm) {
        }

        @Override
        public void stopped(String host, String lun, String reason) {
            stops.add(sched.nowMillis() + ":" + host + ":" + lun + ":" + reason);
        }
    };
    private final Vmx vmx = new Vmx(1, 1024, null, null, null, Map.of());

    private SimulatedHypervisor hv(String host, long guestShutdownMillis) {
        return new SimulatedHypervisor(host, ResourceVector.of(8000, 8192), storage, sched,
                new SimulatedHypervisor.Settings(1000, 5000, 100, guestShutdownMillis), listener);
    }

    @Test
    void aSlowGuestShutdownKeepsTheVmListedUntilItIsOffAndAPowerOffCutsItShort() {
        assertThat(new SimulatedHypervisor.Settings(1, 2, 3).guestShutdownMillis()).isZero();
        storage.provisionVolume("vm1");
        storage.provisionVolume("vm2");
        SimulatedHypervisor h = hv("H1", 5000);
        h.start(new StartRequest("vm1", "lun-vm1", vmx, storage.acquireLease("lun-vm1", "H1").generation(), false));
        h.start(new StartRequest("vm2", "lun-vm2", vmx, storage.acquireLease("lun-vm2", "H1").generation(), false));
        sched.runUntil(2000);
        assertThat(h.shutdownGuest("lun-vm1")).isTrue();
        assertThat(h.shutdownGuest("lun-vm1")).as("already shutting down: still runs").isTrue();
        assertThat(h.shutdownGuest("lun-vm2")).isTrue();
        sched.runUntil(6999);
        assertThat(h.listRunning()).extracting(RunningVm::lun).containsExactly("lun-vm1", "lun-vm2");
        assertThat(h.powerOff("lun-vm2")).isTrue();
        sched.runUntil(7000);
        assertThat(h.listRunning()).isEmpty();
        assertThat(stops).containsExactly("6999:H1:lun-vm2:power-off", "7000:H1:lun-vm1:shutdown");
        assertThat(h.shutdownGuest("lun-vm1")).isFalse();

        SimulatedHypervisor now = hv("H2", 0);
        storage.releaseLease(storage.inspectLease("lun-vm2").map(s -> new Lease(s.lun(), s.owner(), s.generation(),
                s.acquiredAtMillis(), s.expiresAtMillis())).orElseThrow());
        now.start(new StartRequest("vm2", "lun-vm2", vmx, storage.acquireLease("lun-vm2", "H2").generation(), false));
        assertThat(now.shutdownGuest("lun-vm2")).isTrue();
        assertThat(now.listRunning()).as("0 ms: off when the call returns").isEmpty();
    }

    @Test
    void aResumeSkipsCorruptCheckpointsForTheNewestIntactOneAndColdBootsWithNoneLeft() {
        InMemoryStorageAdapter three = new InMemoryStorageAdapter(sched.clock(), 1_000_000, 3);
        SimulatedHypervisor h1 = new SimulatedHypervisor("H1", ResourceVector.of(8000, 8192), three, sched,
                new SimulatedHypervisor.Settings(1000, 5000, 100), listener);
        three.provisionVolume("vm1");
        Lease l1 = three.acquireLease("lun-vm1", "H1");
        assertThat(three.corruptLatestCheckpoint("lun-vm1")).as("no checkpoint yet").isEmpty();
        h1.start(new StartRequest("vm1", "lun-vm1", vmx, l1.generation(), false));
        sched.runUntil(1000 + 5000 * 3 + 50); // checkpoints 1, 2, 3 at 6 s, 11 s, 16 s
        h1.crash();
        assertThat(three.corruptLatestCheckpoint("lun-vm1")).hasValue(3);
        assertThat(three.listCheckpoints("lun-vm1")).as("the damaged one stays listed").hasSize(3);
        assertThatThrownBy(() -> three.readCheckpoint("lun-vm1", 3, OutputStream.nullOutputStream()))
                .isInstanceOf(CorruptCheckpointException.class);
        three.corruptCheckpoint("lun-vm1", 2, 0);
        three.releaseLease(l1);
        Lease l2 = three.acquireLease("lun-vm1", "H2");
        SimulatedHypervisor h2 = new SimulatedHypervisor("H2", ResourceVector.of(8000, 8192), three, sched,
                new SimulatedHypervisor.Settings(1000, 5000, 100), listener);
        RunningVm vm = h2.start(new StartRequest("vm1", "lun-vm1", vmx, l2.generation(), true));
        assertThat(vm.resumedFromCheckpoint()).isEqualTo(1);
        assertThat(h2.guest("lun-vm1").orElseThrow()).isEqualTo(new GuestImage("vm1", 50, 1));
        h2.powerOff("lun-vm1");
        three.corruptCheckpoint("lun-vm1", 1, 0);
        RunningVm cold = h2.start(new StartRequest("vm1", "lun-vm1", vmx, l2.generation(), true));
        assertThat(cold.resumedFromCheckpoint()).as("every checkpoint damaged: cold boot").isEqualTo(-1);
        assertThat(h2.guest("lun-vm1").orElseThrow()).isEqualTo(new GuestImage("vm1", 0, 1));
    }
}
