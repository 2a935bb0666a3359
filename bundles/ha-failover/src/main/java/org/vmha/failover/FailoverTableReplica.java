/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageException;

/**
 * The {@link FailoverTableReplica} is responsible for one agent's copy of the failover table:
 * <ul>
 * <li>a full table (from the management service) is applied only if its version is newer; per entry,
 * the agents' placement (current host, state, generation, revision) is kept when the local entry is at least as
 * new ({@link FailoverTableEntry#newerThan}: generation, then revision), and the management's alternate host is
 * taken; a newer entry of the management's replaces the local one, which repairs lost deltas;</li>
 * <li>a delta (from an agent or the management service) is applied entry by entry when it is newer than the
 * local one, so updates converge whatever order they arrive in: every writer bumps the entry's revision, so a
 * hand-over always wins over the request it answers; an entry that differs from the local one in its alternate
 * host only is not applied (the alternate travels with the full tables);</li>
 * <li>it is persisted through a {@link ReplicaStore} when
 * {@link #flush()} is called after changes (a file store writes it as JSON with
 * {@link org.vmha.core.plan.FailoverTableCodec}), and {@link #recover} rebuilds it from the persisted copy
 * plus the leases on the datastore.</li>
 * </ul>
 * <b>Threading:</b> not thread-safe; owned by one agent.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class FailoverTableReplica {

    private final ReplicaStore store;
    private static final Comparator<FailoverTableEntry> BY_LUN = (a, b) -> a.lun().compareTo(b.lun());

    private Map<String, FailoverTableEntry> byLun = new HashMap<>();
    private List<FailoverTableEntry> sorted;
    private long version;
    private boolean dirty;
    private long changes;
    private final Map<String, NoOpDelta> noOpDeltas = new HashMap<>();

    /** A delta list that changed nothing, and the change count it was applied at. */
    private record NoOpDelta(List<FailoverTableEntry> entries, long changes) {
    }

    /**
     * @param store where the replica is persisted
     */
    public FailoverTableReplica(ReplicaStore store) {
        this.store = store;
    }

    /**
     * Rebuilds a replica from its persisted copy and the leases: an entry whose volume is leased with
     * a newer generation by another host is moved there (that host runs it now).
     *
     * @param store the persisted copy
     * @param storage the datastore, may be null to skip the lease check
     * @param nowMillis current time (to judge lease liveness)
     * @return the replica (empty if nothing was persisted)
     * @throws IllegalArgumentException if the persisted document is corrupt, naming the field
     */
    public static FailoverTableReplica recover(ReplicaStore store, StorageAdapter storage, long nowMillis) {
        FailoverTableReplica r = new FailoverTableReplica(store);
        Optional<FailoverTable> doc = store.load();
        if (doc.isPresent()) {
            FailoverTable t = doc.get();
            r.version = t.version();
            for (FailoverTableEntry e : t.entries()) {
                r.byLun.put(e.lun(), e);
            }
        }
        if (storage != null) {
            for (FailoverTableEntry e : new ArrayList<>(r.byLun.values())) {
                try {
                    Optional<LeaseState> l = storage.inspectLease(e.lun());
                    if (l.isPresent()) {
                        r.learnLease(e.lun(), l.get(), nowMillis);
                    }
                } catch (StorageException ex) {
                    // datastore not reachable (or volume gone): keep the persisted view
                }
            }
        }
        return r;
    }

    /**
     * Updates an entry from what its lease says: a live lease of a newer generation held by another
     * host, or of the same generation while the entry does not say RUNNING there, means that host runs
     * the VM.
     *
     * @param lun the VM's volume
     * @param lease the lease as inspected
     * @param nowMillis current time
     * @return true if the entry changed
     */
    public boolean learnLease(String lun, LeaseState lease, long nowMillis) {
        FailoverTableEntry e = byLun.get(lun);
        if (e == null || !lease.isLive(nowMillis) || lease.generation() < e.generation()) {
            return false;
        }
        if (lease.generation() == e.generation() && lease.owner().equals(e.currentHost())
                && e.state() instanceof VmState.Running) {
            return false;
        }
        // a newer generation, or the same one whose holder is alive and renewing: it runs there (this also
        // heals a stale RESTART_PENDING published by a host with a poor view); within the same generation it is
        // one more revision, so that it also wins where it is re-published
        put(new FailoverTableEntry(e.vm(), e.lun(), lease.owner(), e.alternateHost(), e.priority(), e.reservation(),
                VmState.RUNNING, lease.generation(), e.isolationResponse(),
                lease.generation() == e.generation() ? e.revision() + 1 : 0));
        return true;
    }

    /** @return the table version */
    public long version() {
        return version;
    }

    /** @return how many entry changes were applied so far (a cheap change detector) */
    public long changes() {
        return changes;
    }

    /** @return the table, entries in lun order */
    public FailoverTable table() {
        return new FailoverTable(version, entries());
    }

    /** @return the entries in lun order (immutable) */
    public List<FailoverTableEntry> entries() {
        if (sorted == null) {
            List<FailoverTableEntry> l = new ArrayList<>(byLun.values());
            l.sort(BY_LUN);
            sorted = Collections.unmodifiableList(l);
        }
        return sorted;
    }

    /**
     * @param lun the volume
     * @return the entry
     */
    public Optional<FailoverTableEntry> entry(String lun) {
        return Optional.ofNullable(byLun.get(lun));
    }

    /**
     * Applies a full table.
     *
     * @param newVersion its version
     * @param entries its entries
     * @return true if applied (the version was newer)
     */
    public boolean applyFull(long newVersion, List<FailoverTableEntry> entries) {
        if (newVersion <= version) {
            return false;
        }
        Map<String, FailoverTableEntry> next = new HashMap<>(2 * (entries.size() + byLun.size()));
        List<FailoverTableEntry> list = new ArrayList<>(entries.size());
        boolean duplicates = false;
        for (FailoverTableEntry in : entries) {
            FailoverTableEntry mine = byLun.get(in.lun());
            FailoverTableEntry e = in;
            if (mine != null && !in.newerThan(mine)) {
                // our placement is at least as new (FailoverTableEntry.newerThan) and stays, the management's
                // alternate, priority, reservation and isolation response come in; when those are the same, our
                // entry object stays too (references let deltas be skipped cheaply). A newer entry of the
                // management's (it applied an update this replica missed) replaces ours: full tables repair lost
                // deltas
                e = Objects.equals(mine.alternateHost(), in.alternateHost()) && mine.priority() == in.priority()
                        && mine.reservation().equals(in.reservation())
                        && mine.isolationResponse() == in.isolationResponse() ? mine
                                : new FailoverTableEntry(mine.vm(), mine.lun(), mine.currentHost(), in.alternateHost(),
                                        in.priority(), in.reservation(), mine.state(), mine.generation(),
                                        in.isolationResponse(), mine.revision());
            }
            duplicates |= next.put(in.lun(), e) != null;
            list.add(e);
        }
        for (Map.Entry<String, FailoverTableEntry> e : byLun.entrySet()) {
            // a placement newer than the management's view is kept even if the table lacks the VM
            if (!next.containsKey(e.getKey()) && e.getValue().generation() > 0) {
                next.put(e.getKey(), e.getValue());
                list.add(e.getValue());
            }
        }
        byLun = next;
        if (duplicates) {
            sorted = null;
        } else {
            // the table comes in lun order, so this sort is one pass over it (plus the kept entries)
            list.sort(BY_LUN);
            sorted = Collections.unmodifiableList(list);
        }
        version = newVersion;
        dirty = true;
        changes++;
        return true;
    }

    /**
     * Applies entries from an agent.
     *
     * @param entries the entries
     * @return those that were applied (newer than the local ones, {@link FailoverTableEntry#newerThan}), in the given
     *         order
     */
    public List<FailoverTableEntry> applyDelta(List<FailoverTableEntry> entries) {
        List<FailoverTableEntry> applied = new ArrayList<>();
        for (FailoverTableEntry in : entries) {
            FailoverTableEntry mine = byLun.get(in.lun());
            if (in == mine) {
                continue;
            }
            if (mine != null && !in.equals(mine) && in.withAlternateHost(mine.alternateHost()).equals(mine)) {
                // the same write but for the alternate: the alternate is the management service's alone and comes
                // with its full tables, so a delta re-sent with the alternate its writer had before (a restart's
                // or a hand-over's entry) must not undo the newer one here, as the tie-break of concurrent writes
                // would whenever its name sorts later (ha:vms then showed a VM's own host as its alternate)
                continue;
            }
            if (in.newerThan(mine)) {
                // a newer generation, or a later revision of the same one (a hand-over orders after the request
                // it answers), or, for two concurrent writes, the one every replica picks
                put(mine == null || in.alternateHost() != null ? in : in.withAlternateHost(mine.alternateHost()));
                applied.add(in);
            } else if (in.equals(mine)) {
                // the same value: keep the sender's object (no change, nothing to persist) so that its
                // next anti-entropy round is recognised by reference instead of a field-by-field equals
                byLun.put(in.lun(), in);
            }
        }
        return applied;
    }

    /**
     * Applies entries from an agent, like {@link #applyDelta(List)}, but remembers per source the last
     * list that changed nothing: when the same (immutable) list object arrives again and the replica has
     * not changed since, applying it would again change nothing, so it is skipped. Agents re-publish the
     * same list object in their anti-entropy rounds while their VMs do not change.
     *
     * @param source the sending agent
     * @param entries the entries, an immutable list
     * @return those that were applied, in the given order
     */
    public List<FailoverTableEntry> applyDelta(String source, List<FailoverTableEntry> entries) {
        NoOpDelta last = noOpDeltas.get(source);
        if (last != null && last.entries() == entries && last.changes() == changes) {
            return List.of();
        }
        List<FailoverTableEntry> applied = applyDelta(entries);
        if (applied.isEmpty()) {
            noOpDeltas.put(source, new NoOpDelta(entries, changes));
        } else {
            noOpDeltas.remove(source);
        }
        return applied;
    }

    /** @param entry an entry changed by this agent itself */
    public void put(FailoverTableEntry entry) {
        byLun.put(entry.lun(), entry);
        sorted = null;
        dirty = true;
        changes++;
    }

    /**
     * Persists the replica if it changed since the last flush.
     *
     * @return true if it was written
     */
    public boolean flush() {
        if (!dirty) {
            return false;
        }
        store.save(table());
        dirty = false;
        return true;
    }
}
