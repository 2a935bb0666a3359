/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.transport;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.vmha.api.model.FailoverTableEntry;

/**
 * The {@link TableUpdate} is responsible for one message on the table channel ({@code ha.table}):
 * either a full table computed by the management service ({@code full = true}, applied only when its
 * version is newer than the replica's) or a delta from an agent (entries it changed, each applied only
 * when its lease generation is not older than the replica's entry).
 *
 * @param source the sending host or {@code management}
 * @param version the table version the sender holds
 * @param full true for a complete table from the management service
 * @param entries the entries
 * @param maintenance with a full table: the hosts in maintenance mode, which no agent picks as a restart target
 * @param hosts with a full table: the hosts of the cluster as the management service knows them (inventory and
 *        {@code host-add}); agents also accept heartbeats of these hosts ({@link org.vmha.core.security.InboundGate}).
 *        Empty: the sender says nothing about them
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record TableUpdate(String source, long version, boolean full, List<FailoverTableEntry> entries,
        SortedSet<String> maintenance, SortedSet<String> hosts) {

    public TableUpdate {
        entries = entries == null ? List.of() : List.copyOf(entries);
        maintenance = sorted(maintenance);
        hosts = sorted(hosts);
    }

    /**
     * A full table or delta that names no cluster hosts.
     *
     * @param source who sent it
     * @param version the sender's table version
     * @param full a full table, or a delta
     * @param entries the entries
     * @param maintenance the hosts in maintenance mode
     */
    public TableUpdate(String source, long version, boolean full, List<FailoverTableEntry> entries,
            SortedSet<String> maintenance) {
        this(source, version, full, entries, maintenance, null);
    }

    /**
     * An update that says nothing about maintenance mode (every delta, and full tables with no host in it).
     *
     * @param source who sent it
     * @param version the sender's table version
     * @param full a full table, or a delta
     * @param entries the entries
     */
    public TableUpdate(String source, long version, boolean full, List<FailoverTableEntry> entries) {
        this(source, version, full, entries, null, null);
    }

    private static SortedSet<String> sorted(Collection<String> names) {
        return names == null || names.isEmpty() ? Collections.emptySortedSet()
                : Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }
}
