/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.StorageException;
import org.vmha.api.transport.PeerStatus;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link PeerIsolationMarkers} is responsible for knowing which VMs the partitioned peers released in their
 * isolation response: it reads each partitioned peer's isolation marker from the datastore, so that the failover
 * scan restarts exactly those VMs, and forgets a peer's marker once the peer is no longer partitioned.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class PeerIsolationMarkers {

    private final String host;
    private final PeerStates peers;
    private final GuardedAdapters adapters;
    private final ScanEpochs epochs;
    private final Map<String, Set<String>> released = new TreeMap<>();

    /**
     * @param host this host
     * @param peers the peers' statuses and names
     * @param adapters the datastore, behind the guard
     * @param epochs moved when a marker changes
     */
    PeerIsolationMarkers(String host, PeerStates peers, GuardedAdapters adapters, ScanEpochs epochs) {
        this.host = host;
        this.peers = peers;
        this.adapters = adapters;
        this.epochs = epochs;
    }

    /** Reads the markers of the partitioned peers, and forgets those of peers no longer partitioned. */
    void read() {
        if (!peers.anyPartitioned() && released.isEmpty()) {
            return;
        }
        for (String peer : peers.members().keySet()) {
            if (peer.equals(host)) {
                continue;
            }
            if (peers.lastStatus(peer) != PeerStatus.PARTITIONED) {
                if (released.remove(peer) != null) {
                    epochs.markersChanged();
                }
                continue;
            }
            try {
                Optional<IsolationMarker> m = adapters.storage("readIsolationMarker", peer,
                        () -> adapters.storage().readIsolationMarker(peer));
                if (m.isPresent()) {
                    Set<String> luns = new TreeSet<>(m.get().releasedLuns());
                    if (!luns.equals(released.put(peer, luns))) {
                        epochs.markersChanged();
                    }
                }
            } catch (StorageException | AdapterCallException ex) {
                // try next tick
            }
        }
    }

    /**
     * @param peer a peer
     * @return the volumes its marker releases, or null if none is known
     */
    Set<String> releasedBy(String peer) {
        return released.isEmpty() ? null : released.get(peer);
    }

    /** @param peer a peer that came back: its marker is stale */
    void forget(String peer) {
        released.remove(peer);
    }
}
