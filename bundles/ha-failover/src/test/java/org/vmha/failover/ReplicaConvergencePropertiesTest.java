/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.FailoverTableCodec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * The {@link ReplicaConvergencePropertiesTest} is responsible for the convergence of table entries (audit
 * finding 4): the writes of a migration (the management service's request, the source's hand-over, the
 * destination's new generation) and of a power-off, delivered to a replica in any order, with any of them
 * duplicated, leave every replica with the same, last entry; and a full table repairs a delta that was lost.
 *
 * @author vmha - Initial contribution
 */
class ReplicaConvergencePropertiesTest {

    private static final FailoverTableEntry RUNNING_ON_H1 = new FailoverTableEntry("vm1", "lun-vm1", "H1", "H2",
            RestartPriority.MEDIUM, ResourceVector.of(100, 100), VmState.RUNNING, 4);

    /** The writes of one migration H1 → H2, in the order their writers made them. */
    private static List<FailoverTableEntry> migration() {
        VmState.Migrating m = new VmState.Migrating("H1", "H2");
        FailoverTableEntry request = RUNNING_ON_H1.withPlacement("H1", m); // management service
        FailoverTableEntry handOver = request.withPlacement("H2", m); // source, answering it
        FailoverTableEntry resumed = new FailoverTableEntry("vm1", "lun-vm1", "H2", "H2", RestartPriority.MEDIUM,
                ResourceVector.of(100, 100), VmState.RUNNING, 5); // destination, new lease
        return List.of(RUNNING_ON_H1, request, handOver, resumed);
    }

    @Property(tries = 300)
    void aMigrationsWritesConvergeToTheLastInAnyArrivalOrder(@ForAll @Size(min = 1, max = 12) List<Integer> order) {
        List<FailoverTableEntry> writes = migration();
        FailoverTableReplica replica = new FailoverTableReplica(ReplicaStore.inMemory());
        replica.applyDelta(List.of(RUNNING_ON_H1));
        for (int i : order) {
            replica.applyDelta(List.of(writes.get(Math.floorMod(i, writes.size()))));
        }
        FailoverTableEntry last = replica.entry("lun-vm1").orElseThrow();
        // whatever arrived, the replica holds the newest write it received, never an older one after it
        int newest = -1;
        for (int i : order) {
            newest = Math.max(newest, Math.floorMod(i, writes.size()));
        }
        assertThat(last).isEqualTo(writes.get(Math.max(newest, 0)));
    }

    @Test
    void theHandOverWinsOverTheRequestItAnswersWhateverArrivesLast() {
        List<FailoverTableEntry> w = migration();
        FailoverTableReplica a = new FailoverTableReplica(ReplicaStore.inMemory());
        FailoverTableReplica b = new FailoverTableReplica(ReplicaStore.inMemory());
        a.applyDelta(List.of(w.get(0)));
        b.applyDelta(List.of(w.get(0)));
        a.applyDelta(List.of(w.get(1)));
        a.applyDelta(List.of(w.get(2)));
        b.applyDelta(List.of(w.get(2)));
        b.applyDelta(List.of(w.get(1))); // the management's request, delayed past the hand-over
        assertThat(a.entry("lun-vm1")).isEqualTo(b.entry("lun-vm1"));
        assertThat(b.entry("lun-vm1").orElseThrow().currentHost()).isEqualTo("H2");
    }

    @Test
    void concurrentWritesOfTheSameRevisionEndTheSameOnEveryReplica() {
        FailoverTableEntry off = RUNNING_ON_H1.withPlacement("H1", VmState.POWERED_OFF);
        FailoverTableEntry pending = RUNNING_ON_H1.withPlacement("H1", new VmState.RestartPending("no room"));
        FailoverTableReplica a = new FailoverTableReplica(ReplicaStore.inMemory());
        FailoverTableReplica b = new FailoverTableReplica(ReplicaStore.inMemory());
        a.applyDelta(List.of(RUNNING_ON_H1, off, pending));
        b.applyDelta(List.of(RUNNING_ON_H1, pending, off));
        assertThat(a.entry("lun-vm1")).isEqualTo(b.entry("lun-vm1"));
    }

    @Test
    void aFullTableRepairsALostPowerOff() {
        FailoverTableEntry off = RUNNING_ON_H1.withPlacement("H1", VmState.POWERED_OFF);
        FailoverTableReplica agent = new FailoverTableReplica(ReplicaStore.inMemory());
        agent.applyFull(1, List.of(RUNNING_ON_H1));
        // the delta "powered off" never reached this agent; the management service's next full table has it
        assertThat(agent.applyFull(2, List.of(off))).isTrue();
        assertThat(agent.entry("lun-vm1").orElseThrow().state()).isEqualTo(VmState.POWERED_OFF);
        // and an older full-table entry does not undo a newer local one
        FailoverTableEntry moved = new FailoverTableEntry("vm1", "lun-vm1", "H3", null, RestartPriority.MEDIUM,
                ResourceVector.of(100, 100), VmState.RUNNING, 5);
        agent.applyDelta(List.of(moved));
        agent.applyFull(3, List.of(off.withAlternateHost("H2")));
        assertThat(agent.entry("lun-vm1").orElseThrow().currentHost()).isEqualTo("H3");
    }

    @Test
    void theRevisionTravelsInTheTableJson() {
        FailoverTableEntry e = RUNNING_ON_H1.withPlacement("H1", VmState.POWERED_OFF).withPlacement("H1",
                VmState.RUNNING);
        FailoverTableCodec codec = new FailoverTableCodec();
        String json = codec.encode(new org.vmha.api.model.FailoverTable(7, List.of(e, RUNNING_ON_H1)));
        assertThat(json).contains("\"revision\":2");
        List<FailoverTableEntry> back = new ArrayList<>(codec.decode(json).entries());
        assertThat(back).containsExactly(e, RUNNING_ON_H1);
        assertThat(back.get(1).revision()).isZero();
    }
}
