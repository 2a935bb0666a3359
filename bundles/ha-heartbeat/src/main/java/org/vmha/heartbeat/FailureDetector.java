/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.heartbeat;

import org.vmha.api.transport.PeerStatus;
import org.vmha.api.transport.PeerView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@link FailureDetector} is responsible for following every peer of one agent on two channels,
 * the network heartbeats ({@code ha.heartbeat.host}) and the datastore heartbeats (through the storage
 * SPI), with one silence timer per peer per channel, and for classifying each peer:
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
     * One peer: its two channels inline (one object per peer, which the detector visits for every
     * heartbeat on either channel). A channel is silent when its sequence has not changed for more than
     * the timeout; it starts fresh at the time the peer became known (the grace period).
     */
    private static final class Peer {
        final String name;
        final long timeout;
        long networkSequence = Long.MIN_VALUE;
        long networkChangeMillis;
        long datastoreSequence = Long.MIN_VALUE;
        long datastoreChangeMillis;
        PeerStatus last;
        boolean datastoreSilent;
        /** it sent its leave message (a planned stop) and nothing since: gone at once, without detection */
        boolean left;
        long leftAt;

        Peer(String name, long timeout, long now) {
            this.name = name;
            this.timeout = timeout;
            this.networkChangeMillis = now;
            this.datastoreChangeMillis = now;
        }

        boolean networkSilent(long nowMillis) {
            return nowMillis - networkChangeMillis > timeout;
        }

        boolean datastoreSilent(long nowMillis) {
            return nowMillis - datastoreChangeMillis > timeout;
        }

        /** @return true if the sequence is new (a sequence that goes backwards counts too) */
        boolean observeNetwork(long sequence, long nowMillis) {
            if (sequence == networkSequence) {
                return false;
            }
            networkSequence = sequence;
            networkChangeMillis = Math.max(networkChangeMillis, nowMillis);
            left = false;
            return true;
        }

        /** @return true if the sequence is new */
        boolean observeDatastore(long sequence, long nowMillis) {
            if (sequence == datastoreSequence) {
                return false;
            }
            datastoreSequence = sequence;
            datastoreChangeMillis = Math.max(datastoreChangeMillis, nowMillis);
            if (left && nowMillis - leftAt > timeout) {
                // a datastore heartbeat written well after the leave: the host is back (its network may not be)
                left = false;
            }
            return true;
        }

        PeerStatus classify(long nowMillis) {
            if (left) {
                return PeerStatus.FAILED;
            }
            if (!networkSilent(nowMillis)) {
                return PeerStatus.ALIVE;
            }
            return datastoreSilent(nowMillis) ? PeerStatus.FAILED : PeerStatus.PARTITIONED;
        }
    }

    private final String self;
    private final long failureTimeoutMillis;
    private final Map<String, Peer> byName = new HashMap<>();
    private final SortedMap<String, Peer> ordered = new TreeMap<>();
    private int partitioned;
    /** The peers in name order, rebuilt when one is tracked or forgotten. */
    private List<Peer> inOrder;
    private long datastoreEpoch;
    /**
     * No fresh channel can turn silent before this time (the earliest last-change plus the timeout,
     * over the channels that were fresh at the last full walk); valid while {@link #revived} is false.
     */
    private long quietUntil = Long.MIN_VALUE;
    /** Time of the last full walk; a clock that goes back forces the next one. */
    private long walkedAt = Long.MIN_VALUE;
    /** A channel that was silent at the last full walk observed a new heartbeat since. */
    private boolean revived = true;

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
        if (byName.containsKey(peer) || peer.equals(self)) {
            return false;
        }
        Peer p = new Peer(peer, failureTimeoutMillis, nowMillis);
        byName.put(peer, p);
        ordered.put(peer, p);
        inOrder = null;
        revived = true;
        return true;
    }

    /** @param peer stop following it (removed from the cluster) */
    public void forget(String peer) {
        Peer p = byName.remove(peer);
        ordered.remove(peer);
        inOrder = null;
        if (p != null && p.last == PeerStatus.PARTITIONED) {
            partitioned--;
        }
    }

    /** @return a counter that changes whenever a peer's datastore channel turned silent or fresh */
    public long datastoreEpoch() {
        return datastoreEpoch;
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
        if (inOrder != null && !revived && nowMillis >= walkedAt && nowMillis < quietUntil) {
            // nothing can have changed: a fresh channel turns silent only at quietUntil, and a silent
            // one turns fresh only through a new heartbeat, which sets revived
            return List.of();
        }
        List<Transition> out = null;
        if (inOrder == null) {
            inOrder = new ArrayList<>(ordered.values());
        }
        long quiet = Long.MAX_VALUE;
        // an array walk: this runs four times per heartbeat interval over every peer
        for (int i = 0; i < inOrder.size(); i++) {
            Peer p = inOrder.get(i);
            boolean dsSilent = p.datastoreSilent(nowMillis);
            if (!dsSilent) {
                quiet = Math.min(quiet, p.datastoreChangeMillis + failureTimeoutMillis + 1);
            }
            if (!p.networkSilent(nowMillis)) {
                quiet = Math.min(quiet, p.networkChangeMillis + failureTimeoutMillis + 1);
            }
            if (dsSilent != p.datastoreSilent) {
                p.datastoreSilent = dsSilent;
                datastoreEpoch++;
            }
            PeerStatus now = p.classify(nowMillis);
            if (p.last != now) {
                if (p.last == PeerStatus.PARTITIONED) {
                    partitioned--;
                }
                if (now == PeerStatus.PARTITIONED) {
                    partitioned++;
                }
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(new Transition(p.name, p.last, now));
                p.last = now;
            }
        }
        quietUntil = quiet;
        walkedAt = nowMillis;
        revived = false;
        return out == null ? List.of() : out;
    }

    /**
     * @param peer the peer
     * @return its status at the last {@link #refresh(long)}, null if unknown then
     */
    public PeerStatus lastStatus(String peer) {
        Peer p = byName.get(peer);
        return p == null ? null : p.last;
    }

    /**
     * @param name a host name
     * @return true if, at the last refresh, no peer whose name sorts before {@code name} was alive
     */
    public boolean noAlivePeerBefore(String name) {
        for (Map.Entry<String, Peer> e : ordered.entrySet()) {
            if (e.getKey().compareTo(name) >= 0) {
                return true;
            }
            if (e.getValue().last == PeerStatus.ALIVE) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param peer the sender
     * @param sequence its heartbeat sequence
     * @param nowMillis local receive time
     */
    public void networkHeartbeat(String peer, long sequence, long nowMillis) {
        Peer p = byName.get(peer);
        if (p == null) {
            if (!track(peer, nowMillis)) {
                return;
            }
            p = byName.get(peer);
        }
        if (p.observeNetwork(sequence, nowMillis) && p.last != PeerStatus.ALIVE) {
            revived = true;
        }
    }

    /**
     * A peer's leave message: it stopped as planned, after handing its VMs over. It counts as
     * {@link PeerStatus#FAILED} from the next refresh on (so the survivors restart its VMs at once) and
     * {@link #left(String)} says why, until it sends an ordinary heartbeat again.
     *
     * @param peer the sender
     * @param sequence the leave message's sequence
     * @param nowMillis local receive time
     */
    public void leave(String peer, long sequence, long nowMillis) {
        Peer p = byName.get(peer);
        if (p == null) {
            return;
        }
        p.networkSequence = sequence;
        p.left = true;
        p.leftAt = nowMillis;
        revived = true;
    }

    /**
     * @param peer a peer
     * @return true if it is gone because it sent its leave message (a planned stop), not because it fell silent
     */
    public boolean left(String peer) {
        Peer p = byName.get(peer);
        return p != null && p.left;
    }

    /**
     * @param peer the writer
     * @param sequence the sequence found in its datastore heartbeat record
     * @param nowMillis local read time
     */
    public void datastoreHeartbeat(String peer, long sequence, long nowMillis) {
        Peer p = byName.get(peer);
        if (p != null && p.observeDatastore(sequence, nowMillis) && p.datastoreSilent) {
            revived = true;
        }
    }

    /**
     * @param peer the peer
     * @param nowMillis local time
     * @return its status now, {@link PeerStatus#FAILED} for an unknown peer
     */
    public PeerStatus status(String peer, long nowMillis) {
        Peer p = byName.get(peer);
        return p == null ? PeerStatus.FAILED : p.classify(nowMillis);
    }

    /**
     * @param nowMillis local time
     * @return every peer's status now, by name (allocates; for views and tests)
     */
    public SortedMap<String, PeerStatus> statuses(long nowMillis) {
        SortedMap<String, PeerStatus> out = new TreeMap<>();
        for (Map.Entry<String, Peer> e : ordered.entrySet()) {
            out.put(e.getKey(), e.getValue().classify(nowMillis));
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
        Peer p = byName.get(peer);
        return p == null || p.datastoreSilent(nowMillis);
    }

    /**
     * @param nowMillis local time
     * @return true if at least one peer's network channel is fresh
     */
    public boolean anyPeerHeard(long nowMillis) {
        for (Peer p : ordered.values()) {
            if (!p.networkSilent(nowMillis)) {
                return true;
            }
        }
        return false;
    }

    /** @return the timeout */
    public long failureTimeoutMillis() {
        return failureTimeoutMillis;
    }

    /**
     * @param nowMillis local time
     * @return every peer's status and heartbeat ages, by name (allocates; for views)
     */
    public java.util.List<PeerView> views(long nowMillis) {
        java.util.List<PeerView> out = new java.util.ArrayList<>();
        for (Map.Entry<String, Peer> e : ordered.entrySet()) {
            Peer p = e.getValue();
            out.add(new PeerView(e.getKey(), p.classify(nowMillis), nowMillis - p.networkChangeMillis,
                    nowMillis - p.datastoreChangeMillis));
        }
        return out;
    }
}
