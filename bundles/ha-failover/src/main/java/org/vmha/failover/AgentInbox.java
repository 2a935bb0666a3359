/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link AgentInbox} is responsible for what the transport brings one host's agent: peers' heartbeats go to the
 * heartbeat function (through the consumer the coordinator hands over; the failover side knows the heartbeat side
 * only through ha-api's {@link PeerStates}); a full table from the management service replaces the replica (with
 * the hosts in maintenance mode it names) unless it is older, in which case the reporter answers with its whole
 * replica; a delta is applied and what it changed goes to the {@link OperatorRequests}. Nothing arrives once the
 * agent stopped.
 * <p>
 * <b>Threading:</b> not thread-safe; the wiring delivers messages on the agent's serial thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class AgentInbox implements ClusterListener {

    private final BooleanSupplier running;
    private final Consumer<HostHeartbeat> heartbeats;
    private final PeerStates peers;
    private final FailoverTableReplica replica;
    private final ReplicaPublisher publisher;
    private final OperatorRequests requests;
    private final ScanEpochs epochs;
    private long staleFullAnswered = -1;
    /** Hosts the management service has in maintenance mode (from its last full table). */
    private Set<String> maintenanceHosts = Set.of();

    /**
     * @param running false once the agent stopped
     * @param heartbeats ingests the peers' network heartbeats
     * @param peers whether this host is the reporter
     * @param replica the table replica
     * @param publisher answers a stale full table with the whole replica
     * @param requests acts on what a table changed
     * @param epochs moved when a full table may have changed free capacity
     */
    AgentInbox(BooleanSupplier running, Consumer<HostHeartbeat> heartbeats, PeerStates peers,
            FailoverTableReplica replica, ReplicaPublisher publisher, OperatorRequests requests, ScanEpochs epochs) {
        this.running = running;
        this.heartbeats = heartbeats;
        this.peers = peers;
        this.replica = replica;
        this.publisher = publisher;
        this.requests = requests;
        this.epochs = epochs;
    }

    /** @return the hosts in maintenance mode as of the management service's last full table */
    Set<String> maintenanceHosts() {
        return maintenanceHosts;
    }

    @Override
    public void onHeartbeat(HostHeartbeat hb) {
        if (!running.getAsBoolean()) {
            return;
        }
        heartbeats.accept(hb);
    }

    @Override
    public void onTable(TableUpdate update) {
        if (!running.getAsBoolean()) {
            return;
        }
        if (update.full()) {
            onFullTable(update);
            return;
        }
        requests.deltaApplied(replica.applyDelta(update.source(), update.entries()));
    }

    private void onFullTable(TableUpdate update) {
        if (replica.applyFull(update.version(), update.entries())) {
            epochs.capacityChanged();
            if (!update.maintenance().equals(maintenanceHosts)) {
                // hosts in maintenance mode are no restart targets
                maintenanceHosts = update.maintenance();
            }
            // a full table may carry a request whose delta we missed
            requests.actOnRequests();
        } else if (update.version() != staleFullAnswered && peers.reporter(null)) {
            // a full table older than ours: a management service that restarted from an old copy. The reporter
            // answers with its whole replica, whose version the service then issues its next table above, and
            // whose placements it learns
            staleFullAnswered = update.version();
            publisher.publishReplica();
        }
    }
}
