/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;

import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;
import org.vmha.api.storage.Lease;

/**
 * The {@link PlannedStop} is responsible for a host's planned stop (a node shut down with {@code bin/stop}, the agent
 * bundle stopped): the host first <em>stands down</em> (it restarts no VM of any peer any more, and stops acting on
 * requests), then powers off each VM it runs and gives its lease back, so that the survivors can resume it from its
 * latest checkpoint at once; the table keeps the VM protected on this host, and the leave message that follows
 * (the heartbeat function's) makes the peers take this host as gone without waiting for the failure detector.
 * VMs this host was starting when it stood down are handed over too, once their start completed or failed.
 * <p>
 * <b>Threading:</b> not thread-safe; runs on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class PlannedStop {

    /** The reason of a handed-over VM's {@link VmState.RestartPending} entry. */
    static final String HANDED_OVER = "its host stopped as planned and handed it over";

    private final LeaseKeeper leases;
    private final VmStops stops;
    private final FailoverTableReplica replica;
    private final ReplicaPublisher publisher;
    private final ScanEpochs epochs;
    private final Set<String> inFlight;
    private final Set<String> stopping = new TreeSet<>();
    private boolean standingDown;

    /**
     * @param leases the leases this host holds
     * @param stops the stops in progress
     * @param replica the table replica
     * @param publisher publishes the handed-over entries
     * @param epochs told when this host's leases change
     * @param inFlight the volumes being restarted here
     */
    PlannedStop(LeaseKeeper leases, VmStops stops, FailoverTableReplica replica, ReplicaPublisher publisher,
            ScanEpochs epochs, Set<String> inFlight) {
        this.leases = leases;
        this.stops = stops;
        this.replica = replica;
        this.publisher = publisher;
        this.epochs = epochs;
        this.inFlight = inFlight;
    }

    /** @return true once the host stood down: it restarts and adopts nothing any more */
    boolean standingDown() {
        return standingDown;
    }

    /** The host restarts no VM of a peer from now on; its own VMs go on running until {@link #handOver}. */
    void standDown() {
        standingDown = true;
    }

    /**
     * Powers off every VM this host holds a lease for and is not stopping yet; each lease is given back once the
     * hypervisor confirms the VM is gone. Called again at every tick of the stop, for VMs whose start was in flight.
     *
     * @param now current time
     */
    void handOver(long now) {
        standingDown = true;
        for (Lease l : new ArrayList<>(leases.held())) {
            String lun = l.lun();
            if (stopping.contains(lun) || leases.starting(lun)) {
                continue;
            }
            stopping.add(lun);
            boolean began = stops.request(lun, VmStops.Purpose.LEAVE, false, now, 0, () -> gone(lun));
            if (!began) {
                // already being stopped for another reason (an operator's power-off): that stop gives it back
                stopping.remove(lun);
            }
        }
    }

    /**
     * The VM is gone: its entry says it waits for a restart (so that a released lease reads as a hand-over, not as
     * an operator's power-off), then its lease is given back.
     */
    private void gone(String lun) {
        stopping.remove(lun);
        FailoverTableEntry e = replica.entry(lun).orElse(null);
        if (e != null) {
            publisher.put(e.withPlacement(e.currentHost(), new VmState.RestartPending(HANDED_OVER)));
        }
        Lease held = leases.remove(lun);
        leases.disarm(lun);
        epochs.localChanged();
        if (held != null) {
            leases.release(held);
        }
    }

    /** @return true once no VM runs here under a lease any more and no start is in flight */
    boolean handedOverAll() {
        return stopping.isEmpty() && inFlight.isEmpty() && leases.held().isEmpty();
    }
}
