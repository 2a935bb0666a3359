/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.vmha.api.storage.Lease;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link LeaseKeeper} is responsible for the volume leases this host holds, the one owner of which VMs this
 * host runs under a fencing token, and for their {@link LeaseWatchdog} deadlines:
 * <ul>
 * <li>the leases held, in volume order, and those of restarts still in flight (the restart thread hands them over
 * as soon as it holds them, the completion takes them over);</li>
 * <li>every deadline armed or disarmed goes through it, on the watchdog's clock ({@code start + lease -
 * fenceMargin} for a lease acquired or renewed at {@code start});</li>
 * <li>it takes note of the VMs the watchdog fenced, the generation telling a fenced lease from a newer one.</li>
 * </ul>
 * The {@link LeaseRenewer} renews them, the {@link StrayReconciler} adopts and stops what the hypervisor runs, the
 * {@link LeaseLearner} learns the other hosts' leases. Self-fencing never waits on this class: the watchdog kills the
 * VM at the deadline on its own thread.
 * <p>
 * <b>Threading:</b> not thread-safe, except {@link #holdingWhileStarting}, which the restart thread calls.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class LeaseKeeper {

    private final AgentConfig config;
    private final GuardedAdapters adapters;
    private final LeaseWatchdog watchdog;
    private final ScanEpochs epochs;
    private final SortedMap<String, Lease> leases = new TreeMap<>();
    /**
     * Leases acquired by restarts still in flight, by volume: the restart thread puts them as soon as it holds them,
     * the agent renews them while the VM starts, and the completion takes them over.
     */
    private final Map<String, Lease> inFlightLeases = new ConcurrentHashMap<>();
    /** Volumes whose lease was lost while their start was in flight: the completion stops what started. */
    private final Set<String> lostWhileStarting = new HashSet<>();

    /**
     * @param config settings (fence margin)
     * @param adapters the datastore (lease duration, releases), behind the guard
     * @param watchdog kills the VMs whose deadlines pass
     * @param epochs moved when a fenced VM leaves this host
     */
    LeaseKeeper(AgentConfig config, GuardedAdapters adapters, LeaseWatchdog watchdog, ScanEpochs epochs) {
        this.config = config;
        this.adapters = adapters;
        this.watchdog = watchdog;
        this.epochs = epochs;
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
     * @return the leases held as the map's own entries, in volume order: a renewal replaces a value in place, which
     *         is valid only until the map's structure next changes
     */
    Set<Map.Entry<String, Lease>> slots() {
        return leases.entrySet();
    }

    /**
     * @param l a lease of this host
     * @return true if it was given back
     */
    boolean release(Lease l) {
        return adapters.releaseQuietly(l);
    }

    // ------------------------------------------------------------------ deadlines

    /** @param lun a volume whose VM no longer runs here under our lease: its deadline goes */
    void disarm(String lun) {
        watchdog.disarm(lun);
    }

    /** @return the watchdog's clock, read before a lease is acquired or renewed */
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

    /**
     * Arms (or moves) a lease's deadline.
     *
     * @param lun the volume
     * @param generation the lease's generation
     * @param deadline when the watchdog kills the VM, on its own clock
     */
    void arm(String lun, long generation, long deadline) {
        watchdog.arm(lun, generation, deadline);
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

    /** @return true if a restart in flight holds a lease */
    boolean anyStarting() {
        return !inFlightLeases.isEmpty();
    }

    /**
     * @param lun a volume
     * @return true if a restart in flight holds its lease
     */
    boolean starting(String lun) {
        return inFlightLeases.containsKey(lun);
    }

    /** @return the leases of restarts in flight, in volume order (a copy) */
    Collection<Lease> startingLeases() {
        return new TreeMap<>(inFlightLeases).values();
    }

    /**
     * @param l a lease of a restart in flight, as renewed before
     * @param renewed the same lease renewed: it replaces {@code l} unless the completion took it over meanwhile
     */
    void renewedWhileStarting(Lease l, Lease renewed) {
        inFlightLeases.replace(l.lun(), l, renewed);
    }

    /** @param l a lease of a restart in flight that another host took over: the completion stops what started */
    void loseWhileStarting(Lease l) {
        inFlightLeases.remove(l.lun(), l);
        lostWhileStarting.add(l.lun());
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
}
