/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link RecordingTransportTest} is responsible for the recording transport: what is published and refused
 * is kept in order, and the test delivers to the listener that subscribed last.
 *
 * @author vmha - Initial contribution
 */
class RecordingTransportTest {

    private final RecordingTransport bus = new RecordingTransport();

    @Test
    void recordsWhatIsPublishedInOrderAndFiltersEventsByType() {
        HostHeartbeat hb = new HostHeartbeat("H1", 1, 0, null, null);
        TableUpdate full = new TableUpdate("management", 1, true, List.of());
        TableUpdate delta = new TableUpdate("management", 2, false, List.of());
        CloudEvent a = CloudEvent.of("management", "org.vmha.a", Instant.EPOCH, "H1", Map.of());
        CloudEvent b = CloudEvent.of("management", "org.vmha.b", Instant.EPOCH, "H1", Map.of());
        bus.publishHeartbeat(hb);
        bus.publishTable(full);
        bus.publishTable(delta);
        bus.publishEvent(a);
        bus.publishEvent(b);
        bus.publishEvent(a);
        assertThat(bus.heartbeats()).containsExactly(hb);
        assertThat(bus.tables()).containsExactly(full, delta);
        assertThat(bus.events()).containsExactly(a, b, a);
        assertThat(bus.events("org.vmha.a")).containsExactly(a, a);
        assertThat(bus.events("org.vmha.none")).isEmpty();
        assertThatThrownBy(() -> bus.tables().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(bus.brokerReachable()).isTrue();
        assertThat(bus.isolationAddressReachable()).isTrue();
    }

    @Test
    void countsRefusalsByReason() {
        bus.refused("unknown-host", "heartbeat of host H9");
        bus.refused("unknown-host", "heartbeat of host H8");
        bus.refused("table-version", "table update of H2 refused");
        bus.refused("unknown-hostname", "a reason that only starts like another");
        assertThat(bus.refusedFor("unknown-host")).isEqualTo(2);
        assertThat(bus.refusedFor("table-version")).isEqualTo(1);
        assertThat(bus.refusedFor("bad-hmac")).isZero();
        assertThat(bus.refused()).first().isEqualTo("unknown-host: heartbeat of host H9");
    }

    @Test
    void handsTheTestTheListenerThatSubscribedLast() {
        assertThatThrownBy(bus::listener).isInstanceOf(IllegalStateException.class);
        List<String> got = new ArrayList<>();
        bus.subscribe(listener("first", got));
        bus.subscribe(listener("second", got));
        bus.listener().onHeartbeat(new HostHeartbeat("H2", 1, 0, null, null));
        bus.listener().onTable(new TableUpdate("H2", 7, false, List.of()));
        assertThat(got).containsExactly("second H2", "second table 7");
        assertThat(bus.heartbeats()).as("a delivery is not a publication").isEmpty();
    }

    private static ClusterListener listener(String name, List<String> got) {
        return new ClusterListener() {
            @Override
            public void onHeartbeat(HostHeartbeat heartbeat) {
                got.add(name + " " + heartbeat.host());
            }

            @Override
            public void onTable(TableUpdate update) {
                got.add(name + " table " + update.version());
            }
        };
    }
}
