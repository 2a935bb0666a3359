/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.TableUpdate;
import org.vmha.testkit.RecordingTransport;

/**
 * Tests {@link DetachableTransport}: an agent whose routes go away keeps its listeners and its events for the next
 * routes, and never takes the silence for an isolation.
 *
 * @author vmha - Initial contribution
 */
class DetachableTransportTest {

    private static HostHeartbeat beat(long n) {
        return new HostHeartbeat("H1", n, n * 1000, ResourceVector.ZERO, ResourceVector.of(8000, 8192));
    }

    private static CloudEvent event(int n) {
        return new CloudEvent("H1-a-" + n, "/vmha/agent/H1", EventTypes.HOST_PARTITIONED, Instant.EPOCH, "H2",
                Map.of("host", "H2", "by", "H1"));
    }

    @Test
    void attachedItIsTheRoutesTransport() {
        DetachableTransport t = new DetachableTransport();
        RecordingTransport routes = new RecordingTransport();
        t.attach(routes);
        t.publishHeartbeat(beat(1));
        t.publishEvent(event(1));
        assertThat(routes.heartbeats()).containsExactly(beat(1));
        assertThat(routes.events()).containsExactly(event(1));
        assertThat(t.brokerReachable()).isTrue();
        assertThat(t.attached()).isTrue();
    }

    @Test
    void detachedTheNetworkChannelIsSilentButNotAnIsolation() {
        DetachableTransport t = new DetachableTransport();
        RecordingTransport routes = new RecordingTransport();
        t.attach(routes);
        assertThat(t.detach()).isSameAs(routes);

        t.publishHeartbeat(beat(2));
        assertThat(routes.heartbeats()).isEmpty();
        assertThat(t.brokerReachable()).as("no broker while the routes are away").isFalse();
        assertThat(t.isolationAddressReachable()).as("never isolated by a routes restart").isTrue();
        assertThat(t.detach()).isNull();
    }

    @Test
    void listenersAndHeldEventsGoToTheNextRoutesInOrder() {
        DetachableTransport t = new DetachableTransport();
        List<String> heard = new ArrayList<>();
        t.subscribe(new ClusterListener() {
            @Override
            public void onHeartbeat(HostHeartbeat heartbeat) {
                heard.add("beat " + heartbeat.sequence());
            }

            @Override
            public void onTable(TableUpdate update) {
            }
        });
        RecordingTransport first = new RecordingTransport();
        t.attach(first);
        first.listener().onHeartbeat(beat(1));
        t.detach();
        t.publishEvent(event(1));
        t.publishEvent(event(2));

        RecordingTransport second = new RecordingTransport();
        assertThat(t.attach(second)).isZero();
        assertThat(second.events()).containsExactly(event(1), event(2));
        second.listener().onHeartbeat(beat(2));
        assertThat(heard).containsExactly("beat 1", "beat 2");
    }

    @Test
    void aLongAbsenceKeepsTheNewestEventsAndCountsTheOthers() {
        DetachableTransport t = new DetachableTransport();
        for (int i = 1; i <= DetachableTransport.MAX_HELD_EVENTS + 5; i++) {
            t.publishEvent(event(i));
        }
        RecordingTransport routes = new RecordingTransport();
        assertThat(t.attach(routes)).isEqualTo(5);
        assertThat(routes.events()).hasSize(DetachableTransport.MAX_HELD_EVENTS);
        assertThat(routes.events().get(0)).isEqualTo(event(6));
    }
}
