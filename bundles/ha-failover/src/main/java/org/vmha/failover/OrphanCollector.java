/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;
import org.vmha.api.transport.PeerStatus;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link OrphanCollector} is responsible for the scan of the table replica: it finds the protected VMs that need
 * a restart, the orphans (placed on a failed or unknown host, on an alive host whose datastore channel is silent,
 * released by an isolated host, waiting for capacity, or found held by a gone host in a {@link LeaseAudit}) and this
 * host's own VMs that the hypervisor does not run.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class OrphanCollector {

    /**
     * What a scan found.
     *
     * @param orphans VMs of other hosts to restart somewhere
     * @param mineDown VMs of this host the hypervisor does not run
     */
    record Found(List<FailoverTableEntry> orphans, List<FailoverTableEntry> mineDown) {
    }

    private final String host;
    private final PeerStates peers;
    private final FailoverTableReplica replica;
    private final PeerIsolationMarkers markers;
    private final LeaseAudit audit;
    private final Set<String> inFlight;
    private final VmStops stops;
    private final GuardedAdapters adapters;

    /**
     * @param host this host
     * @param peers the hosts' statuses
     * @param replica the table replica
     * @param markers the VMs isolated peers released
     * @param audit checks entries of partitioned hosts against their leases
     * @param inFlight the volumes whose restart is in flight (read only)
     * @param stops VMs being stopped
     * @param adapters the hypervisor, behind the guard
     */
    OrphanCollector(String host, PeerStates peers, FailoverTableReplica replica, PeerIsolationMarkers markers,
            LeaseAudit audit, Set<String> inFlight, VmStops stops, GuardedAdapters adapters) {
        this.host = host;
        this.peers = peers;
        this.replica = replica;
        this.markers = markers;
        this.audit = audit;
        this.inFlight = inFlight;
        this.stops = stops;
        this.adapters = adapters;
    }

    /**
     * @param now current time
     * @param auditing true if the entries of partitioned hosts are checked against their leases this time
     * @return what needs a restart
     */
    Found collect(long now, boolean auditing) {
        Map<String, Boolean> orphaning = new HashMap<>();
        Set<String> runningHere = null;
        List<FailoverTableEntry> orphans = new ArrayList<>();
        List<FailoverTableEntry> mineDown = new ArrayList<>();
        boolean storageReachable = peers.storageReachable();
        for (FailoverTableEntry e : replica.entries()) {
            if (!candidate(e)) {
                continue;
            }
            String h = e.currentHost();
            if (h.equals(host)) {
                if (runningHere == null) {
                    runningHere = adapters.runningLuns();
                }
                if (!runningHere.contains(e.lun())) {
                    mineDown.add(e);
                }
                continue;
            }
            Boolean hostGone = orphaning.get(h);
            if (hostGone == null) {
                PeerStatus ps = peers.lastStatus(h);
                hostGone = ps == PeerStatus.FAILED || ps == null
                        || (ps == PeerStatus.ALIVE && storageReachable && peers.datastoreSilent(h, now));
                orphaning.put(h, hostGone);
            }
            Set<String> rel = markers.releasedBy(h);
            if (hostGone || (rel != null && rel.contains(e.lun())) || e.state() instanceof VmState.RestartPending) {
                // the last case: the peer lost its datastore; its leases expire and it fences itself,
                // the lease acquisition below waits for that
                orphans.add(e);
            } else if (auditing && peers.lastStatus(h) == PeerStatus.PARTITIONED
                    && audit.heldElsewhereByTheGone(e, now)) {
                orphans.add(e);
            }
        }
        return new Found(orphans, mineDown);
    }

    /** @return true for a protected, placed VM that should run, not in flight nor being stopped */
    private boolean candidate(FailoverTableEntry e) {
        return !(!e.isProtected() || e.currentHost() == null || (!inFlight.isEmpty() && inFlight.contains(e.lun()))
                || (!stops.isEmpty() && stops.contains(e.lun()))
                || !(e.state() instanceof VmState.Running || e.state() instanceof VmState.Starting
                        || e.state() instanceof VmState.FailingOver || e.state() instanceof VmState.Migrating
                        || e.state() instanceof VmState.RestartPending));
    }
}
