/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.event.data.TableUpdated;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.failover.FailoverTableReplica;
import org.vmha.failover.ReplicaStore;
import org.vmha.core.command.NameSuggestions;

/**
 * The {@link TableCoordinator} is responsible for the management service's copy of the failover table and
 * for what it publishes of it:
 * <ul>
 * <li>it follows the agents' full tables and deltas, and remembers the highest version anyone sent;</li>
 * <li>at every computation it recomputes the alternates with the {@link AlternateHostPlanner} over the hosts
 * and the operator's pins (only when an input changed: the planner is a deterministic function of them),
 * and publishes a full table above every version heard when the alternates or the maintenance hosts changed,
 * when the agents are ahead, and every {@code republishEvery} computations;</li>
 * <li>it publishes the operators' requests as deltas and again, while unanswered, at each computation
 * ({@link PendingRequests}).</li>
 * </ul>
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class TableCoordinator {

    private final String source;
    private final ClusterTransport transport;
    private final AlternateHostPlanner planner;
    private final int republishEvery;
    private final ClusterMembers members;
    private final ManagementEvents events;
    private final FailoverTableReplica replica = new FailoverTableReplica(ReplicaStore.inMemory());
    private final PendingRequests pending = new PendingRequests();
    private final SortedMap<String, String> pins = new TreeMap<>();
    private long pinsVersion;
    private long computations;
    private long published;
    private Map<String, String> lastAlternates = Map.of();
    private List<Host> lastHosts;
    private long lastChanges = -1;
    private long lastPinsVersion = -1;
    private FailoverTable lastComputed;
    /** Whether the replica holds other alternates than the last computed ones (a full table corrects them). */
    private boolean replicaDeviates;
    private Map<String, String> lastComputedAlternates;
    /** The highest table version heard from anyone: a restarted service issues its next table above it. */
    private long heardVersion;
    /** Runs after a full table's version is taken and before it goes out (the service keeps its state then). */
    private Runnable issuing = () -> { };

    /**
     * @param source the source name of its table updates
     * @param transport where tables go
     * @param planner computes alternates
     * @param republishEvery publish even an unchanged table every this many computations
     * @param initial the table to start from (version 1 at least)
     * @param members the hosts
     * @param events where {@code org.vmha.table.updated} goes
     */
    TableCoordinator(String source, ClusterTransport transport, AlternateHostPlanner planner, int republishEvery,
            FailoverTable initial, ClusterMembers members, ManagementEvents events) {
        this.source = source;
        this.transport = transport;
        this.planner = planner;
        this.republishEvery = republishEvery;
        this.members = members;
        this.events = events;
        replica.applyFull(Math.max(1, initial.version()), initial.entries());
    }

    /** One computation at {@code now}: alternates, unanswered requests, and a full table when due. */
    void compute(long now) {
        List<Host> hosts = members.hosts(now);
        if (!hosts.equals(lastHosts) || replica.changes() != lastChanges || pinsVersion != lastPinsVersion) {
            lastHosts = hosts;
            lastChanges = replica.changes();
            lastPinsVersion = pinsVersion;
            lastComputed = planner.compute(new ClusterSnapshot(hosts, replica.table()), pins);
            Map<String, String> alternates = new TreeMap<>();
            for (FailoverTableEntry e : lastComputed.entries()) {
                if (e.alternateHost() != null) {
                    alternates.put(e.lun(), e.alternateHost());
                }
            }
            lastComputedAlternates = alternates;
            // an agent's newer placement can bring back an alternate this service already replaced (a restart
            // writes the alternate its VM had when the restart began): the replicas then hold it until a full
            // table, so one goes out now rather than at the next periodic republication
            replicaDeviates = false;
            for (FailoverTableEntry e : replica.entries()) {
                replicaDeviates |= !java.util.Objects.equals(e.alternateHost(), alternates.get(e.lun()));
            }
        }
        computations++;
        republishPending();
        boolean changed = !lastComputedAlternates.equals(lastAlternates);
        // the agents hold a newer table than ours (we restarted from an older copy, or from the inventory): our
        // tables would be ignored until our version passes theirs, so the next one goes out above it at once
        boolean behind = heardVersion > replica.version();
        boolean maintenanceChanged = members.takeMaintenanceChanged();
        if (changed || replicaDeviates || maintenanceChanged || behind || computations % republishEvery == 0) {
            publishFull(changed);
        }
    }

    private void publishFull(boolean changed) {
        lastAlternates = lastComputedAlternates;
        replicaDeviates = false;
        long version = Math.max(replica.version(), heardVersion) + 1;
        replica.applyFull(version, lastComputed.entries());
        issuing.run();
        transport.publishTable(new TableUpdate(source, version, true, replica.table().entries(),
                members.maintenance(), members.names()));
        published++;
        if (changed) {
            events.emit(Long.toString(version), new TableUpdated(version, lastComputed.entries().size(),
                    lastComputedAlternates.size()));
        }
    }

    private void republishPending() {
        List<FailoverTableEntry> again = pending.due(replica::entry);
        if (!again.isEmpty()) {
            transport.publishTable(new TableUpdate(source, replica.version(), false, again));
        }
    }

    /** Takes an agent's table update. */
    void onTable(TableUpdate update) {
        heardVersion = Math.max(heardVersion, update.version());
        if (update.full()) {
            replica.applyFull(update.version(), update.entries());
        } else {
            replica.applyDelta(update.source(), update.entries());
        }
    }

    /**
     * Publishes an operator's request as a delta and keeps it due until answered.
     *
     * @param e the entry as requested
     * @return {@code e}
     */
    FailoverTableEntry publishRequest(FailoverTableEntry e) {
        replica.put(e);
        transport.publishTable(new TableUpdate(source, replica.version(), false, List.of(e)));
        pending.add(e);
        return e;
    }

    /** @return the table now */
    FailoverTable table() {
        return replica.table();
    }

    /** @return the entries now */
    List<FailoverTableEntry> entries() {
        return replica.entries();
    }

    /**
     * @param vm a VM name or lun
     * @return its entry
     * @throws CommandException BAD_REQUEST without a name, NOT_FOUND for an unknown one (with the closest name)
     */
    FailoverTableEntry find(String vm) {
        if (vm == null || vm.isBlank()) {
            throw new CommandException(CommandException.BAD_REQUEST, "a VM name is required");
        }
        for (FailoverTableEntry e : replica.entries()) {
            if (e.vm().equals(vm) || e.lun().equals(vm)) {
                return e;
            }
        }
        throw new CommandException(CommandException.NOT_FOUND, "unknown VM '" + vm + "'"
                + NameSuggestions.didYouMean(vm, vmNames()));
    }

    /**
     * @param vm a VM name or lun
     * @return whether the table has it
     */
    boolean has(String vm) {
        for (FailoverTableEntry e : replica.entries()) {
            if (e.vm().equals(vm) || e.lun().equals(vm)) {
                return true;
            }
        }
        return false;
    }

    /** @return the VMs' names, in table order */
    List<String> vmNames() {
        List<String> out = new java.util.ArrayList<>();
        for (FailoverTableEntry e : replica.entries()) {
            out.add(e.vm());
        }
        return out;
    }

    /** @return the operator-pinned alternate hosts, by lun (read-only) */
    SortedMap<String, String> pins() {
        return Collections.unmodifiableSortedMap(pins);
    }

    /** Pins {@code host} as the alternate of {@code lun}. */
    void pin(String lun, String host) {
        if (!host.equals(pins.put(lun, host))) {
            pinsVersion++;
        }
    }

    /** @return whether {@code lun} had a pinned alternate, now removed */
    boolean unpin(String lun) {
        if (pins.remove(lun) != null) {
            pinsVersion++;
            return true;
        }
        return false;
    }

    /** Unpins every alternate on {@code host} (it left the cluster). */
    void unpinHost(String host) {
        if (pins.values().removeIf(host::equals)) {
            pinsVersion++;
        }
    }

    /**
     * @param hook runs each time a full table took its new version, before it is published: a service that keeps its
     *        state saves the version there, so that no restart issues it again
     */
    void onIssuing(Runnable hook) {
        issuing = hook;
    }

    /** @return the highest table version issued or heard */
    long version() {
        return Math.max(replica.version(), heardVersion);
    }

    /** @return full tables published */
    long published() {
        return published;
    }

    /** @return requests published and not answered yet */
    int pendingRequests() {
        return pending.size();
    }
}
