/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.heartbeat.PeerStateListener;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.StorageException;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.PeerStatus;
import org.vmha.api.transport.TableUpdate;
import org.vmha.core.event.HostEvents;
import org.vmha.core.guard.AdapterGuard;
import org.vmha.core.guard.GuardedAdapters;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link HeartbeatServiceTest} is responsible for the heartbeat service on its own, with two hosts on a virtual
 * clock: what it publishes on both channels, how a peer silent on one or both channels is announced (event and
 * listeners, in that order), that an isolated host announces to its listeners but publishes no event, and when a
 * peer's capacity counts as changed.
 *
 * @author vmha - Initial contribution
 */
class HeartbeatServiceTest {

    private static final long TIMEOUT = 1000;
    private static final long INTERVAL = 250;

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), 3000);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final ResourceVector cap = ResourceVector.of(1000, 1000);
    private final List<CloudEvent> events = new ArrayList<>();
    private final Map<String, HeartbeatService> services = new TreeMap<>();
    private final List<String> told = new ArrayList<>();
    private boolean storageDown;
    private final AdapterGuard guard = new AdapterGuard() {
        @Override
        public <T> T call(String adapter, String operation, String subject, java.util.function.Supplier<T> call) {
            if (storageDown && adapter.startsWith("storage ")) {
                throw new StorageException("datastore unreachable for " + operation);
            }
            return call.get();
        }
    };

    HeartbeatServiceTest() {
        transport.observeEvents(events::add);
        for (String h : List.of("H1", "H2")) {
            SimulatedHypervisor hv = new SimulatedHypervisor(h, cap, storage, sched,
                    new SimulatedHypervisor.Settings(500, 2000, 100), null);
            ClusterTransport ep = transport.endpoint(h);
            HeartbeatService s = new HeartbeatService(h, cap, Map.of("H1", cap, "H2", cap), TIMEOUT, sched::nowMillis,
                    ep, new GuardedAdapters(h, storage, hv, guard), new HostEvents(h, sched::nowMillis, ep));
            ep.subscribe(new ClusterListener() {
                @Override
                public void onHeartbeat(HostHeartbeat heartbeat) {
                    s.onHeartbeat(heartbeat);
                }

                @Override
                public void onTable(TableUpdate update) {
                }
            });
            s.start(0);
            services.put(h, s);
        }
    }

    /** Listeners that write down, in order, what they were told. */
    private void listen(HeartbeatService s, String name) {
        s.addListener(new PeerStateListener() {
            @Override
            public void peerChanged(String peer, PeerStatus before, PeerStatus after, long nowMillis) {
                told.add(name + ":" + peer + ":" + before + "->" + after);
            }

            @Override
            public void peerCapacityChanged(String peer) {
                told.add(name + ":capacity:" + peer);
            }
        });
    }

    /**
     * Beats the given hosts every interval until {@code until}; after each round H1 refreshes and announces, H2
     * refreshes.
     */
    private void run(long until, boolean isolated, String... beating) {
        while (sched.nowMillis() < until) {
            long now = sched.nowMillis() + INTERVAL;
            sched.runUntil(now);
            for (String h : beating) {
                services.get(h).beat(now);
            }
            sched.runUntil(now);
            HeartbeatService h1 = services.get("H1");
            h1.announce(h1.refresh(now), now, isolated);
            services.get("H2").refresh(now);
        }
    }

    private List<String> eventTypes() {
        List<String> out = new ArrayList<>();
        for (CloudEvent e : events) {
            out.add(e.type() + ":" + e.subject());
        }
        return out;
    }

    @Test
    void beatPublishesOnBothChannelsAndPeersAreAliveOnBoth() {
        run(2 * TIMEOUT, false, "H1", "H2");
        HeartbeatService h1 = services.get("H1");
        assertThat(h1.heartbeatSeq()).isEqualTo(8);
        assertThat(storage.readHeartbeat("H1")).get().extracting(r -> r.sequence()).isEqualTo(8L);
        assertThat(h1.lastStatus("H2")).isEqualTo(PeerStatus.ALIVE);
        assertThat(h1.datastoreSilent("H2", sched.nowMillis())).isFalse();
        assertThat(h1.storageReachable()).isTrue();
        assertThat(h1.reporter(null)).as("H1 is the lowest-named alive host").isTrue();
        assertThat(services.get("H2").reporter(null)).isFalse();
    }

    @Test
    void aPeerSilentOnBothChannelsIsAnnouncedFailedEachChangeEventFirstThenListenersInOrder() {
        HeartbeatService h1 = services.get("H1");
        run(2 * TIMEOUT, false, "H1", "H2");
        listen(h1, "first");
        listen(h1, "second");
        transport.observeEvents(e -> told.add("event:" + e.type()));
        run(5 * TIMEOUT, false, "H1");
        assertThat(h1.lastStatus("H2")).isEqualTo(PeerStatus.FAILED);
        // the network channel falls silent first (H1 reads the datastore only when it beats)
        assertThat(told).containsExactly("event:" + EventTypes.HOST_PARTITIONED, "first:H2:ALIVE->PARTITIONED",
                "second:H2:ALIVE->PARTITIONED", "event:" + EventTypes.HOST_FAILED, "first:H2:PARTITIONED->FAILED",
                "second:H2:PARTITIONED->FAILED");
        assertThat(eventTypes()).containsExactly(EventTypes.HOST_PARTITIONED + ":H2", EventTypes.HOST_FAILED + ":H2");
        assertThat(events.get(1).data()).containsEntry("host", "H2").containsEntry("by", "H1");
        // one sequence per agent start: <host>-<epoch>-<n>
        assertThat(events.get(0).id()).matches("H1-[0-9a-z]+-1");
        assertThat(events.get(1).id()).isEqualTo(events.get(0).id().replaceAll("1$", "2"));
    }

    @Test
    void aPeerThatLeavesIsFailedForTheListenersWithoutAHostFailedEvent() {
        HeartbeatService h1 = services.get("H1");
        HeartbeatService h2 = services.get("H2");
        run(2 * TIMEOUT, false, "H1", "H2");
        listen(h1, "l");
        transport.observeEvents(e -> told.add("event:" + e.type()));
        h2.leave(sched.nowMillis());
        run(sched.nowMillis() + TIMEOUT / 2, false, "H1");
        assertThat(h1.lastStatus("H2")).isEqualTo(PeerStatus.FAILED);
        assertThat(told).containsExactly("l:H2:ALIVE->FAILED");
        run(sched.nowMillis() + 5 * TIMEOUT, false, "H1");
        assertThat(eventTypes()).isEmpty();
    }

    @Test
    void aPeerSilentOnlyOnTheNetworkIsPartitionedAndReturns() {
        HeartbeatService h1 = services.get("H1");
        run(2 * TIMEOUT, false, "H1", "H2");
        listen(h1, "l");
        transport.setNetwork("H2", false);
        run(5 * TIMEOUT, false, "H1", "H2");
        assertThat(h1.lastStatus("H2")).isEqualTo(PeerStatus.PARTITIONED);
        assertThat(h1.anyPartitioned()).isTrue();
        transport.setNetwork("H2", true);
        run(6 * TIMEOUT, false, "H1", "H2");
        assertThat(h1.lastStatus("H2")).isEqualTo(PeerStatus.ALIVE);
        assertThat(told).containsExactly("l:H2:ALIVE->PARTITIONED", "l:H2:PARTITIONED->ALIVE");
        assertThat(eventTypes()).containsExactly(EventTypes.HOST_PARTITIONED + ":H2",
                EventTypes.HOST_RETURNED + ":H2");
        assertThat(events.get(1).data()).containsEntry("was", "PARTITIONED");
    }

    @Test
    void anIsolatedHostTellsItsListenersButPublishesNoEvent() {
        HeartbeatService h1 = services.get("H1");
        run(2 * TIMEOUT, false, "H1", "H2");
        listen(h1, "l");
        run(5 * TIMEOUT, true, "H1");
        assertThat(told).containsExactly("l:H2:ALIVE->PARTITIONED", "l:H2:PARTITIONED->FAILED");
        assertThat(events).isEmpty();
    }

    @Test
    void withItsDatastoreDownAHostStillBeatsOnTheNetworkButSaysNothingOfFailedPeers() {
        HeartbeatService h1 = services.get("H1");
        run(2 * TIMEOUT, false, "H1", "H2");
        storageDown = true;
        run(5 * TIMEOUT, false, "H1");
        assertThat(h1.storageReachable()).isFalse();
        assertThat(h1.reporter(null)).as("no reporter without its datastore").isFalse();
        assertThat(h1.lastStatus("H2")).isEqualTo(PeerStatus.FAILED);
        assertThat(events).as("a failed peer cannot be told from a partitioned one").isEmpty();
        // H2 still hears H1 on the network
        HeartbeatService h2 = services.get("H2");
        assertThat(h2.status("H1", sched.nowMillis())).isNotEqualTo(PeerStatus.FAILED);
    }

    @Test
    void onlyANewCapacityCountsAsAChangeAndOwnHeartbeatsAreIgnored() {
        HeartbeatService h1 = services.get("H1");
        listen(h1, "l");
        h1.onHeartbeat(new HostHeartbeat("H2", 1, 0, ResourceVector.ZERO, cap));
        h1.onHeartbeat(new HostHeartbeat("H2", 2, 0, ResourceVector.ZERO, ResourceVector.of(2000, 1000)));
        h1.onHeartbeat(new HostHeartbeat("H2", 3, 0, ResourceVector.ZERO, ResourceVector.of(2000, 1000)));
        h1.onHeartbeat(new HostHeartbeat("H3", 1, 0, ResourceVector.ZERO, cap));
        h1.onHeartbeat(new HostHeartbeat("H1", 9, 0, ResourceVector.ZERO, ResourceVector.of(1, 1)));
        assertThat(told).containsExactly("l:capacity:H2", "l:capacity:H3");
        assertThat(h1.members()).containsEntry("H2", ResourceVector.of(2000, 1000)).containsEntry("H1", cap)
                .containsKey("H3");
    }
}
