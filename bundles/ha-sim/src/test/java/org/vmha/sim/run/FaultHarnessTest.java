/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.StorageException;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.testkit.FaultyHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.api.time.TaskScheduler;
import org.vmha.testkit.VirtualScheduler;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link FaultHarnessTest} is responsible for ha-sim's fault machinery below the scenario level: the
 * agent's serial thread in virtual time ({@link AgentRuntime}: pause, stall, deferral in arrival order), the
 * storage-hang guard ({@link SimGuard}: k hung calls stall k x the timeout), the hypervisor's view of a
 * hanging datastore and {@code hypervisor-fail} ({@link FaultyHypervisor}).
 *
 * @author vmha - Initial contribution
 */
class FaultHarnessTest {

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final List<String> log = new ArrayList<>();

    @Test
    void withoutABlockTasksAndDeliveriesRunWhereTheyWould() {
        AgentRuntime rt = new AgentRuntime(sched);
        TaskScheduler s = rt.scheduler();
        s.schedule(100, () -> log.add(sched.nowMillis() + ":tick"));
        TaskScheduler.Cancellable c = s.schedule(150, () -> log.add("cancelled ran"));
        c.cancel();
        assertThat(rt.execute(() -> log.add(sched.nowMillis() + ":now"))).isTrue();
        sched.runUntil(1000);
        assertThat(log).containsExactly("0:now", "100:tick");
        assertThat(sched.executed()).as("a cancelled timer is no task that ran").isEqualTo(1);
        assertThat(rt.deferred()).isZero();
    }

    @Test
    void aPauseDefersTimersDeliveriesAndRequestsInArrivalOrderAndDropsNone() {
        AgentRuntime rt = new AgentRuntime(sched);
        InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
        ClusterTransport ep = rt.endpoint(transport.endpoint("H1"));
        ep.subscribe(new ClusterListener() {
            @Override
            public void onHeartbeat(HostHeartbeat hb) {
                log.add(sched.nowMillis() + ":hb" + hb.sequence());
            }

            @Override
            public void onTable(TableUpdate update) {
                log.add(sched.nowMillis() + ":table" + update.version());
            }
        });
        TaskScheduler s = rt.scheduler();
        sched.schedule(1000, () -> rt.pause(5000));
        s.schedule(2000, () -> log.add(sched.nowMillis() + ":tick@2000"));
        sched.schedule(2500, () -> transport.endpoint("H2").publishHeartbeat(new HostHeartbeat("H2", 7, 2500, null,
                null)));
        sched.schedule(3000, () -> assertThat(rt.execute(() -> log.add(sched.nowMillis() + ":request"))).isFalse());
        sched.schedule(4000, () -> transport.endpoint("H2").publishTable(new TableUpdate("H2", 3, false, List.of())));
        // due exactly at the end of the pause, scheduled before the backlog's wake-up: still after the backlog
        s.schedule(5000, () -> log.add(sched.nowMillis() + ":tick@5000"));
        sched.runUntil(10_000);
        assertThat(log).containsExactly("5000:tick@2000", "5000:hb7", "5000:request", "5000:table3",
                "5000:tick@5000");
        assertThat(rt.deferred()).isEqualTo(5);
    }

    @Test
    void hungStorageCallsStallTheAgentForTheirBlockingTimeCountedFromTheTaskStart() {
        InMemoryStorageAdapter mem = new InMemoryStorageAdapter(sched.clock(), 60_000);
        SwitchableStorage storage = new SwitchableStorage("H1", mem);
        AgentRuntime rt = new AgentRuntime(sched);
        SimGuard guard = new SimGuard(storage, rt, 10_000);
        sched.schedule(1000, () -> storage.hang(26_000)); // hangs 1 s .. 26 s
        rt.scheduler().schedule(2000, () -> {
            for (String op : List.of("writeHeartbeat", "readHeartbeats", "renewLeases")) {
                try {
                    guard.call("storage memory@H1", op, "H1", () -> {
                        log.add("ran " + op);
                        return null;
                    });
                } catch (AdapterCallException e) {
                    log.add(e.getMessage());
                }
            }
            guard.call("hypervisor sim@H1", "usage", "H1", () -> log.add("hypervisor calls are not affected"));
        });
        rt.scheduler().schedule(3000, () -> log.add(sched.nowMillis() + ":next tick"));
        sched.runUntil(60_000);
        assertThat(log).containsExactly(
                "storage memory@H1 writeHeartbeat(H1) did not return within 10000 ms (simulated storage-hang)",
                "storage memory@H1 readHeartbeats(H1) did not return within 10000 ms (simulated storage-hang)",
                // started at 2 s + 20 s: the hang ends 4 s later, so it returns then and completes
                "ran renewLeases", "hypervisor calls are not affected",
                // 10 s + 10 s + 4 s after the task's start
                "26000:next tick");
        assertThat(guard.timedOut()).isEqualTo(2);
        assertThat(rt.blocked()).isFalse();
    }

