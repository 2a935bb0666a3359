/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.api.transport.PeerStatus;
import org.vmha.core.plan.FailoverPlan;

/**
 * The {@link OrphanClaims} is responsible for the orphans that fall between two plans. The deterministic plan gives
 * every orphan to one survivor, but only if all survivors see the same cluster; under message loss their views
 * differ for a while. An orphan still not restarted after twice the failure timeout (plus one heartbeat interval per
 * survivor ranked before this host, so that they do not all try at once) is claimed by this host if it has room for
 * it: the lease decides, the others learn the winner from it.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class OrphanClaims {

    private final String host;
    private final ResourceVector capacity;
    private final AgentConfig config;
    private final PeerStates peers;
    private final Supplier<Set<String>> maintenance;
    private final FailoverTableReplica replica;
    private final RestartPipeline pipeline;
    private final RetryQueue retries;
    private final ScanEpochs epochs;
    /** When each current orphan was first seen, by volume. */
    private final Map<String, Long> orphanSince = new HashMap<>();

    /**
     * @param agent this host, its settings (failure timeout, heartbeat interval), the peers' states (the survivors
     *        ranked before this host) and the capacity epoch retries wait past
     * @param capacity what this host offers
     * @param maintenance the hosts in maintenance mode (a host in maintenance claims nothing)
     * @param replica the table replica (this host's reservations)
     * @param pipeline queues the claims
     * @param retries the retry queue
     */
    OrphanClaims(AgentContext agent, ResourceVector capacity, Supplier<Set<String>> maintenance,
            FailoverTableReplica replica, RestartPipeline pipeline, RetryQueue retries) {
        this.host = agent.host();
        this.capacity = capacity;
        this.config = agent.config();
        this.peers = agent.peers();
        this.maintenance = maintenance;
        this.replica = replica;
        this.pipeline = pipeline;
        this.retries = retries;
        this.epochs = agent.epochs();
    }

    /**
     * @param now current time
     * @param orphans the current orphans
     * @return when an orphan not yet claimed becomes stuck, or {@link Long#MAX_VALUE}
     */
    long claim(long now, List<FailoverTableEntry> orphans) {
        if (orphans.isEmpty()) {
            orphanSince.clear();
            return Long.MAX_VALUE;
        }
        int rank = 0;
        for (String m : peers.members().headMap(host).keySet()) {
            if (peers.lastStatus(m) == PeerStatus.ALIVE && !peers.datastoreSilent(m, now)) {
                rank++;
            }
        }
        long patience = 2 * config.failureTimeoutMillis() + rank * config.heartbeatIntervalMillis();
        long wake = Long.MAX_VALUE;
        Set<String> current = new HashSet<>();
        List<FailoverTableEntry> stuck = new ArrayList<>();
        for (FailoverTableEntry e : orphans) {
            current.add(e.lun());
            long since = orphanSince.computeIfAbsent(e.lun(), k -> now);
            if (pipeline.inFlight(e.lun()) || !retries.eligible(e.lun(), now, epochs.capacity())) {
                continue;
            }
            if (now - since >= patience) {
                stuck.add(e);
            } else {
                wake = Math.min(wake, since + patience);
            }
        }
        orphanSince.keySet().retainAll(current);
        if (stuck.isEmpty() || maintenance.get().contains(host)) {
            return wake;
        }
        takeWhatFits(stuck);
        return wake;
    }

    private void takeWhatFits(List<FailoverTableEntry> stuck) {
        ResourceVector free = capacity;
        for (FailoverTableEntry e : replica.entries()) {
            boolean mine = host.equals(e.currentHost()) && (e.state() instanceof VmState.Running
                    || e.state() instanceof VmState.Starting || e.state() instanceof VmState.FailingOver
                    || e.state() instanceof VmState.Migrating);
            if (mine || pipeline.inFlight(e.lun())) {
                free = free.minus(e.reservation());
            }
        }
        stuck.sort((a, b) -> a.priority() != b.priority() ? b.priority().compareTo(a.priority())
                : a.lun().compareTo(b.lun()));
        for (FailoverTableEntry e : stuck) {
            if (e.reservation().fitsIn(free)) {
                free = free.minus(e.reservation());
                pipeline.enqueue(new FailoverPlan.Placement(e.vm(), e.lun(), host, e.priority().name(), 0));
            }
        }
    }
}
