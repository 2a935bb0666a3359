/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.core.security.InboundGate;
import org.vmha.testkit.RecordingTransport;
import org.vmha.testkit.VirtualScheduler;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.TableUpdate;

/**
 * Finding 4 of issue 14 at the management service (moved here from ha-core's InboundGateTest with the service):
 * a poisoned table version and heartbeats of an invented host neither overflow its versions nor add hosts.
 */
class ManagementInboundGateTest {

    private static HostHeartbeat hb(String host) {
        return new HostHeartbeat(host, 1, 1, ResourceVector.ZERO, ResourceVector.of(1_000_000, 1_000_000));
    }

    @Test
    void finding4_aForgedVersionNearTheTopNoLongerOverflowsTheManagementServiceWhoseTablesTheAgentsKeepAccepting() {
        VirtualScheduler sched = new VirtualScheduler(0);
        Map<String, ResourceVector> caps = new TreeMap<>(Map.of("H1", ResourceVector.of(4000, 4096), "H2",
                ResourceVector.of(4000, 4096)));
        FailoverTable initial = new FailoverTable(1, List.of(new FailoverTableEntry("vm1", "lun-vm1", "H1", null,
                RestartPriority.MEDIUM, ResourceVector.of(100, 100), VmState.RUNNING, 1)));
        RecordingTransport bus = new RecordingTransport();
        ManagementService mgmt = new ManagementService(bus, sched, new AlternateHostPlanner(8), 1000, 2500, 5, initial,
                caps);
        mgmt.start();
        sched.runUntil(1_500);
        // the reproduction of the audit: a delta claiming version 2^63 - 2, then 8 heartbeats of an invented host
        bus.listener().onTable(new TableUpdate("H2", Long.MAX_VALUE - 1, false, List.of()));
        for (int i = 0; i < 8; i++) {
            bus.listener().onHeartbeat(hb("H9"));
        }
        sched.runUntil(20_000);
        assertThat(bus.refusedFor("table-version")).isEqualTo(1);
        assertThat(bus.refusedFor("unknown-host")).isEqualTo(8);
        assertThat(mgmt.hosts()).extracting(HostView::name).containsExactly("H1", "H2");
        assertThat(mgmt.hosts()).noneMatch(h -> h.state() == HostState.CONNECTED && h.name().equals("H9"));
        List<Long> versions = bus.tables().stream().filter(TableUpdate::full).map(TableUpdate::version).toList();
        assertThat(versions).isNotEmpty().allMatch(v -> v > 0 && v < 1_000);
        assertThat(bus.tables().get(bus.tables().size() - 1).hosts()).containsExactly("H1", "H2");
        // an agent's gate takes every one of them
        RecordingTransport agentBus = new RecordingTransport();
        List<Long> applied = new ArrayList<>();
        InboundGate agent = InboundGate.forAgent("H1", List.of("H2"), agentBus, sched::nowMillis, new ClusterListener() {
            @Override
            public void onHeartbeat(HostHeartbeat heartbeat) {
            }

            @Override
            public void onTable(TableUpdate update) {
                applied.add(update.version());
            }
        });
        bus.tables().stream().filter(TableUpdate::full).forEach(agent::onTable);
        assertThat(applied).isEqualTo(versions);
        mgmt.stop();
    }
}
