/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseException;
import org.vmha.api.storage.LeaseRenewal;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StorageException;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link LeaseKeeper} is responsible for the volume leases of this host, the one owner of which VMs this host
 * runs under a fencing token:
 * <ul>
 * <li>at start it adopts the VMs the hypervisor runs under a lease this host still holds, and stops the others;</li>
 * <li>at every heartbeat it renews the leases that are due in one datastore call (those of restarts still in
 * flight too), moves their {@link LeaseWatchdog} deadlines, gives back the leases whose VM the hypervisor lost,
 * and stops our copy of a VM whose lease another host took over;</li>
 * <li>it stops the stray VMs the hypervisor runs without a lease, takes note of the VMs the watchdog fenced, and
 * learns a lease's holder into the replica.</li>
 * </ul>
 * Self-fencing never waits on this class: a renewal that fails or hangs moves no deadline, and the watchdog kills
 * the VM at the deadline on its own thread.
 * <p>
 * <b>Threading:</b> not thread-safe, except {@link #holdingWhileStarting}, which the restart thread calls.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class LeaseKeeper {

    private final String host;
    private final AgentConfig config;
    private final GuardedAdapters adapters;
    private final LeaseWatchdog watchdog;
    private final FailoverTableReplica replica;
    private final ReplicaPublisher publisher;
    private final VmStops stops;
    private final ScanEpochs epochs;
    private final Set<String> inFlight;
    private final SortedMap<String, Lease> leases = new TreeMap<>();
    /**
     * Leases acquired by restarts still in flight, by volume: the restart thread puts them as soon as it holds them,
     * the agent renews them while the VM starts, and the completion takes them over.
     */
    private final Map<String, Lease> inFlightLeases = new ConcurrentHashMap<>();
    /** Volumes whose lease was lost while their start was in flight: the completion stops what started. */
    private final Set<String> lostWhileStarting = new HashSet<>();
    private boolean noStrays;

    /** The leases due for renewal in one round: this host's own first ({@code owned} of them), then starting ones. */
    private record Batch(List<Lease> leases, List<Map.Entry<String, Lease>> slots, int owned) {
    }

    /**
     * @param host this host
     * @param config settings (fence margin, heartbeat interval)
     * @param adapters the datastore and the hypervisor, behind the guard
     * @param watchdog kills the VMs whose deadlines pass
     * @param replica the table replica (leases learned into it)
     * @param publisher publishes learned entries
     * @param stops VMs being stopped
     * @param epochs moved when this host's VMs or free capacity change
     * @param inFlight the volumes whose restart is in flight (read only)
     */
    LeaseKeeper(String host, AgentConfig config, GuardedAdapters adapters, LeaseWatchdog watchdog,
            FailoverTableReplica replica, ReplicaPublisher publisher, VmStops stops, ScanEpochs epochs,
            Set<String> inFlight) {
        this.host = host;
        this.config = config;
        this.adapters = adapters;
        this.watchdog = watchdog;
        this.replica = replica;
        this.publisher = publisher;
        this.stops = stops;
        this.epochs = epochs;
        this.inFlight = inFlight;
    }

    /**
     * Adopts the VMs the hypervisor runs under a lease this host still holds (arming what is left of the lease on
     * the watchdog's clock) and stops the others until the hypervisor confirms they are gone.
     *
     * @param now current time
     */
    void adopt(long now) {
        for (RunningVm vm : adapters.listRunning()) {
            Optional<LeaseState> l = adapters.inspect(vm.lun());
            if (l.isPresent() && l.get().owner().equals(host) && l.get().generation() == vm.generation()
                    && l.get().isLive(now)) {
                leases.put(vm.lun(), new Lease(vm.lun(), host, vm.generation(), l.get().acquiredAtMillis(),
                        l.get().expiresAtMillis()));
                // what is left of the lease, on the watchdog's clock
                watchdog.arm(vm.lun(), vm.generation(),
                        watchdog.nowMillis() + l.get().expiresAtMillis() - now - config.fenceMarginMillis());
            } else {
                // not ours (any more): stopped, and tried again until the hypervisor confirms it is gone
                stops.request(vm.lun(), VmStops.Purpose.STRAY, false, now, 0, epochs::localChanged);
            }
        }
    }

    // ------------------------------------------------------------------ the leases held

    Lease get(String lun) {
        return leases.get(lun);
    }

    void put(String lun, Lease lease) {
        leases.put(lun, lease);
    }

    Lease remove(String lun) {
        return leases.remove(lun);
    }

    boolean holds(String lun) {
        return leases.containsKey(lun);
    }

    boolean isEmpty() {
        return leases.isEmpty();
    }

    int size() {
        return leases.size();
    }

    /** @return the volumes leased, in name order (a live view) */
    Set<String> luns() {
        return Collections.unmodifiableSet(leases.keySet());
    }

    /** @return the leases held, in volume order (a live view) */
    Collection<Lease> held() {
        return Collections.unmodifiableCollection(leases.values());
    }

    /**
     * @param l a lease of this host
     * @return true if it was given back
     */
    boolean release(Lease l) {
        return adapters.releaseQuietly(l);
    }

    /** @param lun a volume whose VM no longer runs here under our lease: its deadline goes */
    void disarm(String lun) {
        watchdog.disarm(lun);
    }

    /** @return the watchdog's clock, read before a lease is acquired */
    long watchdogNow() {
        return watchdog.nowMillis();
    }

    /**
     * Arms the deadline of a lease acquired at {@code started} on the watchdog's clock.
     *
     * @param lun the volume
     * @param generation the lease's generation
     * @param started the watchdog's clock before the acquisition
     */
    void armAcquired(String lun, long generation, long started) {
        watchdog.arm(lun, generation, started + adapters.storage().leaseDurationMillis() - config.fenceMarginMillis());
    }

    // ------------------------------------------------------------------ leases of restarts in flight

    /**
     * Called on the restart thread as soon as it holds a lease: renewed by the agent while the VM starts.
     *
     * @param lun the volume
     * @param lease the lease
     */
    void holdingWhileStarting(String lun, Lease lease) {
        inFlightLeases.put(lun, lease);
    }

    /**
     * Takes over a restart's lease at its completion.
     *
     * @param lun the volume
     * @param acquired the lease the restart acquired, or null
     * @return the lease as last renewed while the VM started, or null
     */
    Lease takeStarted(String lun, Lease acquired) {
        Lease lease = acquired == null ? null : inFlightLeases.getOrDefault(lun, acquired);
        inFlightLeases.remove(lun);
        return lease;
    }

    /**
     * @param lun a volume whose restart completed
     * @return true if its lease was lost while it started
     */
    boolean lostWhileStarting(String lun) {
        return lostWhileStarting.remove(lun);
    }

    // ------------------------------------------------------------------ renewal

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
        long started = watchdog.nowMillis();
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

    private Batch due(long now, Set<String> runningHere) {
        long renewAhead = renewAheadMillis();
        List<Lease> batch = new ArrayList<>(leases.size());
        List<Map.Entry<String, Lease>> slots = new ArrayList<>(leases.size());
        int leasedRunning = 0;
        for (Map.Entry<String, Lease> slot : leases.entrySet()) {
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
        // every VM the hypervisor runs is one we hold a lease for: no stray to look for this heartbeat
        noStrays = leasedRunning == runningHere.size() && inFlight.isEmpty() && inFlightLeases.isEmpty();
        int owned = batch.size();
        if (!inFlightLeases.isEmpty()) {
            for (Lease l : new TreeMap<>(inFlightLeases).values()) {
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
            watchdog.arm(l.lun(), renewed.generation(), deadline);
            if (starting) {
                inFlightLeases.replace(l.lun(), l, renewed);
                return;
            }
            if (!runningHere.contains(l.lun()) && !stops.contains(l.lun())) {
                // the hypervisor lost the VM (fenced or crashed guest): give the VM back to the cluster
                adapters.releaseQuietly(renewed);
                leases.remove(l.lun());
                watchdog.disarm(l.lun());
                epochs.localChanged();
            }
        } else if (failure instanceof LeaseException) {
            // another host took the volume over: we were fenced off; stop our copy (the deadline stays armed
            // as the backstop) and learn where it runs now
            if (starting) {
                inFlightLeases.remove(l.lun(), l);
                lostWhileStarting.add(l.lun());
            } else {
                leaseLost(l.lun(), now);
            }
            learnFromDatastore(l.lun(), now);
        }
        // any other failure: the datastore is unreachable for this lease; the deadline stands
    }

    /** A lease of ours was taken over: our copy of the VM goes, confirmed, and is no longer ours to renew. */
    private void leaseLost(String lun, long now) {
        leases.remove(lun);
        epochs.localChanged();
        stops.request(lun, VmStops.Purpose.LEASE_LOST, false, now, 0, () -> {
            watchdog.disarm(lun);
            epochs.localChanged();
        });
    }

    /**
     * {@link FailoverTableReplica#learnLease}, and more capacity may be free if the entry moved. The learned entry
     * is published: the lease's holder must know that the table says it runs the VM, so that it restarts the VM
     * itself if it does not (its start may have failed and its lease be on the way back).
     *
     * @param lun the volume
     * @param lease its lease as the datastore has it
     * @param now current time
     */
    void learn(String lun, LeaseState lease, long now) {
        if (replica.learnLease(lun, lease, now)) {
            epochs.capacityChanged();
            replica.entry(lun).ifPresent(e -> publisher.publish(List.of(e)));
        }
    }

    /**
     * Learns a volume's lease as the datastore has it now, if it can tell.
     *
     * @param lun the volume
     * @param now current time
     */
    void learnFromDatastore(String lun, long now) {
        adapters.inspect(lun).ifPresent(st -> learn(lun, st, now));
    }

    /** Takes note of the VMs the watchdog killed because their deadlines passed. */
    void collectFenced() {
        for (LeaseWatchdog.Fenced f : watchdog.drainFenced()) {
            Lease l = leases.get(f.lun());
            if (l != null && l.generation() == f.generation()) {
                // not released: the watchdog kills before the expiry, and the lease expires on its own; a release
                // would read to a peer like a deliberate stop (a powered-off VM is not restarted)
                leases.remove(f.lun());
                epochs.localChanged();
                epochs.capacityChanged();
            }
        }
    }

    /**
     * Stops every VM the hypervisor runs here that this agent holds no lease for, is not starting and is not
     * stopping already: a start that completed after its timeout, a VM left over from before a restart of the
     * agent, or one whose lease was taken over. Tried again until the hypervisor confirms it is gone.
     *
     * @param now current time
     */
    void reconcileStrays(long now) {
        if (noStrays) {
            return;
        }
        for (String lun : adapters.runningLuns()) {
            if (!leases.containsKey(lun) && !inFlight.contains(lun) && !inFlightLeases.containsKey(lun)
                    && !stops.contains(lun)) {
                stops.request(lun, VmStops.Purpose.STRAY, false, now, 0, epochs::localChanged);
            }
        }
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
