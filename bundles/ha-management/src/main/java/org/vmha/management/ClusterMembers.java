/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.command.CommandException;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;

/**
 * The {@link ClusterMembers} is responsible for the hosts of the cluster as the management service knows
 * them: their capacities and last loads from the heartbeats, when each was last heard, which are in
 * maintenance mode and which an operator removed (whose heartbeats no longer count). From these it
 * derives each host's state: {@code MAINTENANCE}, {@code CONNECTED} when heard within the failure
 * timeout, else {@code FAILED}.
 * <p>
 * For admission control ({@link #admissionHosts}) a {@code FAILED} host counts only once a heartbeat of it
 * arrived: a failed member is expected back, but a host added and never heard (or configured and silent since
 * the service started) has given no sign that it exists, so its capacity is not promised to anyone.
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class ClusterMembers {

    private final long failureTimeoutMillis;
    private final SortedMap<String, ResourceVector> capacities = new TreeMap<>();
    private final SortedMap<String, Long> lastHeard = new TreeMap<>();
    /** The hosts a heartbeat arrived from since the service started (or since they were added again). */
    private final SortedSet<String> heard = new TreeSet<>();
    private final SortedMap<String, ResourceVector> loads = new TreeMap<>();
    private final SortedSet<String> maintenance = new TreeSet<>();
    private final SortedSet<String> removed = new TreeSet<>();
    /** The last heartbeat really received from each host, and when (not the start's assumption). */
    private final SortedMap<String, HostHeartbeat> lastHeartbeat = new TreeMap<>();
    private final SortedMap<String, Long> heartbeatAt = new TreeMap<>();
    /** When each host last became heard after being silent (or the start, which counts them all heard). */
    private final SortedMap<String, Long> connectedSince = new TreeMap<>();
    /** When each host entered maintenance mode, and when it last left it. */
    private final SortedMap<String, Long> maintenanceSince = new TreeMap<>();
    private final SortedMap<String, Long> maintenanceLeft = new TreeMap<>();
    /** When an operator added each host (it counts as failed from then until heard). */
    private final SortedMap<String, Long> addedAt = new TreeMap<>();
    /** The hosts operators added (kept across restarts with the removed ones, {@link ManagementState}). */
    private final SortedSet<String> added = new TreeSet<>();
    private boolean maintenanceChanged;

    /**
     * @param failureTimeoutMillis a host not heard for this long is FAILED
     * @param hosts the configured hosts with their capacities
     */
    ClusterMembers(long failureTimeoutMillis, Map<String, ResourceVector> hosts) {
        this.failureTimeoutMillis = failureTimeoutMillis;
        capacities.putAll(hosts);
    }

    /**
     * Counts every known host as heard at {@code now} (the service starts): each is CONNECTED for the failure
     * timeout, and stays so while its heartbeats arrive; one that stays silent becomes FAILED and, never heard,
     * no longer counts for admission.
     */
    void heardAllAt(long now) {
        for (String h : capacities.keySet()) {
            lastHeard.put(h, now);
            connectedSince.put(h, now);
        }
    }

    /** Takes a heartbeat's capacity and load, unless an operator removed its host. */
    void onHeartbeat(HostHeartbeat heartbeat, long now) {
        if (removed.contains(heartbeat.host())) {
            return; // removed by an operator: it takes no VMs until it is added again
        }
        capacities.put(heartbeat.host(), heartbeat.capacity());
        loads.put(heartbeat.host(), heartbeat.load());
        heard.add(heartbeat.host());
        Long before = lastHeard.put(heartbeat.host(), now);
        if (before == null || now - before > failureTimeoutMillis) {
            connectedSince.put(heartbeat.host(), now);
        }
        lastHeartbeat.put(heartbeat.host(), heartbeat);
        heartbeatAt.put(heartbeat.host(), now);
    }

    /** @return the failure timeout: a host not heard for this long is FAILED */
    long failureTimeoutMillis() {
        return failureTimeoutMillis;
    }

    /** @return the last heartbeat received from the host, null if none since the service started */
    HostHeartbeat lastHeartbeat(String host) {
        return lastHeartbeat.get(host);
    }

    /** @return when the last heartbeat of the host was received, null if none since the service started */
    Long heartbeatAt(String host) {
        return heartbeatAt.get(host);
    }

    /**
     * @param host a host of the cluster
     * @param state its state now (of {@link #hosts})
     * @return when it entered {@code state}, as far as this service saw (its start at the earliest), null if unknown
     */
    Long since(String host, HostState state) {
        Long left = maintenanceLeft.get(host);
        Long at;
        if (state == HostState.MAINTENANCE) {
            return maintenanceSince.get(host);
        } else if (state == HostState.CONNECTED) {
            at = connectedSince.get(host);
        } else {
            Long heard = lastHeard.get(host);
            at = heard != null ? Long.valueOf(heard + failureTimeoutMillis) : addedAt.get(host);
        }
        return at == null ? left : left == null ? at : Long.valueOf(Math.max(at, left));
    }

    /** @return whether the host belongs to the cluster */
    boolean contains(String host) {
        return capacities.containsKey(host);
    }

    /** @return the names of the hosts of the cluster */
    SortedSet<String> names() {
        return new TreeSet<>(capacities.keySet());
    }

    /** @return the hosts in maintenance mode (read-only) */
    SortedSet<String> maintenance() {
        return Collections.unmodifiableSortedSet(maintenance);
    }

    /** @return the hosts with their states at {@code now}, in name order */
    List<Host> hosts(long now) {
        List<Host> hosts = new ArrayList<>();
        for (Map.Entry<String, ResourceVector> c : capacities.entrySet()) {
            boolean alive = now - lastHeard.getOrDefault(c.getKey(), Long.MIN_VALUE / 2) <= failureTimeoutMillis;
            HostState state = maintenance.contains(c.getKey()) ? HostState.MAINTENANCE
                    : alive ? HostState.CONNECTED : HostState.FAILED;
            hosts.add(new Host(c.getKey(), c.getValue(), state, false));
        }
        return hosts;
    }

    /**
     * The hosts as admission control counts them: those of {@link #hosts}, less the {@code FAILED} ones never
     * heard (added with no heartbeat since, or configured and silent since the service started). A connected host
     * and a failed host that was heard before count as the policies define (see docs/admission.md).
     *
     * @param now the time
     * @return the hosts admission control decides over, in name order
     */
    List<Host> admissionHosts(long now) {
        List<Host> out = new ArrayList<>();
        for (Host h : hosts(now)) {
            if (h.state() != HostState.FAILED || heard.contains(h.name())) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * @param now the time
     * @param entries the table's entries, whose reservations count on their hosts
     * @return every host's view
     */
    List<HostView> views(long now, Collection<FailoverTableEntry> entries) {
        List<HostView> out = new ArrayList<>();
        for (Host h : hosts(now)) {
            Long heard = lastHeard.get(h.name());
            ResourceVector reserved = ResourceVector.ZERO;
            int vms = 0;
            for (FailoverTableEntry e : entries) {
                if (h.name().equals(e.currentHost()) && e.state().consumesCapacity()) {
                    reserved = reserved.plus(e.reservation());
                    vms++;
                }
            }
            out.add(new HostView(h.name(), h.capacity(), h.state(), heard == null ? -1 : now - heard,
                    loads.getOrDefault(h.name(), ResourceVector.ZERO), reserved, vms));
        }
        return out;
    }

    /**
     * @return the view of one host
     * @throws CommandException NOT_FOUND
     */
    HostView view(String host, long now, Collection<FailoverTableEntry> entries) {
        for (HostView v : views(now, entries)) {
            if (v.name().equals(host)) {
                return v;
            }
        }
        throw new CommandException(CommandException.NOT_FOUND, "unknown host '" + host + "'");
    }

    /**
     * @return the named host of {@code hosts}
     * @throws CommandException NOT_FOUND, naming the known hosts
     */
    static Host require(String host, List<Host> hosts) {
        for (Host h : hosts) {
            if (h.name().equals(host)) {
                return h;
            }
        }
        List<String> known = new ArrayList<>();
        hosts.forEach(h -> known.add(h.name()));
        throw new CommandException(CommandException.NOT_FOUND, "unknown host '" + host + "'; known: "
                + String.join(", ", known));
    }

    /**
     * @param what the request, for the message ({@code power on VM vm1})
     * @throws CommandException NOT_FOUND, or CONFLICT when the host is not CONNECTED
     */
    static void requireUsable(String host, List<Host> hosts, String what) {
        Host h = require(host, hosts);
        if (h.state() != HostState.CONNECTED) {
            throw new CommandException(CommandException.CONFLICT, "cannot " + what + " on " + host + ": the host is "
                    + (h.state() == HostState.FAILED ? "not heard from (FAILED)" : "in maintenance mode"));
        }
    }

    /**
     * Adds a host: it is FAILED, and does not count for admission, until its first heartbeat; a removed host's
     * heartbeats count again.
     */
    void add(String host, ResourceVector capacity, long now) {
        removed.remove(host);
        heard.remove(host);
        capacities.put(host, capacity);
        addedAt.put(host, now);
        added.add(host);
    }

    /** Removes a host: it leaves maintenance mode and its heartbeats no longer count. */
    void remove(String host) {
        capacities.remove(host);
        lastHeard.remove(host);
        heard.remove(host);
        loads.remove(host);
        lastHeartbeat.remove(host);
        heartbeatAt.remove(host);
        connectedSince.remove(host);
        maintenanceSince.remove(host);
        maintenanceLeft.remove(host);
        addedAt.remove(host);
        added.remove(host);
        maintenanceChanged |= maintenance.remove(host);
        removed.add(host);
    }

    /** @return the hosts operators added, with their capacities now */
    SortedMap<String, ResourceVector> added() {
        SortedMap<String, ResourceVector> out = new TreeMap<>();
        for (String h : added) {
            out.put(h, capacities.get(h));
        }
        return out;
    }

    /** @return the hosts operators removed (read-only) */
    SortedSet<String> removed() {
        return Collections.unmodifiableSortedSet(removed);
    }

    /** @return the hosts in maintenance mode with when each entered it */
    SortedMap<String, Long> maintenanceSince() {
        SortedMap<String, Long> out = new TreeMap<>();
        for (String h : maintenance) {
            out.put(h, maintenanceSince.getOrDefault(h, 0L));
        }
        return out;
    }

    /**
     * Takes what a restarted service kept: the hosts operators added and removed (its capacities already hold the
     * result, {@link ManagementState#hosts}) and the hosts in maintenance mode since when they entered it.
     */
    void restore(ManagementState state) {
        removed.addAll(state.hostsRemoved());
        for (String h : state.hostsAdded().keySet()) {
            if (capacities.containsKey(h)) {
                added.add(h);
            }
        }
        state.maintenance().forEach((h, since) -> {
            if (capacities.containsKey(h)) {
                maintenance.add(h);
                maintenanceSince.put(h, since);
            }
        });
    }

    /** Puts a host in or out of maintenance mode; the next table goes out at once either way. */
    void maintenance(String host, boolean on, long now) {
        maintenanceChanged = true;
        if (on) {
            if (maintenance.add(host)) {
                maintenanceSince.put(host, now);
            }
        } else if (maintenance.remove(host)) {
            maintenanceSince.remove(host);
            maintenanceLeft.put(host, now);
        }
    }

    /** @return whether maintenance mode changed since the last call */
    boolean takeMaintenanceChanged() {
        boolean c = maintenanceChanged;
        maintenanceChanged = false;
        return c;
    }
}
