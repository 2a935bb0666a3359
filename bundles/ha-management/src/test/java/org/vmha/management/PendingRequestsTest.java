/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;

/** Unanswered requests are due again until answered, replaced or {@value PendingRequests#ROUNDS} rounds old. */
class PendingRequestsTest {

    private final Map<String, FailoverTableEntry> table = new HashMap<>();
    private final PendingRequests pending = new PendingRequests();

    private static FailoverTableEntry entry(String host, VmState state, long generation) {
        return new FailoverTableEntry("vm1", "lun-vm1", host, null, RestartPriority.MEDIUM, ResourceVector.of(1, 1),
                state, generation);
    }

    private Optional<FailoverTableEntry> current(String lun) {
        return Optional.ofNullable(table.get(lun));
    }

    @Test
    void aRequestIsDueUntilTheAgentAnswersIt() {
        FailoverTableEntry req = entry("H1", VmState.STARTING, 1);
        table.put(req.lun(), req);
        pending.add(req);
        assertThat(pending.due(this::current)).containsExactly(req);
        // the alternate changed in a full table: still the same write, still due
        FailoverTableEntry withAlternate = req.withAlternateHost("H2");
        table.put(req.lun(), withAlternate);
        assertThat(pending.due(this::current)).containsExactly(withAlternate);
        // the agent booted it under a new lease
        table.put(req.lun(), entry("H1", VmState.RUNNING, 2));
        assertThat(pending.due(this::current)).isEmpty();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aRequestIsDroppedWhenItsVmVanishesOrAfterTheLastRound() {
        FailoverTableEntry req = entry("H1", VmState.POWERED_OFF, 1);
        pending.add(req);
        assertThat(pending.due(this::current)).as("no such VM any more").isEmpty();
        table.put(req.lun(), req);
        pending.add(req);
        for (int i = 0; i < PendingRequests.ROUNDS; i++) {
            assertThat(pending.due(this::current)).as("round %d", i).hasSize(1);
        }
        assertThat(pending.due(this::current)).isEmpty();
        assertThat(pending.size()).isZero();
    }
}
