/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.api.transport.PeerStatus;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link OrphanClaimsTest} is responsible for the claims of orphans that fell between two plans, on their own:
 * the patience (twice the failure timeout, plus one heartbeat interval per live survivor ranked before this host),
 * what this host has room for, highest priority first, and none while this host is in maintenance mode.
 *
 * @author vmha - Initial contribution
 */
class OrphanClaimsTest {

    /** 2 x failure timeout 2500 ms with the defaults. */
    private static final long PATIENCE = 5000;

    private final FakePeerStates peers = new FakePeerStates();
    private final FailoverTableReplica replica = new FailoverTableReplica(ReplicaStore.inMemory());
    private final Set<String> inFlight = new HashSet<>();
    private final RetryQueue retries = new RetryQueue(1000, 8000, 3);
    private final ScanEpochs epochs = new ScanEpochs();
    private final List<Runnable> started = new ArrayList<>();
    private Set<String> maintenance = Set.of();
    /** Never drained here: the test reads what was queued from the in-flight set. */
    private final RestartPipeline pipeline = new RestartPipeline(
            new AgentContext("H1", AgentConfig.DEFAULTS, peers, epochs),
            new RestartPipeline.Threads(new VirtualScheduler(0), started::add), replica, null, null, null, () -> true,
            inFlight);

    private OrphanClaims claims(String host, ResourceVector capacity) {
        return new OrphanClaims(new AgentContext(host, AgentConfig.DEFAULTS, peers, epochs), capacity,
                () -> maintenance, replica, pipeline, retries);
    }

    private FailoverTableEntry orphan(String vm, RestartPriority priority, long memory) {
        FailoverTableEntry e = new FailoverTableEntry(vm, "lun-" + vm, "H9", null, priority,
                ResourceVector.of(10, memory), VmState.RUNNING, 1);
        replica.put(e);
        return e;
    }

    @Test
    void anOrphanIsClaimedOnlyAfterThePatienceAndTheNextLookIsThen() {
        OrphanClaims c = claims("H1", ResourceVector.of(1000, 1000));
        List<FailoverTableEntry> orphans = List.of(orphan("a", RestartPriority.MEDIUM, 100));
        assertThat(c.claim(0, orphans)).as("when it becomes stuck").isEqualTo(PATIENCE);
        assertThat(c.claim(PATIENCE - 1, orphans)).isEqualTo(PATIENCE);
        assertThat(inFlight).isEmpty();
        assertThat(c.claim(PATIENCE, orphans)).isEqualTo(Long.MAX_VALUE);
        assertThat(inFlight).containsExactly("lun-a");
        assertThat(started).as("queued, not started: the scan drains the pipeline").isEmpty();
    }

    @Test
    void eachLiveSurvivorRankedBeforeThisHostAddsOneHeartbeatInterval() {
        peers.status.put("H1", PeerStatus.ALIVE);
        peers.status.put("H2", PeerStatus.ALIVE);
        OrphanClaims c = claims("H3", ResourceVector.of(1000, 1000));
        List<FailoverTableEntry> orphans = List.of(orphan("a", RestartPriority.MEDIUM, 100));
        assertThat(c.claim(0, orphans)).isEqualTo(PATIENCE + 2 * 1000);
        peers.datastoreSilent.add("H2");
        OrphanClaims d = claims("H3", ResourceVector.of(1000, 1000));
        assertThat(d.claim(0, orphans)).as("a survivor without its datastore does not count")
                .isEqualTo(PATIENCE + 1000);
    }

    @Test
    void whatFitsIsClaimedHighestPriorityFirstAfterThisHostsOwnVms() {
        replica.put(new FailoverTableEntry("mine", "lun-mine", "H1", null, RestartPriority.LOW,
                ResourceVector.of(10, 500), VmState.RUNNING, 1));
        OrphanClaims c = claims("H1", ResourceVector.of(1000, 1000));
        List<FailoverTableEntry> orphans = List.of(orphan("low", RestartPriority.LOW, 200),
                orphan("high", RestartPriority.HIGH, 300), orphan("big", RestartPriority.HIGHEST, 600));
        c.claim(0, orphans);
        c.claim(PATIENCE, orphans);
        assertThat(inFlight).as("500 of 1000 free: the HIGHEST one does not fit, then HIGH and LOW do")
                .containsExactlyInAnyOrder("lun-high", "lun-low");
    }

    @Test
    void aHostInMaintenanceClaimsNothingAndOrphansThatWentAreForgotten() {
        OrphanClaims c = claims("H1", ResourceVector.of(1000, 1000));
        List<FailoverTableEntry> orphans = List.of(orphan("a", RestartPriority.MEDIUM, 100));
        c.claim(0, orphans);
        maintenance = Set.of("H1");
        c.claim(PATIENCE, orphans);
        assertThat(inFlight).isEmpty();
        assertThat(c.claim(PATIENCE + 1, List.of())).isEqualTo(Long.MAX_VALUE);
        maintenance = Set.of();
        assertThat(c.claim(PATIENCE + 2, orphans)).as("seen anew: its patience starts again")
                .isEqualTo(2 * PATIENCE + 2);
        assertThat(inFlight).isEmpty();
    }
}
