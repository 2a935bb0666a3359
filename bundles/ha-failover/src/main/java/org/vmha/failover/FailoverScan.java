/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.List;

import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.core.plan.FailoverPlan;

/**
 * The {@link FailoverScan} is responsible for deciding when the table replica is scanned for VMs to restart, and
 * for handing what the scan finds on: this host's own VMs that are down straight to the restart pipeline, the
 * orphans to the {@link FailoverPlanning} when a retry is due and to the {@link OrphanClaims}. The scan runs only
 * when something it depends on changed (every input is in its change key), when a timed retry or claim is due, when
 * a lease audit is due, and every {@value #SAFETY_SCAN_INTERVALS} heartbeat intervals as a safety net. Without its
 * datastore this host plans nothing: it can take no lease, and its view of the peers' datastore channels is blind.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class FailoverScan {

    /**
     * Heartbeat intervals between two failover scans when nothing the scan depends on changed: a safety net
     * only, since every input of the scan is in its change key.
     */
    static final int SAFETY_SCAN_INTERVALS = 120;

    private final String host;
    private final AgentConfig config;
    private final PeerStates peers;
    private final FailoverTableReplica replica;
    private final ScanEpochs epochs;
    private final LeaseAudit audit;
    private final OrphanCollector collector;
    private final FailoverPlanning planning;
    private final OrphanClaims claims;
    private final RestartPipeline pipeline;
    private final RetryQueue retries;
    private String lastScanKey = "";
    private long nextScanAt;

    /**
     * @param agent this host, its settings (heartbeat interval), the peers' states (datastore reachability,
     *        partitions and the peers' datastore channels) and the change counters
     * @param replica the table replica
     * @param audit the lease audit
     * @param collector the scan itself
     * @param planning the planner call
     * @param claims the claims of stuck orphans
     * @param pipeline the restart pipeline
     * @param retries the retry queue
     */
    FailoverScan(AgentContext agent, FailoverTableReplica replica, LeaseAudit audit, OrphanCollector collector,
            FailoverPlanning planning, OrphanClaims claims, RestartPipeline pipeline, RetryQueue retries) {
        this.host = agent.host();
        this.config = agent.config();
        this.peers = agent.peers();
        this.replica = replica;
        this.epochs = agent.epochs();
        this.audit = audit;
        this.collector = collector;
        this.planning = planning;
        this.claims = claims;
        this.pipeline = pipeline;
        this.retries = retries;
    }

    /**
     * Scans if due, then lets the pipeline start what is queued.
     *
     * @param now current time
     */
    void run(long now) {
        if (peers.storageReachable() && due(now)) {
            scan(now);
        }
        pipeline.drain();
    }

    private boolean due(long now) {
        String scanKey = replica.changes() + ":" + epochs.status() + ":" + epochs.capacity() + ":" + epochs.markers()
                + ":" + epochs.local() + ":" + peers.storageReachable() + ":" + pipeline.inFlightCount() + ":"
                + peers.datastoreEpoch();
        if (scanKey.equals(lastScanKey) && now < nextScanAt) {
            return false;
        }
        lastScanKey = scanKey;
        return true;
    }

    private void scan(long now) {
        nextScanAt = now + SAFETY_SCAN_INTERVALS * config.heartbeatIntervalMillis();
        // entries placed on partitioned hosts are checked against their leases now and then
        boolean auditing = audit.due(now);
        if (peers.anyPartitioned()) {
            nextScanAt = Math.min(nextScanAt, Math.max(audit.nextAuditAt(), now + 1));
        }
        OrphanCollector.Found found = collector.collect(now, auditing);
        for (FailoverTableEntry e : found.mineDown()) {
            wakeForRetry(e);
            if (retries.eligible(e.lun(), now, epochs.capacity())) {
                pipeline.enqueue(new FailoverPlan.Placement(e.vm(), e.lun(), host, e.priority().name(), 0));
            }
        }
        boolean due = false;
        List<FailoverTableEntry> orphans = found.orphans();
        for (FailoverTableEntry e : orphans) {
            if (retries.eligible(e.lun(), now, epochs.capacity())) {
                due = true;
            }
            wakeForRetry(e);
        }
        if (due) {
            planning.place(now, orphans);
        }
        nextScanAt = Math.min(nextScanAt, claims.claim(now, orphans));
    }

    /** The next scan comes no later than a timed retry of the VM. */
    private void wakeForRetry(FailoverTableEntry e) {
        retries.get(e.lun()).filter(r -> r.capacityEpoch() < 0 && !r.gaveUp())
                .ifPresent(r -> nextScanAt = Math.min(nextScanAt, r.notBeforeMillis()));
    }
}
