/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;

/** Host states from heartbeats, the failure timeout, maintenance mode and removal. */
class ClusterMembersTest {

    private final ClusterMembers members = new ClusterMembers(1000, Map.of("H1", ResourceVector.of(4000, 4096)));

    private static HostHeartbeat hb(String host, long memory) {
        return new HostHeartbeat(host, 1, 0, ResourceVector.of(100, 200), ResourceVector.of(8000, memory));
    }

    @Test
    void aHostIsConnectedWhileHeardWithinTheTimeoutThenFailed() {
        assertThat(members.hosts(0)).extracting(Host::state).as("never heard").containsExactly(HostState.FAILED);
        members.heardAllAt(0);
        assertThat(members.hosts(1000)).extracting(Host::state).containsExactly(HostState.CONNECTED);
        assertThat(members.hosts(1001)).extracting(Host::state).containsExactly(HostState.FAILED);
        members.onHeartbeat(hb("H1", 8192), 1500);
        assertThat(members.hosts(2000)).singleElement().satisfies(h -> {
            assertThat(h.state()).isEqualTo(HostState.CONNECTED);
            assertThat(h.capacity()).as("the heartbeat's capacity").isEqualTo(ResourceVector.of(8000, 8192));
        });
    }

    @Test
    void viewsCountTheReservationsOfTheVmsThatHoldCapacity() {
        members.heardAllAt(0);
        members.onHeartbeat(hb("H1", 4096), 10);
        List<FailoverTableEntry> entries = List.of(
                new FailoverTableEntry("a", "lun-a", "H1", null, RestartPriority.MEDIUM, ResourceVector.of(10, 20),
                        VmState.RUNNING, 1),
                new FailoverTableEntry("b", "lun-b", "H1", null, RestartPriority.MEDIUM, ResourceVector.of(10, 20),
                        VmState.POWERED_OFF, 1));
        HostView v = members.view("H1", 30, entries);
        assertThat(v.vms()).isEqualTo(1);
        assertThat(v.reserved()).isEqualTo(ResourceVector.of(10, 20));
        assertThat(v.load()).isEqualTo(ResourceVector.of(100, 200));
        assertThat(v.heardAgoMillis()).isEqualTo(20);
        assertThat(TypedResultsTest.json(v.summary())).containsOnlyKeys("host", "state", "capacity", "reserved", "load",
                "vms", "heardAgoMs");
    }

    @Test
    void maintenanceOverridesTheHeartbeatsAndEveryChangeIsReportedOnce() {
        members.heardAllAt(0);
        assertThat(members.takeMaintenanceChanged()).isFalse();
        members.maintenance("H1", true, 0);
        assertThat(members.hosts(0)).extracting(Host::state).containsExactly(HostState.MAINTENANCE);
        assertThat(members.takeMaintenanceChanged()).isTrue();
        assertThat(members.takeMaintenanceChanged()).isFalse();
        members.maintenance("H1", false, 0);
        assertThat(members.takeMaintenanceChanged()).isTrue();
        assertThat(members.maintenance()).isEmpty();
    }

    @Test
    void aRemovedHostsHeartbeatsNoLongerCountUntilItIsAddedAgain() {
        members.heardAllAt(0);
        members.maintenance("H1", true, 0);
        members.takeMaintenanceChanged();
        members.remove("H1");
        assertThat(members.takeMaintenanceChanged()).as("it left maintenance mode").isTrue();
        members.onHeartbeat(hb("H1", 4096), 10);
        assertThat(members.contains("H1")).isFalse();
        members.add("H1", ResourceVector.of(1000, 1024), 15);
        assertThat(members.hosts(20)).extracting(Host::state).as("failed until heard").containsExactly(HostState.FAILED);
        members.onHeartbeat(hb("H1", 4096), 30);
        assertThat(members.hosts(40)).extracting(Host::state).containsExactly(HostState.CONNECTED);
        assertThat(members.names()).containsExactly("H1");
    }

    @Test
    void aHostCountsForAdmissionOnceHeardAndStaysCountedWhenItFailsAfterwards() {
        members.heardAllAt(0);
        members.add("H2", ResourceVector.of(4000, 4096), 0);
        assertThat(members.hosts(10)).extracting(Host::name).as("listed").containsExactly("H1", "H2");
        assertThat(members.admissionHosts(10)).extracting(Host::name).as("added, never heard: does not count")
                .containsExactly("H1");
        members.onHeartbeat(hb("H2", 4096), 20);
        assertThat(members.admissionHosts(30)).extracting(Host::name, Host::state).as("heard and connected")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("H1", HostState.CONNECTED),
                        org.assertj.core.groups.Tuple.tuple("H2", HostState.CONNECTED));
        assertThat(members.admissionHosts(1500)).extracting(Host::name, Host::state)
                .as("H1 configured and silent since the start no longer counts; H2 failed after being heard does")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("H2", HostState.FAILED));
    }

    @Test
    void aHostRemovedAndAddedAgainCountsOnlyFromItsNextHeartbeat() {
        members.onHeartbeat(hb("H1", 4096), 0);
        members.remove("H1");
        members.add("H1", ResourceVector.of(4000, 4096), 0);
        assertThat(members.admissionHosts(10)).isEmpty();
        members.onHeartbeat(hb("H1", 4096), 20);
        assertThat(members.admissionHosts(30)).extracting(Host::name).containsExactly("H1");
    }

    @Test
    void eachStateHasTheTimeItBeganAndTheLastRealHeartbeat() {
        members.heardAllAt(100);
        assertThat(members.since("H1", HostState.CONNECTED)).as("counted heard from the start").isEqualTo(100);
        assertThat(members.lastHeartbeat("H1")).as("the start is no heartbeat").isNull();
        members.onHeartbeat(hb("H1", 4096), 600);
        assertThat(members.since("H1", HostState.CONNECTED)).as("heard within the timeout: still connected")
                .isEqualTo(100);
        assertThat(members.heartbeatAt("H1")).isEqualTo(600);
        assertThat(members.hosts(1601)).extracting(Host::state).containsExactly(HostState.FAILED);
        assertThat(members.since("H1", HostState.FAILED)).as("the timeout ran out after the last heartbeat")
                .isEqualTo(1600);
        members.onHeartbeat(hb("H1", 4096), 5000);
        assertThat(members.since("H1", HostState.CONNECTED)).as("returned").isEqualTo(5000);
        members.maintenance("H1", true, 5100);
        assertThat(members.since("H1", HostState.MAINTENANCE)).isEqualTo(5100);
        members.maintenance("H1", false, 5200);
        assertThat(members.since("H1", HostState.CONNECTED)).as("left maintenance mode").isEqualTo(5200);
        members.remove("H1");
        members.add("H1", ResourceVector.of(1000, 1024), 7000);
        assertThat(members.since("H1", HostState.FAILED)).as("added, never heard").isEqualTo(7000);
    }

    @Test
    void aFailedHostsLoadIsUnknownNotItsLastOne() {
        members.heardAllAt(0);
        members.onHeartbeat(hb("H1", 4096), 10);
        assertThat(members.view("H1", 20, List.of()).summary().load()).containsEntry("cpuMhz", 100L);
        HostView failed = members.view("H1", 5000, List.of());
        assertThat(failed.state()).isEqualTo(HostState.FAILED);
        assertThat(failed.summary().load()).isNull();
        assertThat(TypedResultsTest.json(failed.summary())).as("written as null").containsEntry("load", null);
    }
}
