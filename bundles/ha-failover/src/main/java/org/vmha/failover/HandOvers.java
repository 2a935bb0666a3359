/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;
import org.vmha.api.storage.Lease;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link HandOvers} is responsible for the source side of a migration: checkpoint the VM's memory into its
 * volume, stop it, release the lease and hand the VM to the destination, which resumes it from that checkpoint;
 * and for publishing each hand-over again at every heartbeat until the replica shows the destination took it
 * over, because nobody else holds the VM meanwhile and a lost hand-over would leave it down.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class HandOvers {

    /** Heartbeats a hand-over is published again at most (the destination failing is a failover by then). */
    private static final int HAND_OVER_REPUBLISH_HEARTBEATS = 300;

    private final String host;
    private final GuardedAdapters adapters;
    private final LeaseKeeper leases;
    private final FailoverTableReplica replica;
    private final ReplicaPublisher publisher;
    private final ScanEpochs epochs;
    private final LongSupplier heartbeatSeq;
    /** Hand-overs this host made as a migration's source, by volume. */
    private final Map<String, HandOver> handOvers = new TreeMap<>();

    private record HandOver(FailoverTableEntry entry, long sinceHeartbeat) {
    }

    /**
     * @param host this host
     * @param adapters the hypervisor, behind the guard
     * @param leases the leases given back
     * @param replica the table replica
     * @param publisher publishes the hand-overs
     * @param epochs moved when this host's VMs change
     * @param heartbeatSeq this host's heartbeat count
     */
    HandOvers(String host, GuardedAdapters adapters, LeaseKeeper leases, FailoverTableReplica replica,
            ReplicaPublisher publisher, ScanEpochs epochs, LongSupplier heartbeatSeq) {
        this.host = host;
        this.adapters = adapters;
        this.leases = leases;
        this.replica = replica;
        this.publisher = publisher;
        this.epochs = epochs;
        this.heartbeatSeq = heartbeatSeq;
    }

    /**
     * Hands a VM over. If the checkpoint or the stop fails, or the hypervisor still lists the VM after the
     * power-off, the VM keeps running here under its lease and the entry goes back to RUNNING.
     *
     * @param e the entry asking for the migration
     * @param m its state
     */
    void handOver(FailoverTableEntry e, VmState.Migrating m) {
        Lease l = leases.get(e.lun());
        String failure = null;
        try {
            adapters.hypervisor("checkpoint", e.lun(), () -> adapters.hypervisor().checkpoint(e.lun(), l.generation()));
            adapters.hypervisor("powerOff", e.lun(), () -> adapters.hypervisor().powerOff(e.lun()));
            if (adapters.runningLuns().contains(e.lun())) {
                failure = "the hypervisor still runs it after the power-off";
            }
        } catch (RuntimeException ex) {
            failure = ex.getMessage();
        }
        if (failure != null) {
            publisher.put(e.withPlacement(host, VmState.RUNNING));
            return;
        }
        leases.remove(e.lun());
        leases.disarm(e.lun());
        epochs.localChanged();
        leases.release(l);
        FailoverTableEntry moving = e.withPlacement(m.dest(), m);
        publisher.put(moving);
        handOvers.put(e.lun(), new HandOver(moving, heartbeatSeq.getAsLong()));
    }

    /** Publishes again the hand-overs the destination has not taken over yet. */
    void republish() {
        if (handOvers.isEmpty()) {
            return;
        }
        List<FailoverTableEntry> again = new ArrayList<>();
        for (Iterator<Map.Entry<String, HandOver>> it = handOvers.entrySet().iterator(); it.hasNext();) {
            HandOver h = it.next().getValue();
            FailoverTableEntry now = replica.entry(h.entry().lun()).orElse(null);
            if (now == null || !now.samePlacement(h.entry())
                    || heartbeatSeq.getAsLong() - h.sinceHeartbeat() > HAND_OVER_REPUBLISH_HEARTBEATS) {
                it.remove(); // taken over by the destination (or changed by somebody else since)
            } else {
                again.add(now); // with whatever alternate the management service gave it since
            }
        }
        if (!again.isEmpty()) {
            publisher.publish(again);
        }
    }
}
