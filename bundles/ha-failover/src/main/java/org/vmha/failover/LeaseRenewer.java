/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseException;
import org.vmha.api.storage.LeaseRenewal;
import org.vmha.api.storage.StorageException;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link LeaseRenewer} is responsible for keeping this host's leases: at every heartbeat it renews the leases
 * {@link LeaseKeeper} holds that are due, those of restarts still in flight too, in one datastore call, and moves
 * their {@link LeaseWatchdog} deadlines; it gives back the leases whose VM the hypervisor lost, and stops our copy of
 * a VM whose lease another host took over. Self-fencing never waits on this class: a renewal that fails or hangs
 * moves no deadline, and the watchdog kills the VM at the deadline on its own thread.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class LeaseRenewer {

    private final String host;
    private final AgentConfig config;
    private final GuardedAdapters adapters;
    private final LeaseKeeper leases;
    private final LeaseLearner learner;
    private final VmStops stops;
    private final ScanEpochs epochs;
    private final Set<String> inFlight;
    private boolean everyRunningVmLeased;

    /** The leases due for renewal in one round: this host's own first ({@code owned} of them), then starting ones. */
    private record Batch(List<Lease> leases, List<Map.Entry<String, Lease>> slots, int owned) {
    }

    /**
     * @param host this host
     * @param config settings (fence margin, heartbeat interval)
     * @param adapters the datastore and the hypervisor, behind the guard
     * @param leases the leases held and their deadlines
     * @param learner learns where a VM whose lease was taken over runs now
     * @param stops VMs being stopped
     * @param epochs moved when this host's VMs change
     * @param inFlight the volumes whose restart is in flight (read only)
     */
    LeaseRenewer(String host, AgentConfig config, GuardedAdapters adapters, LeaseKeeper leases, LeaseLearner learner,
            VmStops stops, ScanEpochs epochs, Set<String> inFlight) {
        this.host = host;
        this.config = config;
        this.adapters = adapters;
        this.leases = leases;
        this.learner = learner;
        this.stops = stops;
        this.epochs = epochs;
        this.inFlight = inFlight;
    }

    /**
     * Renews the leases that are due, and gives back those whose VM the hypervisor lost. A lease is due
     * when less than {@link #renewAheadMillis()} of it is left. Every successful renewal moves the lease's
     * watchdog deadline to {@code start + lease - fenceMargin}, {@code start} being the watchdog's clock read
     * <em>before</em> the call (the datastore's expiry is at least that late, however long the call took). A
     * renewal that fails or hangs moves nothing: the {@link LeaseWatchdog} kills the VM at the deadline on its own
     * thread, so self-fencing never waits on storage or on this thread. Leases of restarts still in flight are
     * renewed too. A lease refused because another host took the volume over is lost: its VM is stopped until the
     * hypervisor confirms it gone.
     *
     * @param now current time
     */
    void renewDue(long now) {
        Set<String> runningHere = adapters.runningLuns();
        Batch batch = due(now, runningHere);
        if (batch.leases().isEmpty()) {
            return;
        }
        long started = leases.watchdogNow();
        long deadlineAfter = adapters.storage().leaseDurationMillis() - config.fenceMarginMillis();
        // one datastore call for all of this host's leases; each lease's outcome is handled on its own
        List<LeaseRenewal> results = null;
        try {
            results = adapters.storage("renewLeases", host, () -> adapters.storage().renewLeases(batch.leases()));
            if (results.size() != batch.leases().size()) {
                results = null; // a broken answer counts as none: the deadlines stand
            }
        } catch (StorageException | AdapterCallException e) {
            // datastore unreachable or hung: nothing moves, the watchdog fences at the deadlines
        }
        if (results == null) {
            return;
        }
        // the renewed leases replace the old ones in place, before any removal below changes the map's structure (a
        // removal may move a tree entry, so the slots are only valid until then)
        for (int i = 0; i < batch.owned(); i++) {
            Lease renewed = results.get(i).renewed();
            if (renewed != null) {
                batch.slots().get(i).setValue(renewed);
            }
        }
        for (int i = 0; i < batch.leases().size(); i++) {
            handle(batch.leases().get(i), i >= batch.owned(), results.get(i), runningHere, started + deadlineAfter,
                    now);
        }
    }

    /**
     * @return true if, at the last {@link #renewDue}, every VM the hypervisor ran was one this host holds a lease for
     *         and no restart was in flight: there is no stray to look for this heartbeat
     */
    boolean everyRunningVmLeased() {
        return everyRunningVmLeased;
    }

    private Batch due(long now, Set<String> runningHere) {
        long renewAhead = renewAheadMillis();
        List<Lease> batch = new ArrayList<>(leases.size());
        List<Map.Entry<String, Lease>> slots = new ArrayList<>(leases.size());
        int leasedRunning = 0;
        for (Map.Entry<String, Lease> slot : leases.slots()) {
            Lease l = slot.getValue();
            String lun = slot.getKey();
            boolean runs = runningHere.contains(lun);
            if (runs) {
                leasedRunning++;
            }
            // the hypervisor-lost check runs every heartbeat: such a lease goes into the batch at once
            if (!inFlight.contains(lun)
                    && (l.expiresAtMillis() - now <= renewAhead || (!runs && !stops.contains(lun)))) {
                batch.add(l);
                slots.add(slot);
            }
        }
        everyRunningVmLeased = leasedRunning == runningHere.size() && inFlight.isEmpty() && !leases.anyStarting();
        int owned = batch.size();
        if (leases.anyStarting()) {
            for (Lease l : leases.startingLeases()) {
                if (l.expiresAtMillis() - now <= renewAhead) {
                    batch.add(l);
                }
            }
        }
        return new Batch(batch, slots, owned);
    }

    private void handle(Lease l, boolean starting, LeaseRenewal result, Set<String> runningHere, long deadline,
            long now) {
        Lease renewed = result.renewed();
        RuntimeException failure = result.failure();
        if (renewed != null) {
            leases.arm(l.lun(), renewed.generation(), deadline);
            if (starting) {
                leases.renewedWhileStarting(l, renewed);
                return;
            }
            if (!runningHere.contains(l.lun()) && !stops.contains(l.lun())) {
                // the hypervisor lost the VM (fenced or crashed guest): give the VM back to the cluster
                leases.release(renewed);
                leases.remove(l.lun());
                leases.disarm(l.lun());
                epochs.localChanged();
            }
        } else if (failure instanceof LeaseException) {
            // another host took the volume over: we were fenced off; stop our copy (the deadline stays armed
            // as the backstop) and learn where it runs now
            if (starting) {
                leases.loseWhileStarting(l);
            } else {
                leaseLost(l.lun(), now);
            }
            learner.learnFromDatastore(l.lun(), now);
        }
        // any other failure: the datastore is unreachable for this lease; the deadline stands
    }

    /** A lease of ours was taken over: our copy of the VM goes, confirmed, and is no longer ours to renew. */
    private void leaseLost(String lun, long now) {
        leases.remove(lun);
        epochs.localChanged();
        stops.request(lun, VmStops.Purpose.LEASE_LOST, false, now, 0, () -> {
            leases.disarm(lun);
            epochs.localChanged();
        });
    }

    /**
     * @return how much of a lease may be left for it to be renewed: half the datastore's lease duration,
     *         but at least two heartbeat intervals. With 1 s heartbeats a 10 s lease is renewed when 4 s are
     *         left (four attempts before self-fencing, one datastore write per lease every 6 s instead of
     *         every second); ha-sim's default 3 s lease every other second, at the last heartbeat before
     *         the self-fencing point (one attempt); a lease of two intervals or less every heartbeat
     */
    private long renewAheadMillis() {
        return Math.max(adapters.storage().leaseDurationMillis() / 2, 2 * config.heartbeatIntervalMillis());
    }
}
