/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.PeerStatus;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link ReplicaPublisher} is responsible for what this host tells the others about the failover table: each
 * entry it changes, its own entries and (as the reporter) the entries nobody holds in every anti-entropy round, and
 * the whole replica to a host that returns or to a management service that restarted from an old copy.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class ReplicaPublisher {

    private final String host;
    private final FailoverTableReplica replica;
    private final ClusterTransport transport;
    private final PeerStates peers;
    private final Supplier<Set<String>> leased;
    private final LongSupplier statusEpoch;
    private List<FailoverTableEntry> lastOwnEntries = List.of();
    private long unheldKey = -1;
    private List<FailoverTableEntry> unheldEntries;

    /**
     * @param host this host
     * @param replica its table replica
     * @param transport where table updates go
     * @param peers the peers' statuses
     * @param leased the volumes this host holds leases on, in name order
     * @param statusEpoch moves whenever a peer's status changes
     */
    ReplicaPublisher(String host, FailoverTableReplica replica, ClusterTransport transport, PeerStates peers,
            Supplier<Set<String>> leased, LongSupplier statusEpoch) {
        this.host = host;
        this.replica = replica;
        this.transport = transport;
        this.peers = peers;
        this.leased = leased;
        this.statusEpoch = statusEpoch;
    }

    /**
     * Puts an entry into the replica and publishes it.
     *
     * @param entry the new entry
     */
    void put(FailoverTableEntry entry) {
        replica.put(entry);
        publish(List.of(entry));
    }

    /**
     * Puts an entry into the replica without publishing it: a correction of this host's stale view that the others
     * have already.
     *
     * @param entry the new entry
     */
    void putUnpublished(FailoverTableEntry entry) {
        replica.put(entry);
    }

    /**
     * @param entries entries of the replica to publish as a delta at the replica's version
     */
    void publish(List<FailoverTableEntry> entries) {
        transport.publishTable(new TableUpdate(host, replica.version(), false, entries));
    }

    /**
     * The anti-entropy round: this host's own entries, and as the reporter the unheld ones.
     */
    void antiEntropy() {
        publishOwnEntries();
        if (peers.reporter(null)) {
            publishUnheldEntries();
        }
    }

    /**
     * Publishes the whole replica as a delta: every receiver keeps, entry by entry, the newer of its own and this
     * one ({@link FailoverTableEntry#newerThan}), so entries nobody holds a lease for (powered off, pending,
     * failed) converge too.
     */
    void publishReplica() {
        List<FailoverTableEntry> all = replica.entries();
        if (!all.isEmpty()) {
            transport.publishTable(new TableUpdate(host, replica.version(), false, all));
        }
    }

    private void publishOwnEntries() {
        List<FailoverTableEntry> mine = new ArrayList<>();
        for (String lun : leased.get()) {
            replica.entry(lun).filter(e -> host.equals(e.currentHost())).ifPresent(mine::add);
        }
        if (!mine.isEmpty()) {
            // the same entries as last round go out as the same immutable list object, which lets the
            // receivers skip a list they already applied without effect (FailoverTableReplica.applyDelta)
            if (!sameObjects(mine, lastOwnEntries)) {
                lastOwnEntries = List.copyOf(mine);
            }
            transport.publishTable(new TableUpdate(host, replica.version(), false, lastOwnEntries));
        }
    }

    /**
     * The anti-entropy round of the reporter: the entries no lease holder re-publishes, those not running on an
     * alive host (powered off, pending, failed, moving, or placed on a host that is not alive), so that lost
     * updates of VMs nobody holds converge too. While neither the replica nor the peers' states change the same
     * immutable list goes out again, which receivers skip cheaply.
     */
    private void publishUnheldEntries() {
        long key = replica.changes() * 31 + statusEpoch.getAsLong();
        if (key != unheldKey || unheldEntries == null) {
            List<FailoverTableEntry> out = new ArrayList<>();
            for (FailoverTableEntry e : replica.entries()) {
                String h = e.currentHost();
                boolean held = e.state() instanceof VmState.Running && h != null
                        && (h.equals(host) || peers.lastStatus(h) == PeerStatus.ALIVE);
                if (!held) {
                    out.add(e);
                }
            }
            unheldEntries = List.copyOf(out);
            unheldKey = key;
        }
        if (!unheldEntries.isEmpty()) {
            transport.publishTable(new TableUpdate(host, replica.version(), false, unheldEntries));
        }
    }

    private static boolean sameObjects(List<FailoverTableEntry> a, List<FailoverTableEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
