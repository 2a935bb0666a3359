/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import org.vmha.api.command.CommandException;
import org.vmha.api.event.data.ConfigurationChanged;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.RestartPriority;

/**
 * The {@link HaSettings} is responsible for the operators' {@code set} request: a VM's restart priority,
 * its protection (HA off remembers the priority it had, HA on restores it), its pinned alternate host and
 * its own isolation response. A changed entry goes out one revision later, so every replica takes it over
 * the one it replaces; every request is announced as {@code org.vmha.configuration.changed} with what
 * changed.
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class HaSettings {

    private final ClusterMembers members;
    private final TableCoordinator table;
    private final ManagementEvents events;
    private final LongSupplier clock;
    private final Map<String, RestartPriority> priorityBeforeDisable = new TreeMap<>();

    HaSettings(ClusterMembers members, TableCoordinator table, ManagementEvents events, LongSupplier clock) {
        this.members = members;
        this.table = table;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param vm the VM's name or lun
     * @param priority the new restart priority, or null to keep it
     * @param protect true to protect the VM (restoring the priority it had), false to disable HA for it, null
     *        to keep
     * @param alternate the host to pin as its alternate, "" to unpin, null to keep
     * @param isolation the VM's isolation response ({@code leave-powered-on}, {@code power-off},
     *        {@code shutdown}), {@code cluster} to follow the cluster's, null to keep
     * @return the entry as published
     * @throws CommandException NOT_FOUND, BAD_REQUEST or CONFLICT
     */
    FailoverTableEntry set(String vm, RestartPriority priority, Boolean protect, String alternate,
            String isolation) {
        FailoverTableEntry e = table.find(vm);
        if (priority == null && protect == null && alternate == null && isolation == null) {
            throw new CommandException(CommandException.BAD_REQUEST, "nothing to change for VM " + e.vm()
                    + ": give a priority, ha on|off, an alternate host or an isolation response");
        }
        IsolationResponse response = isolation == null ? e.isolationResponse() : isolationResponse(isolation);
        if (Boolean.FALSE.equals(protect) && priority != null && priority != RestartPriority.DISABLED) {
            throw new CommandException(CommandException.BAD_REQUEST, "priority " + name(priority)
                    + " contradicts ha off for VM " + e.vm());
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        RestartPriority next = nextPriority(e, priority, protect);
        if (next != e.priority()) {
            changes.put("priority", name(next));
        }
        if (response != e.isolationResponse()) {
            changes.put("isolationResponse", response == null ? "cluster" : response.wireName());
        }
        String alt = alternate == null ? e.alternateHost() : pin(e, alternate, changes);
        FailoverTableEntry after = new FailoverTableEntry(e.vm(), e.lun(), e.currentHost(), alt, next,
                e.reservation(), e.state(), e.generation(), response, e.revision());
        if (!after.equals(e)) {
            // one revision later: every replica takes it over the entry it replaces
            after = new FailoverTableEntry(e.vm(), e.lun(), e.currentHost(), alt, next, e.reservation(), e.state(),
                    e.generation(), response, e.revision() + 1);
            table.publishRequest(after);
        }
        events.emit(e.vm(), new ConfigurationChanged(e.vm(), changes));
        return after;
    }

    /** @return the response named, null for {@code cluster} */
    private static IsolationResponse isolationResponse(String isolation) {
        if (isolation.trim().equalsIgnoreCase("cluster")) {
            return null;
        }
        return IsolationResponse.fromWireName(isolation).orElseThrow(
                () -> new CommandException(CommandException.BAD_REQUEST, "isolation response '" + isolation
                        + "' is not one of leave-powered-on, power-off, shutdown, cluster"));
    }

    private RestartPriority nextPriority(FailoverTableEntry e, RestartPriority priority, Boolean protect) {
        RestartPriority next = e.priority();
        if (Boolean.FALSE.equals(protect) || priority == RestartPriority.DISABLED) {
            if (e.priority() != RestartPriority.DISABLED) {
                priorityBeforeDisable.put(e.lun(), e.priority());
            }
            next = RestartPriority.DISABLED;
        } else if (priority != null) {
            next = priority;
        } else if (Boolean.TRUE.equals(protect) && e.priority() == RestartPriority.DISABLED) {
            next = priorityBeforeDisable.getOrDefault(e.lun(), RestartPriority.DEFAULT);
        }
        if (next != RestartPriority.DISABLED) {
            priorityBeforeDisable.remove(e.lun());
        }
        return next;
    }

    /** @return the entry's alternate after pinning {@code alternate} ("" unpins) */
    private String pin(FailoverTableEntry e, String alternate, Map<String, Object> changes) {
        if (alternate.isEmpty()) {
            if (table.unpin(e.lun())) {
                changes.put("alternate", null);
            }
            return e.alternateHost();
        }
        Host h = ClusterMembers.require(alternate, members.hosts(clock.getAsLong()));
        if (h.state() == HostState.MAINTENANCE) {
            throw new CommandException(CommandException.CONFLICT, "host " + alternate
                    + " is in maintenance mode and cannot be an alternate");
        }
        if (alternate.equals(e.currentHost())) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " runs on " + alternate
                    + "; its alternate must be another host");
        }
        table.pin(e.lun(), alternate);
        changes.put("alternate", alternate);
        return alternate;
    }

    static String name(RestartPriority p) {
        return p.name().toLowerCase(Locale.ROOT);
    }
}
