/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.Vmx;

/**
 * The {@link FaultyHypervisorTest} is responsible for the fault-injecting hypervisor wrapper: armed failures
 * throw before the wrapped adapter is called and are observed, starts that fail still run the VM, slow and
 * ignored guest shutdowns, and call counts.
 *
 * @author vmha - Initial contribution
 */
class FaultyHypervisorTest {

    private static final String LUN = "lun-vm1";
    private static final StartRequest START = new StartRequest("vm1", LUN, new Vmx(1, 512, null, null, null, Map.of()),
            1, false);

    private final VirtualScheduler sched = new VirtualScheduler(0);
    /** The luns the wrapped adapter runs. */
    private final Set<String> running = new TreeSet<>();
    /** The calls that reached the wrapped adapter. */
    private final List<String> reached = new ArrayList<>();
    private final HypervisorAdapter inner = (HypervisorAdapter) Proxy.newProxyInstance(
            HypervisorAdapter.class.getClassLoader(), new Class<?>[] {HypervisorAdapter.class}, (proxy, m, args) -> {
                switch (m.getName()) {
                    case "host":
                        return "H1";
                    case "runningLuns":
                        return Set.copyOf(running);
                    case "start":
                        reached.add("start");
                        running.add(((StartRequest) args[0]).lun());
                        return new RunningVm("vm1", LUN, 1, true, sched.nowMillis(), -1, null);
                    case "powerOff", "shutdownGuest":
                        reached.add(m.getName());
                        return running.remove((String) args[0]);
                    default:
                        throw new UnsupportedOperationException(m.getName());
                }
            });
    private final List<String> observed = new ArrayList<>();
    private final FaultyHypervisor.Faults faults = new FaultyHypervisor.Faults();
    private final FaultyHypervisor hv = new FaultyHypervisor(inner, faults,
            (host, op, lun, left) -> observed.add(host + " " + op + " " + lun + " left " + left));

    @Test
    void armedFailuresThrowWithoutReachingTheHypervisorAndAddUp() {
        hv.start(START);
        faults.arm(FaultyHypervisor.POWER_OFF, 1);
        faults.arm(FaultyHypervisor.POWER_OFF, 1);
        assertThatThrownBy(() -> hv.powerOff(LUN)).isInstanceOf(HypervisorException.class)
                .hasMessage("simulated hypervisor-fail: power-off of lun-vm1 on H1 failed (1 more power-off failures"
                        + " to come)");
        assertThatThrownBy(() -> hv.powerOff(LUN)).isInstanceOf(HypervisorException.class);
        assertThat(running).as("a failed power-off leaves the VM running").containsExactly(LUN);
        assertThat(hv.powerOff(LUN)).isTrue();
        assertThat(reached).containsExactly("start", "powerOff");
        assertThat(observed).containsExactly("H1 power-off lun-vm1 left 1", "H1 power-off lun-vm1 left 0");
        assertThat(hv.calls(FaultyHypervisor.POWER_OFF)).as("failed calls count").isEqualTo(3);
        assertThat(hv.calls(FaultyHypervisor.CHECKPOINT)).isZero();
    }

    @Test
    void theFaultsOutliveTheWrapper() {
        faults.arm(FaultyHypervisor.START, 2);
        assertThatThrownBy(() -> hv.start(START)).isInstanceOf(HypervisorException.class);
        FaultyHypervisor afterPowerCycle = new FaultyHypervisor(inner, faults, (host, op, lun, left) -> {
        });
        assertThatThrownBy(() -> afterPowerCycle.start(START)).isInstanceOf(HypervisorException.class);
        afterPowerCycle.start(START);
        assertThat(reached).containsExactly("start");
        assertThat(new FaultyHypervisor(inner).faults()).as("a wrapper of its own has nothing armed").isNotSameAs(faults);
    }

    @Test
    void aStartThatFailsButRunsLeavesTheVmRunning() {
        hv.startsRunButFail(1, r -> new IllegalStateException("start(" + r.lun() + ") timed out"));
        assertThatThrownBy(() -> hv.start(START)).isInstanceOf(IllegalStateException.class)
                .hasMessage("start(lun-vm1) timed out");
        assertThat(running).containsExactly(LUN);
        assertThat(hv.start(START).lun()).as("only the next start fails").isEqualTo(LUN);
        faults.arm(FaultyHypervisor.START, 1);
        hv.startsRunButFail(1, r -> new IllegalStateException("not thrown"));
        assertThatThrownBy(() -> hv.start(START)).as("an armed failure wins").isInstanceOf(HypervisorException.class);
        assertThat(reached).containsExactly("start", "start");
    }

    @Test
    void aSlowGuestGoesDownLaterAndAnIgnoringOneNever() {
        hv.start(START);
        hv.guestShutdownTakes(sched, 4_000);
        assertThat(hv.shutdownGuest(LUN)).isTrue();
        sched.runUntil(3_999);
        assertThat(running).containsExactly(LUN);
        sched.runUntil(4_000);
        assertThat(running).isEmpty();
        assertThat(hv.shutdownGuest(LUN)).as("not running").isFalse();

        hv.start(START);
        hv.guestShutdownTakes(sched, FaultyHypervisor.NEVER);
        assertThat(hv.shutdownGuest(LUN)).isTrue();
        sched.runUntil(100_000);
        assertThat(running).containsExactly(LUN);

        hv.guestShutdownTakes(sched, 0);
        assertThat(hv.shutdownGuest(LUN)).isTrue();
        assertThat(running).as("straight through again").isEmpty();
        assertThat(reached).containsExactly("start", "shutdownGuest", "start", "shutdownGuest");
        assertThat(hv.calls(FaultyHypervisor.SHUTDOWN)).isEqualTo(4);
    }
}
