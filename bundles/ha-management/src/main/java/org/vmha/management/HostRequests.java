/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import org.vmha.api.command.reply.MaintenanceResult;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.event.data.HostAdded;
import org.vmha.api.event.data.HostMaintenance;
import org.vmha.api.event.data.HostRemoved;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.api.storage.StorageNames;
import org.vmha.core.plan.ClusterIndex;

/**
 * The {@link HostRequests} is responsible for the operators' requests about hosts: adding one (it counts
 * as failed, and not for admission, until its agent's heartbeats arrive), removing one that runs no VM or that failed (its
 * heartbeats no longer count, its pins go), and maintenance mode: no power-ons, migrations or alternates,
 * and its running VMs, highest priority first, migrated to the connected host with most free memory that
 * fits them and that admission control accepts; VMs that fit nowhere stay, with the reason.
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class HostRequests {

    private final ClusterMembers members;
    private final TableCoordinator table;
    private final PlacementChecks checks;
    private final ManagementEvents events;
    private final LongSupplier clock;

    HostRequests(ClusterMembers members, TableCoordinator table, PlacementChecks checks, ManagementEvents events,
            LongSupplier clock) {
        this.members = members;
        this.table = table;
        this.checks = checks;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param host the host name
     * @param capacity what it offers
     * @return its view
     * @throws CommandException BAD_REQUEST or CONFLICT
     */
    HostView add(String host, ResourceVector capacity) {
        if (host == null || !StorageNames.isValid(host)) {
            throw new CommandException(CommandException.BAD_REQUEST, "host name '" + host + "' must match "
                    + StorageNames.NAME_REGEX);
        }
        if (capacity == null || capacity.get(ResourceVector.CPU_MHZ) <= 0
                || capacity.get(ResourceVector.MEMORY_MB) <= 0) {
            throw new CommandException(CommandException.BAD_REQUEST, "host " + host + " needs a capacity with "
                    + "cpuMhz and memoryMb above 0, got " + capacity);
        }
        if (members.contains(host)) {
            throw new CommandException(CommandException.CONFLICT, "host " + host + " is already in the cluster");
        }
        members.add(host, capacity, clock.getAsLong());
        events.emit(host, new HostAdded(host, capacity.amounts()));
        return members.view(host, clock.getAsLong(), table.entries());
    }

    /**
     * @param host the host
     * @return its last view
     * @throws CommandException NOT_FOUND or CONFLICT
     */
    HostView remove(String host) {
        long now = clock.getAsLong();
        Host h = ClusterMembers.require(host, members.hosts(now));
        HostView v = members.view(host, now, table.entries());
        if (h.state() != HostState.FAILED && v.vms() > 0) {
            List<String> names = new ArrayList<>();
            for (FailoverTableEntry e : table.entries()) {
                if (host.equals(e.currentHost()) && e.state().consumesCapacity()) {
                    names.add(e.vm());
                }
            }
            throw new CommandException(CommandException.CONFLICT, "host " + host + " still runs " + names.size()
                    + " VM(s) (" + String.join(", ", names.subList(0, Math.min(5, names.size())))
                    + (names.size() > 5 ? ", …" : "") + "); put it in maintenance mode first");
        }
        members.remove(host);
        table.unpinHost(host);
        events.emit(host, new HostRemoved(host));
        return v;
    }

    /**
     * @param host the host
     * @param on true to enter, false to leave
     * @return what moved and what stayed
     * @throws CommandException NOT_FOUND
     */
    MaintenanceResult maintenance(String host, boolean on) {
        ClusterMembers.require(host, members.hosts(clock.getAsLong()));
        SortedMap<String, String> migrating = new TreeMap<>();
        SortedMap<String, String> stayed = new TreeMap<>();
        members.maintenance(host, on, clock.getAsLong());
        if (on) {
            evacuate(host, migrating, stayed);
        }
        MaintenanceResult result = new MaintenanceResult(host, on, migrating, stayed);
        events.emit(host, new HostMaintenance(host, on, migrating, stayed));
        return result;
    }

    /** Migrates the host's running VMs away, highest priority first, each to the first host that takes it. */
    private void evacuate(String host, Map<String, String> migrating, Map<String, String> stayed) {
        List<FailoverTableEntry> running = new ArrayList<>();
        for (FailoverTableEntry e : table.entries()) {
            if (host.equals(e.currentHost()) && e.state() instanceof VmState.Running) {
                running.add(e);
            }
        }
        running.sort(Comparator.comparing(FailoverTableEntry::priority).reversed()
                .thenComparing(FailoverTableEntry::vm));
        for (FailoverTableEntry e : running) {
            ClusterSnapshot snap = new ClusterSnapshot(members.admissionHosts(clock.getAsLong()), table.table());
            ClusterIndex index = ClusterIndex.of(snap);
            String reason = "no connected host outside maintenance mode";
            String dest = null;
            for (String c : PlacementChecks.byFreeMemory(index)) {
                reason = checks.migrationRefusal(e, c, index, snap);
                if (reason == null) {
                    dest = c;
                    break;
                }
            }
            if (dest == null) {
                stayed.put(e.vm(), reason);
            } else {
                table.publishRequest(e.withPlacement(host, new VmState.Migrating(host, dest)));
                migrating.put(e.vm(), dest);
            }
        }
    }
}
