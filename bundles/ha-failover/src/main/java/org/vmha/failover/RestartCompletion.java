/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import org.vmha.api.event.data.LeaseTakenOver;
import org.vmha.api.event.data.VmMigrated;
import org.vmha.api.event.data.VmPoweredOn;
import org.vmha.api.event.data.VmRestartFailed;
import org.vmha.api.event.data.VmRestarted;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.transport.PeerStatus;
import org.vmha.core.event.HostEvents;

/**
 * The {@link RestartCompletion} is responsible for what follows a restart attempt, back on the agent's thread: a VM
 * that started is this host's (lease kept, entry published, {@code VmRestarted}, {@code VmPoweredOn} or
 * {@code VmMigrated} and {@code LeaseTakenOver} announced); a lease held by an alive host is learned; a failed start
 * is stopped before its lease is given back and retried until the budget is spent ({@code VmRestartFailed}); a start
 * whose lease was lost meanwhile is stopped.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class RestartCompletion {

    private final String host;
    private final AgentConfig config;
    private final PeerStates peers;
    private final LeaseKeeper leases;
    private final LeaseLearner learner;
    private final ReplicaPublisher publisher;
    private final RetryQueue retries;
    private final VmStops stops;
    private final ScanEpochs epochs;
    private final HostEvents events;

    /**
     * @param agent this host, its settings (heartbeat interval, retry base), the peers' states (the lease holders'
     *        statuses) and the epochs moved when this host's VMs or free capacity change
     * @param leases this host's leases
     * @param learner learns where a VM runs that another host holds the lease of
     * @param publisher puts and publishes the entries changed
     * @param retries the retry queue
     * @param stops VMs being stopped
     * @param events where the outcome is announced
     */
    RestartCompletion(AgentContext agent, LeaseKeeper leases, LeaseLearner learner, ReplicaPublisher publisher,
            RetryQueue retries, VmStops stops, HostEvents events) {
        this.host = agent.host();
        this.config = agent.config();
        this.peers = agent.peers();
        this.leases = leases;
        this.learner = learner;
        this.publisher = publisher;
        this.retries = retries;
        this.stops = stops;
        this.epochs = agent.epochs();
        this.events = events;
    }

    /**
     * @param before the VM's entry as planned
     * @param o what the attempt came to
     * @param lease the lease as the agent last renewed it while the VM started, or null
     * @param lost true if that lease was lost while the VM started
     * @param now current time
     */
    void complete(FailoverTableEntry before, RestartAttempt.Outcome o, Lease lease, boolean lost, long now) {
        if (o.stoppedOnPurpose()) {
            // our table was stale: the VM's host powered it off or handed it over; nobody restarts it for that
            retries.done(before.lun());
            publisher.putUnpublished(before.withPlacement(before.currentHost(), VmState.POWERED_OFF));
            epochs.capacityChanged();
        } else if (o.held() != null) {
            held(before, o.held(), now);
        } else if (o.failure() != null) {
            failed(before, o, lease, now);
        } else if (lost) {
            // another host took the volume over while our copy started: ours goes
            stops.request(before.lun(), VmStops.Purpose.LEASE_LOST, false, now, 0, () -> {
                leases.disarm(before.lun());
                epochs.localChanged();
            });
            learner.learnFromDatastore(before.lun(), now);
        } else {
            started(before, o, lease);
        }
    }

    private void held(FailoverTableEntry before, LeaseHeldException h, long now) {
        PeerStatus holder = peers.status(h.holder(), now);
        if (h.holder().equals(host)) {
            // our own lease: still held for a VM the hypervisor lost (given back at the next heartbeat), or left
            // to expire after the watchdog killed its VM (ours to take again after the expiry)
            long at = leases.holds(before.lun()) ? now + config.heartbeatIntervalMillis() : h.expiresAtMillis() + 1;
            retries.notBefore(before.lun(), "own lease of generation " + h.generation() + " not yet free", at);
        } else if (holder != PeerStatus.FAILED && !peers.datastoreSilent(h.holder(), now)) {
            // someone alive runs it now: learn, do not restart
            retries.done(before.lun());
            learner.learnFromDatastore(before.lun(), now);
        } else {
            retries.notBefore(before.lun(), "lease of " + h.holder() + " expires at " + h.expiresAtMillis(),
                    h.expiresAtMillis() + 1);
        }
    }

    private void failed(FailoverTableEntry before, RestartAttempt.Outcome o, Lease lease, long now) {
        if (lease != null) {
            // a failed (or timed-out) start: whatever it may have left running goes, confirmed gone for one
            // heartbeat interval, before the lease is given back; the lease stays ours and renewed meanwhile
            leases.put(before.lun(), lease);
            Lease l = lease;
            stops.request(before.lun(), VmStops.Purpose.START_FAILED, false, now, config.heartbeatIntervalMillis(),
                    () -> {
                        Lease held = leases.remove(l.lun());
                        leases.release(held != null ? held : l);
                        leases.disarm(l.lun());
                        epochs.localChanged();
                    });
        }
        if (!o.spend()) {
            retries.notBefore(before.lun(), o.failure(), now + config.retryBaseMillis());
            return;
        }
        RetryQueue.Retry r = retries.failed(before.lun(), o.failure(), now);
        if (r.gaveUp()) {
            publisher.put(before.withPlacement(before.currentHost(),
                    new VmState.Failed("restart failed " + r.attempts() + " times, last: " + o.failure())));
            events.emit(before.vm(), new VmRestartFailed(before.vm(), before.lun(), host, r.attempts(), o.failure()));
        }
    }

    private void started(FailoverTableEntry before, RestartAttempt.Outcome o, Lease lease) {
        retries.done(before.lun());
        leases.put(before.lun(), lease);
        publisher.put(new FailoverTableEntry(before.vm(), before.lun(), host, before.alternateHost(),
                before.priority(), before.reservation(), VmState.RUNNING, lease.generation(),
                before.isolationResponse()));
        long resumed = o.vm().resumedFromCheckpoint();
        if (before.state() instanceof VmState.Starting) {
            events.emit(before.vm(), new VmPoweredOn(before.vm(), before.lun(), host, lease.generation(), resumed));
        } else if (before.state() instanceof VmState.Migrating m && !m.source().equals(before.currentHost())) {
            // handed over by its source: a migration; a VM whose source died before the hand-over fails over
            events.emit(before.vm(), new VmMigrated(before.vm(), before.lun(), host, m.source(), lease.generation(),
                    resumed));
        } else {
            if (before.currentHost() != null && !before.currentHost().equals(host)) {
                // the fencing token moved from a host that did not give it back
                events.emit(before.vm(), new LeaseTakenOver(before.vm(), before.lun(), before.currentHost(), host,
                        lease.generation()));
            }
            events.emit(before.vm(), new VmRestarted(before.vm(), before.lun(), host, before.currentHost(),
                    lease.generation(), resumed));
        }
    }
}
