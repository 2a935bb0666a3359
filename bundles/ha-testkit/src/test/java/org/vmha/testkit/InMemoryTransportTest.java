/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.TableUpdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link InMemoryTransportTest} is responsible for the in-memory transport: no self-delivery,
 * seeded loss and delay, network and broker switches.
 *
 * @author vmha - Initial contribution
 */
class InMemoryTransportTest {

    private static List<String> run(long seed, double loss, long dmin, long dmax) {
        VirtualScheduler sched = new VirtualScheduler(0);
        InMemoryTransport t = new InMemoryTransport(sched, seed, loss, dmin, dmax);
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
        for (int i = 1; i <= 20; i++) {
            t.endpoint("H1").publishHeartbeat(new HostHeartbeat("H1", i, sched.nowMillis(), null, null));
            sched.advance(100);
        }
        sched.advance(1000);
        return got;
    }

    @Test
    void lossAndDelayAreDrawnFromTheSeed() {
        List<String> a = run(42, 0.3, 5, 80);
        assertThat(a).isEqualTo(run(42, 0.3, 5, 80));
        assertThat(a).isNotEqualTo(run(43, 0.3, 5, 80));
        assertThat(a.size()).isBetween(10, 39); // 40 deliveries, about 30 % lost
        assertThat(a).noneMatch(s -> s.contains("H1<-H1"));
        List<String> lossless = run(1, 0, 0, 0);
        assertThat(lossless).hasSize(40);
        assertThat(lossless.get(0)).isEqualTo("0:H2<-H1#1");
    }

    @Test
    void networkAndBrokerSwitches() {
        VirtualScheduler sched = new VirtualScheduler(0);
        InMemoryTransport t = new InMemoryTransport(sched, 1, 0, 10, 10);
        List<String> got = new ArrayList<>();
        t.endpoint("H2").subscribe(new ClusterListener() {
            @Override
            public void onHeartbeat(HostHeartbeat hb) {
                got.add(hb.host() + "#" + hb.sequence());
            }

            @Override
            public void onTable(TableUpdate update) {
            }
        });
        InMemoryTransport.Endpoint h1 = t.endpoint("H1");
        h1.publishHeartbeat(new HostHeartbeat("H1", 1, 0, null, null));
        t.setNetwork("H2", false); // goes down while the message is in flight: dropped
        sched.advance(20);
        t.setNetwork("H2", true);
        t.setBroker(false);
        h1.publishHeartbeat(new HostHeartbeat("H1", 2, 0, null, null));
        assertThat(h1.brokerReachable()).isFalse();
        assertThat(h1.isolationAddressReachable()).isTrue();
        sched.advance(20);
        t.setBroker(true);
        h1.publishHeartbeat(new HostHeartbeat("H1", 3, 0, null, null));
        sched.advance(20);
        assertThat(got).containsExactly("H1#3");
        t.setNetwork("H1", false);
        assertThat(h1.brokerReachable()).isFalse();
        assertThat(h1.isolationAddressReachable()).isFalse();
        assertThatThrownBy(() -> new InMemoryTransport(sched, 1, 1.0, 0, 0)).hasMessageContaining("loss");
    }
}
