/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

/**
 * The {@link FailoverTableEntry} is responsible for one VM's row in the replicated failover table:
 * where it runs, where it restarts if that host fails, and in which order.
 *
 * @param vm the VM's name
 * @param lun the VM's volume id, its identity; unique within a table
 * @param currentHost the host it runs on (or last ran on), {@code null} if never placed
 * @param alternateHost the precomputed restart target if {@code currentHost} fails, may be {@code null}
 * @param priority restart priority; {@link RestartPriority#DISABLED} means HA does not restart it
 * @param reservation guaranteed resources while powered on
 * @param state lifecycle state
 * @param generation the volume lease generation of the last change (fencing token); updates with a
 *        lower generation than the stored one are stale
 * @param isolationResponse what this VM's host does with it when the host isolates itself; {@code null}
 *        follows the cluster's (agent configuration) setting
 * @param revision the entry's own version within its generation: every writer (agent or management service)
 *        bumps it with each change ({@link #withPlacement}, {@link #withSettings}, {@link #withReservation}), so
 *        a hand-over always orders after the request it answers, whatever order the two arrive in; a new
 *        generation starts again at 0 (see {@link #newerThan})
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record FailoverTableEntry(String vm, String lun, String currentHost, String alternateHost,
        RestartPriority priority, ResourceVector reservation, VmState state, long generation,
        IsolationResponse isolationResponse, long revision) {

    /**
     * An entry at revision 0 of its generation.
     *
     * @param vm the VM's name
     * @param lun the VM's volume id
     * @param currentHost the host it runs on, may be {@code null}
     * @param alternateHost the precomputed restart target, may be {@code null}
     * @param priority restart priority
     * @param reservation guaranteed resources while powered on
     * @param state lifecycle state
     * @param generation the volume lease generation of the last change
     * @param isolationResponse the VM's own isolation response, {@code null} for the cluster's
     */
    public FailoverTableEntry(String vm, String lun, String currentHost, String alternateHost,
            RestartPriority priority, ResourceVector reservation, VmState state, long generation,
            IsolationResponse isolationResponse) {
        this(vm, lun, currentHost, alternateHost, priority, reservation, state, generation, isolationResponse, 0);
    }

    /**
     * An entry that follows the cluster's isolation response.
     *
     * @param vm the VM's name
     * @param lun the VM's volume id
     * @param currentHost the host it runs on, may be {@code null}
     * @param alternateHost the precomputed restart target, may be {@code null}
     * @param priority restart priority
     * @param reservation guaranteed resources while powered on
     * @param state lifecycle state
     * @param generation the volume lease generation of the last change
     */
    public FailoverTableEntry(String vm, String lun, String currentHost, String alternateHost,
            RestartPriority priority, ResourceVector reservation, VmState state, long generation) {
        this(vm, lun, currentHost, alternateHost, priority, reservation, state, generation, null, 0);
    }

    public FailoverTableEntry {
        if (lun == null || lun.isBlank()) {
            throw new IllegalArgumentException("failover table entry needs a lun");
        }
        vm = vm == null || vm.isBlank() ? lun : vm;
        priority = priority == null ? RestartPriority.DEFAULT : priority;
        reservation = reservation == null ? ResourceVector.ZERO : reservation;
        state = state == null ? VmState.POWERED_OFF : state;
        if (revision < 0) {
            throw new IllegalArgumentException("failover table entry " + lun + " needs a revision >= 0, was " + revision);
        }
    }

    /**
     * The order in which replicas keep entries of the same VM: the higher lease generation wins; within a
     * generation the higher revision; two different entries with the same generation and revision (written
     * concurrently by two writers) are ordered by their content, so every replica keeps the same one whatever
     * the arrival order.
     *
     * @param other another entry of the same VM, may be {@code null}
     * @return true if this entry replaces {@code other} in a replica
     */
    public boolean newerThan(FailoverTableEntry other) {
        if (other == null) {
            return true;
        }
        if (generation != other.generation) {
            return generation > other.generation;
        }
        if (revision != other.revision) {
            return revision > other.revision;
        }
        return !equals(other) && tieBreak(other) > 0;
    }

    /**
     * @param other another entry of the same VM
     * @return true if both entries are the same write: generation, revision, host and state (alternates aside),
     *         as a hand-over's source compares what it published with what the replica holds now
     * @since 0.1
     */
    public boolean samePlacement(FailoverTableEntry other) {
        return generation == other.generation && revision == other.revision
                && java.util.Objects.equals(currentHost, other.currentHost) && state.equals(other.state);
    }

    /** A total order on the content of two entries of the same generation and revision (field by field). */
    private int tieBreak(FailoverTableEntry o) {
        int c = state.kind().compareTo(o.state.kind());
        if (c == 0) {
            c = compare(currentHost, o.currentHost);
        }
        if (c == 0) {
            c = compare(state.toString(), o.state.toString());
        }
        if (c == 0) {
            c = priority.compareTo(o.priority);
        }
        if (c == 0) {
            c = compare(isolationResponse == null ? null : isolationResponse.name(),
                    o.isolationResponse == null ? null : o.isolationResponse.name());
        }
        if (c == 0) {
            c = compare(alternateHost, o.alternateHost);
        }
        if (c == 0) {
            c = compare(vm, o.vm);
        }
        if (c == 0 && !reservation.equals(o.reservation)) {
            c = reservation.toString().compareTo(o.reservation.toString());
        }
        return c;
    }

    private static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    /**
     * @return true when HA restarts this VM (priority not disabled)
     */
    public boolean isProtected() {
        return priority != RestartPriority.DISABLED;
    }

    /**
     * @param host new alternate host, may be {@code null}
     * @return a copy with that alternate, same revision (the alternate is the management service's alone and
     *         travels with its full tables)
     */
    public FailoverTableEntry withAlternateHost(String host) {
        return new FailoverTableEntry(vm, lun, currentHost, host, priority, reservation, state, generation,
                isolationResponse, revision);
    }

    /**
     * @param host new current host
     * @param newState new state
     * @return a copy on that host in that state, one revision later
     */
    public FailoverTableEntry withPlacement(String host, VmState newState) {
        return new FailoverTableEntry(vm, lun, host, alternateHost, priority, reservation, newState, generation,
                isolationResponse, revision + 1);
    }

    /**
     * @param newReservation new reservation
     * @return a copy with that reservation
     */
    public FailoverTableEntry withReservation(ResourceVector newReservation) {
        return new FailoverTableEntry(vm, lun, currentHost, alternateHost, priority, newReservation, state, generation,
                isolationResponse, revision + 1);
    }

    /**
     * @param newPriority new restart priority
     * @param response the VM's own isolation response, {@code null} for the cluster's
     * @return a copy with these HA settings
     */
    public FailoverTableEntry withSettings(RestartPriority newPriority, IsolationResponse response) {
        return new FailoverTableEntry(vm, lun, currentHost, alternateHost, newPriority, reservation, state, generation,
                response, revision + 1);
    }
}
