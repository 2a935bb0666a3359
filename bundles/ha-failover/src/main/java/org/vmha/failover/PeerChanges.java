/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.function.BooleanSupplier;

import org.vmha.api.heartbeat.PeerStateListener;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.transport.PeerStatus;

/**
 * The {@link PeerChanges} is responsible for what the failover side does when a peer's state changes: every change
 * is an input of the failover scan; a peer that came back or joined (unless this host is isolated, whose view of the
 * peers is worthless) means more capacity, makes its isolation marker stale, and gets the current table from the
 * lowest-named alive host other than itself, since it may have missed table updates.
 * <p>
 * <b>Threading:</b> not thread-safe; called on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class PeerChanges implements PeerStateListener {

    private final long startedAt;
    private final BooleanSupplier isolated;
    private final PeerStates peers;
    private final PeerIsolationMarkers markers;
    private final ReplicaPublisher publisher;
    private final ScanEpochs epochs;
    private long lastDatastoreEpoch;
    private boolean lastStorageReachable = true;

    /**
     * @param startedAt when the agent started (the peers first seen then did not join)
     * @param isolated true while this host is isolated
     * @param peers who the reporter is
     * @param markers the peers' isolation markers
     * @param publisher sends the whole replica
     * @param epochs moved by every change
     */
    PeerChanges(long startedAt, BooleanSupplier isolated, PeerStates peers, PeerIsolationMarkers markers,
            ReplicaPublisher publisher, ScanEpochs epochs) {
        this.startedAt = startedAt;
        this.isolated = isolated;
        this.peers = peers;
        this.markers = markers;
        this.publisher = publisher;
        this.epochs = epochs;
    }

    @Override
    public void peerChanged(String peer, PeerStatus before, PeerStatus after, long nowMillis) {
        epochs.statusChanged();
        if (isolated.getAsBoolean() || after == PeerStatus.FAILED || after == PeerStatus.PARTITIONED) {
            return;
        }
        if (before != null || nowMillis > startedAt) {
            epochs.capacityChanged();
            markers.forget(peer);
            // the returning host may be the lowest-named itself, and its table is the stale one
            if (peers.reporter(peer)) {
                publisher.publishReplica();
            }
        }
    }

    /** A datastore path came back (or went): room may have appeared for VMs waiting for capacity. */
    void datastorePathsChecked() {
        long datastoreEpoch = peers.datastoreEpoch();
        if (datastoreEpoch != lastDatastoreEpoch || peers.storageReachable() != lastStorageReachable) {
            lastDatastoreEpoch = datastoreEpoch;
            lastStorageReachable = peers.storageReachable();
            epochs.capacityChanged();
        }
    }

    @Override
    public void peerCapacityChanged(String peer) {
        epochs.capacityChanged();
    }
}