    @Test
    void theHypervisorsViewOfAHangingDatastoreFailsAtOnceAndTheAgentsViewIsLeftToTheGuard() {
        InMemoryStorageAdapter mem = new InMemoryStorageAdapter(sched.clock(), 60_000);
        mem.provisionVolume("vm1");
        Lease l = mem.acquireLease("lun-vm1", "H1");
        SwitchableStorage agentView = new SwitchableStorage("H1", mem);
        SwitchableStorage hvView = agentView.hypervisorView(sched::nowMillis);
        agentView.hang(5000);
        assertThatThrownBy(() -> hvView.writeCheckpoint("lun-vm1", l.generation(), new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(StorageException.class).hasMessageContaining("simulated storage-hang until 5000 ms")
                .hasMessageContaining("writeCheckpoint");
        assertThat(agentView.inspectLease("lun-vm1")).isPresent();
        agentView.setUp(false);
        assertThat(hvView.up()).as("one path, two views").isFalse();
        agentView.setUp(true);
        sched.runUntil(5000);
        assertThat(hvView.writeCheckpoint("lun-vm1", l.generation(), new ByteArrayInputStream(new byte[1])).sequence())
                .isEqualTo(1);
    }

    @Test
    void hypervisorFailFailsTheNextCallsOfOneOperationAndLeavesTheVmAsItWas() {
        InMemoryStorageAdapter mem = new InMemoryStorageAdapter(sched.clock(), 60_000);
        mem.provisionVolume("vm1");
        Lease l = mem.acquireLease("lun-vm1", "H1");
        SimulatedHypervisor hv = new SimulatedHypervisor("H1", ResourceVector.of(8000, 8192), mem, sched,
                SimulatedHypervisor.Settings.DEFAULTS, null);
        FaultyHypervisor.Faults faults = new FaultyHypervisor.Faults();
        FaultyHypervisor f = new FaultyHypervisor(hv, faults, (host, op, lun, left) -> log.add(host + " " + op + " "
                + lun + " left " + left));
        Vmx vmx = new Vmx(1, 512, null, null, null, Map.of());
        faults.arm("start", 1);
        assertThatThrownBy(() -> f.start(new StartRequest("vm1", "lun-vm1", vmx, l.generation(), false)))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("simulated hypervisor-fail: start of lun-vm1 on H1");
        assertThat(hv.runs("lun-vm1")).isFalse();
        f.start(new StartRequest("vm1", "lun-vm1", vmx, l.generation(), false));
        faults.arm("power-off", 1);
        faults.arm("power-off", 1);
        assertThatThrownBy(() -> f.powerOff("lun-vm1")).isInstanceOf(HypervisorException.class);
        assertThatThrownBy(() -> f.powerOff("lun-vm1")).isInstanceOf(HypervisorException.class);
        assertThat(f.runningLuns()).containsExactly("lun-vm1");
        faults.arm("checkpoint", 1);
        assertThatThrownBy(() -> f.checkpoint("lun-vm1", l.generation())).isInstanceOf(HypervisorException.class);
        faults.arm("shutdown", 1);
        assertThatThrownBy(() -> f.shutdownGuest("lun-vm1")).isInstanceOf(HypervisorException.class);
        assertThat(f.checkpoint("lun-vm1", l.generation()).sequence()).isEqualTo(1);
        assertThat(f.powerOff("lun-vm1")).isTrue();
        assertThat(log).containsExactly("H1 start lun-vm1 left 0", "H1 power-off lun-vm1 left 1",
                "H1 power-off lun-vm1 left 0", "H1 checkpoint lun-vm1 left 0", "H1 shutdown lun-vm1 left 0");
    }

    @Test
    void aDeadJvmRunsNothingItDeferred() {
        AgentRuntime rt = new AgentRuntime(sched);
        rt.pause(1000);
        rt.execute(() -> log.add("deferred"));
        rt.scheduler().schedule(500, () -> log.add("timer"));
        sched.schedule(700, rt::kill);
        sched.runUntil(5000);
        assertThat(log).isEmpty();
        assertThat(rt.execute(() -> log.add("after death"))).isFalse();
        assertThat(log).isEmpty();
    }
}
