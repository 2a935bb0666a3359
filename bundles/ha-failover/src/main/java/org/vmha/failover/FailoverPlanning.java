/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.event.data.VmRestartPending;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.api.transport.PeerStatus;
import org.vmha.core.event.HostEvents;
import org.vmha.core.plan.FailoverPlan;
import org.vmha.core.plan.FailoverPlanner;

/**
 * The {@link FailoverPlanning} is responsible for the deterministic planner call over the orphans: every survivor
 * runs the same {@link FailoverPlanner} over the same table version, failed set and maintenance hosts, so each
 * arrives at the same assignment, and queues the placements that fall to this host. VMs that fit nowhere wait for
 * capacity; the reporter (the lowest-named alive host) marks them {@code RESTART_PENDING(reason)}. While nothing the
 * plan depends on changed, the last plan's placements are queued again instead.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class FailoverPlanning {

    /** Name of the virtual host that holds the VMs to place during planning. */
    static final String ORPHANS = "~orphans";

    private final String host;
    private final FailoverPlanner planner;
    private final PeerStates peers;
    private final Supplier<Set<String>> maintenance;
    private final FailoverTableReplica replica;
    private final ReplicaPublisher publisher;
    private final RestartPipeline pipeline;
    private final RetryQueue retries;
    private final ScanEpochs epochs;
    private final HostEvents events;
    private String planKey = "";
    private List<FailoverPlan.Placement> myPlacements = List.of();

    /**
     * @param agent this host, the peers' states (the hosts, their capacities and statuses) and the epochs the plan
     *        depends on
     * @param planner the deterministic failover planner
     * @param maintenance the hosts in maintenance mode (no restart targets)
     * @param replica the table replica
     * @param publisher publishes the pending entries
     * @param pipeline queues this host's placements
     * @param retries the retry queue
     * @param events where {@code VmRestartPending} goes
     */
    FailoverPlanning(AgentContext agent, FailoverPlanner planner, Supplier<Set<String>> maintenance,
            FailoverTableReplica replica, ReplicaPublisher publisher, RestartPipeline pipeline, RetryQueue retries,
            HostEvents events) {
        this.host = agent.host();
        this.planner = planner;
        this.peers = agent.peers();
        this.maintenance = maintenance;
        this.replica = replica;
        this.publisher = publisher;
        this.pipeline = pipeline;
        this.retries = retries;
        this.epochs = agent.epochs();
        this.events = events;
    }

    /**
     * Plans the orphans (or queues the last plan's placements again if nothing it depends on changed).
     *
     * @param now current time
     * @param orphans the VMs to place
     */
    void place(long now, List<FailoverTableEntry> orphans) {
        String key = replica.changes() + ":" + epochs.capacity() + ":" + epochs.status() + ":" + orphans.size();
        if (key.equals(planKey)) {
            for (FailoverPlan.Placement p : myPlacements) {
                if (!pipeline.inFlight(p.lun()) && retries.eligible(p.lun(), now, epochs.capacity())
                        && replica.entry(p.lun()).map(e -> !host.equals(e.currentHost())).orElse(false)) {
                    pipeline.enqueue(p);
                }
            }
        } else {
            planKey = key;
            plan(now, orphans);
        }
    }

    private void plan(long now, List<FailoverTableEntry> orphans) {
        FailoverPlan plan = planner.plan(snapshot(now, orphans), List.of(ORPHANS));
        boolean reporter = peers.noAlivePeerBefore(host);
        List<FailoverPlan.Placement> mine = new ArrayList<>();
        for (FailoverPlan.Placement p : plan.placements()) {
            if (!p.host().equals(host)) {
                continue;
            }
            mine.add(p);
            if (!pipeline.inFlight(p.lun()) && retries.eligible(p.lun(), now, epochs.capacity())) {
                pipeline.enqueue(p);
            }
        }
        myPlacements = mine;
        for (FailoverPlan.Unplaced u : plan.unplaced()) {
            retries.waitForCapacity(u.lun(), u.reason(), epochs.capacity());
            FailoverTableEntry e = replica.entry(u.lun()).orElse(null);
            if (reporter && peers.storageReachable() && e != null && !(e.state() instanceof VmState.RestartPending)) {
                publisher.put(e.withPlacement(e.currentHost(), new VmState.RestartPending(u.reason())));
                events.emit(u.vm(), new VmRestartPending(u.vm(), u.reason()));
            }
        }
    }

    /** The cluster as this host sees it: the orphans on a virtual host, the VMs in flight starting here. */
    private ClusterSnapshot snapshot(long now, List<FailoverTableEntry> orphans) {
        Set<String> orphanLuns = new HashSet<>();
        for (FailoverTableEntry e : orphans) {
            orphanLuns.add(e.lun());
        }
        Set<String> maintenanceHosts = maintenance.get();
        List<Host> hosts = new ArrayList<>();
        for (Map.Entry<String, ResourceVector> m : peers.members().entrySet()) {
            boolean alive = m.getKey().equals(host) ? peers.storageReachable()
                    : peers.lastStatus(m.getKey()) == PeerStatus.ALIVE && !peers.datastoreSilent(m.getKey(), now);
            HostState state = !alive ? HostState.FAILED
                    : maintenanceHosts.contains(m.getKey()) ? HostState.MAINTENANCE : HostState.CONNECTED;
            hosts.add(new Host(m.getKey(), m.getValue(), state, false));
        }
        hosts.add(new Host(ORPHANS, ResourceVector.ZERO, HostState.CONNECTED, false));
        List<FailoverTableEntry> entries = new ArrayList<>(replica.entries().size());
        for (FailoverTableEntry e : replica.entries()) {
            if (orphanLuns.contains(e.lun())) {
                entries.add(new FailoverTableEntry(e.vm(), e.lun(), ORPHANS, e.alternateHost(), e.priority(),
                        e.reservation(), VmState.RUNNING, e.generation()));
            } else if (pipeline.inFlight(e.lun())) {
                entries.add(e.withPlacement(host, VmState.STARTING));
            } else {
                entries.add(e);
            }
        }
        return new ClusterSnapshot(hosts, new FailoverTable(replica.version(), entries));
    }
}
