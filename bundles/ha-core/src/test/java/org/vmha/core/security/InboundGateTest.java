/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.TableUpdate;
import org.vmha.testkit.RecordingTransport;

/**
 * Finding 4 of issue 14 without a broker: heartbeats of invented hosts and poisoned table versions (the HMAC, which
 * stops anyone without the cluster key, is tested in MessageAuthenticatorTest and the routes' tests).
 */
class InboundGateTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RecordingTransport transport = new RecordingTransport();
    private final List<Object> delivered = new ArrayList<>();
    private final ClusterListener target = new ClusterListener() {
        @Override
        public void onHeartbeat(HostHeartbeat heartbeat) {
            delivered.add(heartbeat.host());
        }

        @Override
        public void onTable(TableUpdate update) {
            delivered.add(update.version());
        }
    };

    private static HostHeartbeat hb(String host) {
        return new HostHeartbeat(host, 1, 1, ResourceVector.ZERO, ResourceVector.of(1_000_000, 1_000_000));
    }

    private static TableUpdate full(long version, String... hosts) {
        return new TableUpdate("management", version, true, List.of(), null, new TreeSet<>(List.of(hosts)));
    }

    @Test
    void anAgentIgnoresAndCountsHeartbeatsOfHostsOutsideItsPeersUntilTheManagementServiceNamesThem() {
        InboundGate gate = InboundGate.forAgent("H1", List.of("H2", "H3"), transport, now::get, target);
        gate.onHeartbeat(hb("H2"));
        for (int i = 0; i < 8; i++) {
            gate.onHeartbeat(hb("H9"));
        }
        assertThat(delivered).containsExactly("H2");
        assertThat(transport.refusedFor("unknown-host")).isEqualTo(8);
        // the operator adds H9 (ha:host-add): the management service's next full table names it
        gate.onTable(full(5, "H1", "H2", "H3", "H9"));
        gate.onHeartbeat(hb("H9"));
        assertThat(delivered).containsExactly("H2", 5L, "H9");
        // configured peers stay known even if a later table leaves them out
        gate.onTable(full(6, "H1", "H9"));
        gate.onHeartbeat(hb("H3"));
        assertThat(delivered).endsWith("H3");
    }

    @Test
    void anAgentWithoutPeersLearnsFromHeartbeatsUntilAManagementTableNamesTheHosts() {
        InboundGate gate = InboundGate.forAgent("H1", List.of(), transport, now::get, target);
        gate.onHeartbeat(hb("H7"));
        gate.onTable(full(2, "H1", "H2"));
        gate.onHeartbeat(hb("H7"));
        gate.onHeartbeat(hb("H2"));
        assertThat(delivered).containsExactly("H7", 2L, "H2");
    }

    @Test
    void theManagementServiceIgnoresHeartbeatsOfHostsItDoesNotHave() {
        SortedSet<String> hosts = new TreeSet<>(List.of("H1", "H2"));
        InboundGate gate = InboundGate.forManagement(hosts::contains, transport, now::get, target);
        gate.onHeartbeat(hb("H9"));
        hosts.add("H9");
        gate.onHeartbeat(hb("H9"));
        assertThat(delivered).containsExactly("H9");
        assertThat(transport.refusedFor("unknown-host")).isEqualTo(1);
    }

    @Test
    void fullTableVersionsNeverOverflowNorJumpFarAheadAtAnAgent() {
        InboundGate gate = InboundGate.forAgent("H1", List.of("H2"), transport, now::get, target);
        gate.onTable(full(Long.MAX_VALUE - 1));
        gate.onTable(full(-1));
        // the first after a start sets the baseline, whatever it is (a management service restarted elsewhere)
        gate.onTable(full(5_000_000));
        gate.onTable(full(5_000_001));
        gate.onTable(full(7_000_000));
        // older tables pass: the replica answers them (a management service restarted from an old copy)
        gate.onTable(full(3));
        assertThat(delivered).containsExactly(5_000_000L, 5_000_001L, 3L);
        assertThat(transport.refusedFor("table-version")).isEqualTo(3);
        // the allowance grows with the time since the last accepted table: a host partitioned for a day follows
        now.addAndGet(86_400_000);
        gate.onTable(full(13_000_000));
        assertThat(delivered).endsWith(13_000_000L);
        // deltas: only the range is checked (the agents do not use their version)
        gate.onTable(new TableUpdate("H2", Long.MAX_VALUE, false, List.of()));
        assertThat(transport.refusedFor("table-version")).isEqualTo(4);
    }

    @Test
    void theManagementServiceCatchesUpWithTheAgentsAfterARestartButCannotBePushedFarAheadLater() {
        InboundGate gate = InboundGate.forManagement(h -> true, transport, now::get, target);
        // restarted from the inventory (version 1) while the agents hold 5,000,000: followed during the bootstrap
        gate.onTable(new TableUpdate("H1", 1_000, false, List.of()));
        gate.onTable(new TableUpdate("H2", 5_000_000, false, List.of()));
        now.addAndGet(TableVersions.MANAGEMENT_BOOTSTRAP_MS);
        gate.onTable(new TableUpdate("H2", 5_000_010, false, List.of()));
        // afterwards a forged delta far ahead (but below the ceiling) is refused: the agents would refuse the tables
        gate.onTable(new TableUpdate("H3", 4_000_000_000_000_000L, false, List.of()));
        gate.onTable(new TableUpdate("H3", Long.MAX_VALUE - 1, false, List.of()));
        assertThat(delivered).containsExactly(1_000L, 5_000_000L, 5_000_010L);
        assertThat(transport.refusedFor("table-version")).isEqualTo(2);
    }
}
