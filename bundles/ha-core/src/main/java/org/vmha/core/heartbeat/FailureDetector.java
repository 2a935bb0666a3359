/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.heartbeat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@link FailureDetector} is responsible for following every peer of one agent on two channels,
 * the network heartbeats ({@code ha.heartbeat.host}) and the datastore heartbeats (through the storage
 * SPI), with one {@link ChannelDetector} per peer per channel, and for classifying each peer:
 * <ul>
 * <li>{@link PeerStatus#ALIVE} while its network channel is fresh;</li>
 * <li>{@link PeerStatus#PARTITIONED} when the network is silent but the datastore is fresh;</li>
 * <li>{@link PeerStatus#FAILED} when both are silent.</li>
 * </ul>
 * A peer becomes known with a grace period (both channels count as fresh from that moment).
 * <p>
 * <b>Threading:</b> not thread-safe; owned by one agent.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class FailureDetector {

    private final String self;
    private final long failureTimeoutMillis;
    private final SortedMap<String, ChannelDetector[]> peers = new TreeMap<>();
    private final SortedMap<String, PeerStatus[]> last = new TreeMap<>();
    private int partitioned;

    /**
     * A change of a peer's status seen by {@link #refresh(long)}.
     *
     * @param peer the peer
     * @param before its previous status, null when first seen
     * @param after its status now
     * @author vmha - Initial contribution
     */
    public record Transition(String peer, PeerStatus before, PeerStatus after) {
    }

    /**
     * @param self this host (never tracked as a peer)
     * @param failureTimeoutMillis silence after which a channel is silent
     */
    public FailureDetector(String self, long failureTimeoutMillis) {
        if (failureTimeoutMillis < 1) {
            throw new IllegalArgumentException("failure timeout must be >= 1 ms, was " + failureTimeoutMillis);
        }
        this.self = self;
        this.failureTimeoutMillis = failureTimeoutMillis;
    }

    /**
     * Starts following a peer, with a grace period from {@code nowMillis}; a known peer is unchanged.
     *
     * @param peer the peer
     * @param nowMillis local time
     * @return true if the peer was new
     */
    public boolean track(String peer, long nowMillis) {
        if (peer.equals(self) || peers.containsKey(peer)) {
            return false;
        }
        peers.put(peer, new ChannelDetector[] {new ChannelDetector(failureTimeoutMillis, nowMillis),
                new ChannelDetector(failureTimeoutMillis, nowMillis)});
        return true;
    }

    /** @param peer stop following it (removed from the cluster) */
    public void forget(String peer) {
        peers.remove(peer);
        PeerStatus[] cell = last.remove(peer);
        if (cell != null && cell[0] == PeerStatus.PARTITIONED) {
            partitioned--;
        }
    }

    /** @return true if at the last refresh some peer was partitioned */
    public boolean anyPartitioned() {
        return partitioned > 0;
    }

    /**
     * Re-evaluates every peer and remembers the result for {@link #lastStatus(String)}; allocates
     * nothing when nothing changed.
     *
     * @param nowMillis local time
     * @return the peers whose status changed since the previous refresh, in name order
     */
    public List<Transition> refresh(long nowMillis) {
        List<Transition> out = null;
        for (Map.Entry<String, ChannelDetector[]> e : peers.entrySet()) {
            PeerStatus now = classify(e.getValue(), nowMillis);
            PeerStatus[] cell = last.get(e.getKey());
            if (cell == null) {
                cell = new PeerStatus[1];
                last.put(e.getKey(), cell);
            }
            if (cell[0] != now) {
                if (cell[0] == PeerStatus.PARTITIONED) {
                    partitioned--;
                }
                if (now == PeerStatus.PARTITIONED) {
                    partitioned++;
                }
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(new Transition(e.getKey(), cell[0], now));
                cell[0] = now;
            }
        }
        return out == null ? List.of() : out;
    }

    /**
     * @param peer the peer
     * @return its status at the last {@link #refresh(long)}, null if unknown then
     */
    public PeerStatus lastStatus(String peer) {
        PeerStatus[] cell = last.get(peer);
        return cell == null ? null : cell[0];
    }

    /**
     * @return true if, at the last refresh, no peer whose name sorts before {@code name} was alive
     * @param name a host name
     */
    public boolean noAlivePeerBefore(String name) {
        for (Map.Entry<String, PeerStatus[]> e : last.entrySet()) {
            if (e.getKey().compareTo(name) >= 0) {
                return true;
            }
            if (e.getValue()[0] == PeerStatus.ALIVE) {
                return false;
            }
        }
        return true;
    }

    private static PeerStatus classify(ChannelDetector[] c, long nowMillis) {
        if (!c[0].silent(nowMillis)) {
            return PeerStatus.ALIVE;
        }
        return c[1].silent(nowMillis) ? PeerStatus.FAILED : PeerStatus.PARTITIONED;
    }

    /**
     * @param peer the sender
     * @param sequence its heartbeat sequence
     * @param nowMillis local receive time
     */
    public void networkHeartbeat(String peer, long sequence, long nowMillis) {
        track(peer, nowMillis);
        ChannelDetector[] c = peers.get(peer);
        if (c != null) {
            c[0].observe(sequence, nowMillis);
        }
    }

    /**
     * @param peer the writer
     * @param sequence the sequence found in its datastore heartbeat record
     * @param nowMillis local read time
     */
    public void datastoreHeartbeat(String peer, long sequence, long nowMillis) {
        ChannelDetector[] c = peers.get(peer);
        if (c != null) {
            c[1].observe(sequence, nowMillis);
        }
    }

    /**
     * @param peer the peer
     * @param nowMillis local time
     * @return its status, {@link PeerStatus#FAILED} for an unknown peer
     */
    public PeerStatus status(String peer, long nowMillis) {
        ChannelDetector[] c = peers.get(peer);
        if (c == null) {
            return PeerStatus.FAILED;
        }
        if (!c[0].silent(nowMillis)) {
            return PeerStatus.ALIVE;
        }
        return c[1].silent(nowMillis) ? PeerStatus.FAILED : PeerStatus.PARTITIONED;
    }

    /**
     * @param nowMillis local time
     * @return every peer's status, by name
     */
    public SortedMap<String, PeerStatus> statuses(long nowMillis) {
        SortedMap<String, PeerStatus> out = new TreeMap<>();
        for (Map.Entry<String, ChannelDetector[]> e : peers.entrySet()) {
            out.put(e.getKey(), status(e.getKey(), nowMillis));
        }
        return out;
    }

    /**
     * @param peer the peer
     * @param nowMillis local time
     * @return true if the peer's datastore heartbeats are silent (it lost its storage, or failed), true
     *         for an unknown peer
     */
    public boolean datastoreSilent(String peer, long nowMillis) {
        ChannelDetector[] c = peers.get(peer);
        return c == null || c[1].silent(nowMillis);
    }

    /**
     * @param nowMillis local time
     * @return true if at least one peer's network channel is fresh
     */
    public boolean anyPeerHeard(long nowMillis) {
        for (ChannelDetector[] c : peers.values()) {
            if (!c[0].silent(nowMillis)) {
                return true;
            }
        }
        return false;
    }

    /** @return the timeout */
    public long failureTimeoutMillis() {
        return failureTimeoutMillis;
    }
}
