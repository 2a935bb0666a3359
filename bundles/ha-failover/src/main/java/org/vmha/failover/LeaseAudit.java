/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Optional;

import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.transport.PeerStatus;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link LeaseAudit} is responsible for checking, now and then while a peer is partitioned, the entries placed
 * on partitioned hosts against their leases: the lease, not the table, says who holds a VM, and a lost update may
 * leave the table pointing at a host that does not run it while the VM ran elsewhere and died with that host.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class LeaseAudit {

    private final String host;
    private final AgentConfig config;
    private final PeerStates peers;
    private final GuardedAdapters adapters;
    private final LeaseLearner learner;
    private long nextAuditAt;

    /**
     * @param host this host
     * @param config settings (anti-entropy rounds, heartbeat interval: the audit's period)
     * @param peers the lease holders' statuses
     * @param adapters the datastore, behind the guard
     * @param learner learns a live lease of an alive holder
     */
    LeaseAudit(String host, AgentConfig config, PeerStates peers, GuardedAdapters adapters, LeaseLearner learner) {
        this.host = host;
        this.config = config;
        this.peers = peers;
        this.adapters = adapters;
        this.learner = learner;
    }

    /**
     * @param now current time
     * @return true if a peer is partitioned and an audit is due (the next one is then one anti-entropy period away)
     */
    boolean due(long now) {
        boolean audit = peers.anyPartitioned() && now >= nextAuditAt;
        if (audit) {
            nextAuditAt = now + config.antiEntropyHeartbeats() * config.heartbeatIntervalMillis();
        }
        return audit;
    }

    /** @return when the next audit is due */
    long nextAuditAt() {
        return nextAuditAt;
    }

    /**
     * @param e an entry placed on a partitioned host
     * @param now current time
     * @return true if the entry's lease is held, or was last held, by a host other than the entry's, and that
     *         host is failed or unknown; a live lease of an alive host is learned instead
     */
    boolean heldElsewhereByTheGone(FailoverTableEntry e, long now) {
        Optional<LeaseState> l = adapters.inspect(e.lun());
        if (l.isEmpty() || l.get().owner().equals(e.currentHost()) || l.get().generation() < e.generation()) {
            return false;
        }
        LeaseState st = l.get();
        if (st.owner().equals(host)) {
            return false; // ours: the lease renewal and the stray check handle it
        }
        PeerStatus holder = peers.lastStatus(st.owner());
        if (holder == PeerStatus.ALIVE || holder == PeerStatus.PARTITIONED) {
            learner.learn(e.lun(), st, now);
            return false;
        }
        return !st.released(); // released: its holder stopped it on purpose
    }
}
