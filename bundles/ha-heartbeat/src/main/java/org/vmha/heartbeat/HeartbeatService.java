/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.heartbeat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import org.vmha.api.event.data.HostFailed;
import org.vmha.api.event.data.HostPartitioned;
import org.vmha.api.event.data.HostReturned;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.heartbeat.PeerStateListener;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.StorageException;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.PeerStatus;
import org.vmha.api.transport.PeerView;
import org.vmha.core.event.HostEvents;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link HeartbeatService} is responsible for this host's heartbeats and for following the peers' on both
 * channels:
 * <ul>
 * <li>{@link #beat(long)} publishes a {@link HostHeartbeat} (sequence, time, load, capacity) on the network, writes
 * the datastore heartbeat and reads the peers' datastore heartbeats;</li>
 * <li>{@link #onHeartbeat(HostHeartbeat)} ingests a peer's network heartbeat and learns its capacity;</li>
 * <li>the {@link FailureDetector} classifies every peer, and {@link #announce(List, long, boolean)} publishes what
 * changed: a {@code HostFailed}, {@code HostPartitioned} or {@code HostReturned} event, and each change to the
 * {@link PeerStateListener}s.</li>
 * </ul>
 * <p>
 * <b>Threading:</b> not thread-safe; every method runs on the agent's serial thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class HeartbeatService implements PeerStates {

    private final String host;
    private final ResourceVector capacity;
    private final long failureTimeoutMillis;
    private final LongSupplier clock;
    private final ClusterTransport transport;
    private final GuardedAdapters adapters;
    private final HostEvents events;
    private final SortedMap<String, ResourceVector> members = new TreeMap<>();
    /** The same capacities for lookups on every received heartbeat (a hash lookup, not a tree walk). */
    private final Map<String, ResourceVector> memberIndex = new HashMap<>();
    private final List<PeerStateListener> listeners = new ArrayList<>();
    private FailureDetector detector;
    private long heartbeatSeq;
    private ResourceVector lastLoad = ResourceVector.ZERO;
    private boolean storageReachable = true;

    /**
     * @param host this host
     * @param capacity what this host offers
     * @param peers the cluster's hosts known from configuration, with their capacities (may be null or empty: peers
     *        are learned from heartbeats)
     * @param failureTimeoutMillis how long a channel may be silent before it counts as silent
     * @param clock the agent's clock, in milliseconds
     * @param transport the network channel
     * @param adapters the datastore (heartbeat records) and the hypervisor (load), behind the guard
     * @param events where the peer events go
     */
    public HeartbeatService(String host, ResourceVector capacity, Map<String, ResourceVector> peers,
            long failureTimeoutMillis, LongSupplier clock, ClusterTransport transport, GuardedAdapters adapters,
            HostEvents events) {
        this.host = host;
        this.capacity = capacity;
        this.failureTimeoutMillis = failureTimeoutMillis;
        this.clock = clock;
        this.transport = transport;
        this.adapters = adapters;
        this.events = events;
        if (peers != null) {
            members.putAll(peers);
        }
        members.put(host, capacity);
        memberIndex.putAll(members);
    }

    /**
     * Starts following every known host, as heard of now.
     *
     * @param now the agent's start time
     */
    public void start(long now) {
        detector = new FailureDetector(host, failureTimeoutMillis);
        for (String m : members.keySet()) {
            detector.track(m, now);
        }
    }

    /**
     * Publishes this host's heartbeat on both channels and reads the peers' datastore heartbeats. A hypervisor
     * that cannot report its load does not silence the heartbeat (the last load goes out); a datastore that cannot
     * be written or read makes {@link #storageReachable()} false until it can.
     *
     * @param now current time
     */
    public void beat(long now) {
        heartbeatSeq++;
        ResourceVector load;
        try {
            load = adapters.usedNow();
            lastLoad = load;
        } catch (RuntimeException e) {
            load = lastLoad; // a hypervisor that cannot report its load must not silence the heartbeat
        }
        transport.publishHeartbeat(new HostHeartbeat(host, heartbeatSeq, now, load, capacity));
        try {
            long seq = heartbeatSeq;
            adapters.storage("writeHeartbeat", host, () -> adapters.storage().writeHeartbeat(host, seq));
            List<HeartbeatRecord> beats = adapters.storage("readHeartbeats", host, adapters.storage()::readHeartbeats);
            for (HeartbeatRecord r : beats) {
                if (!r.host().equals(host)) {
                    detector.datastoreHeartbeat(r.host(), r.sequence(), now);
                }
            }
            storageReachable = true;
        } catch (StorageException | AdapterCallException e) {
            storageReachable = false;
        }
    }

    /**
     * Ingests a peer's network heartbeat; a new capacity is told to the listeners.
     *
     * @param hb the heartbeat (this host's own are ignored)
     */
    public void onHeartbeat(HostHeartbeat hb) {
        if (hb.host().equals(host)) {
            return;
        }
        ResourceVector before = memberIndex.get(hb.host());
        if (before != hb.capacity() && (before == null || !before.equals(hb.capacity()))) {
            members.put(hb.host(), hb.capacity());
            memberIndex.put(hb.host(), hb.capacity());
            for (PeerStateListener l : listeners) {
                l.peerCapacityChanged(hb.host());
            }
        }
        if (hb.leaving()) {
            detector.leave(hb.host(), hb.sequence(), clock.getAsLong());
        } else {
            detector.networkHeartbeat(hb.host(), hb.sequence(), clock.getAsLong());
        }
    }

    /**
     * This host's leave message, its last heartbeat: it stopped as planned and handed its VMs over; the peers take
     * it as gone at once, without a {@code host.failed}. Sent on the network only.
     *
     * @param now current time
     */
    public void leave(long now) {
        heartbeatSeq++;
        transport.publishHeartbeat(new HostHeartbeat(host, heartbeatSeq, now, ResourceVector.ZERO, capacity, true));
    }

    /**
     * @param now current time
     * @return the peers whose status changed since the last refresh, in name order
     */
    public List<FailureDetector.Transition> refresh(long now) {
        return detector.refresh(now);
    }

    /**
     * Publishes the changes of a refresh: for each, in order, its event (none while this host is isolated: its
     * view of the peers is worthless; no {@code HostFailed} while its own datastore path is down: every peer's
     * datastore channel looks silent then) and then the listeners.
     *
     * @param changes what {@link #refresh(long)} found
     * @param now the time of the refresh
     * @param isolated true if this host is isolated
     */
    public void announce(List<FailureDetector.Transition> changes, long now, boolean isolated) {
        for (FailureDetector.Transition t : changes) {
            if (!isolated) {
                report(t);
            }
            for (PeerStateListener l : listeners) {
                l.peerChanged(t.peer(), t.before(), t.after(), now);
            }
        }
    }

    private void report(FailureDetector.Transition t) {
        if (t.after() == PeerStatus.FAILED) {
            // a peer that left as planned announced it itself (host.stopping): it did not fail
            if (storageReachable && !detector.left(t.peer())) {
                events.emit(t.peer(), new HostFailed(t.peer(), host));
            }
        } else if (t.after() == PeerStatus.PARTITIONED) {
            events.emit(t.peer(), new HostPartitioned(t.peer(), host));
        } else if (t.before() == PeerStatus.FAILED || t.before() == PeerStatus.PARTITIONED) {
            events.emit(t.peer(), new HostReturned(t.peer(), host, t.before().name()));
        }
    }

    @Override
    public void addListener(PeerStateListener listener) {
        listeners.add(listener);
    }

    @Override
    public SortedMap<String, ResourceVector> members() {
        return Collections.unmodifiableSortedMap(members);
    }

    @Override
    public PeerStatus lastStatus(String peer) {
        return detector.lastStatus(peer);
    }

    @Override
    public PeerStatus status(String peer, long nowMillis) {
        return detector.status(peer, nowMillis);
    }

    @Override
    public boolean datastoreSilent(String peer, long nowMillis) {
        return detector.datastoreSilent(peer, nowMillis);
    }

    @Override
    public boolean anyPartitioned() {
        return detector.anyPartitioned();
    }

    @Override
    public boolean noAlivePeerBefore(String name) {
        return detector.noAlivePeerBefore(name);
    }

    @Override
    public boolean anyPeerHeard(long nowMillis) {
        return detector.anyPeerHeard(nowMillis);
    }

    @Override
    public long datastoreEpoch() {
        return detector.datastoreEpoch();
    }

    @Override
    public boolean storageReachable() {
        return storageReachable;
    }

    @Override
    public boolean reporter(String excluded) {
        if (!storageReachable) {
            return false;
        }
        if (excluded == null) {
            return detector.noAlivePeerBefore(host);
        }
        for (String m : members.headMap(host).keySet()) {
            if (!m.equals(excluded) && detector.lastStatus(m) == PeerStatus.ALIVE) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long heartbeatSeq() {
        return heartbeatSeq;
    }

    /**
     * @param nowMillis now
     * @return every peer's status and heartbeat age on each channel, by name
     */
    public List<PeerView> views(long nowMillis) {
        return detector.views(nowMillis);
    }
}
