/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.testkit.InMemoryStorageAdapter;

/**
 * The {@link FailoverTableReplicaTest} is responsible for version and generation ordering, persistence
 * and recovery from the persisted copy plus the leases.
 *
 * @author vmha - Initial contribution
 */
class FailoverTableReplicaTest {

    private static FailoverTableEntry entry(String vm, String host, String alt, long gen) {
        return new FailoverTableEntry(vm, "lun-" + vm, host, alt, RestartPriority.MEDIUM, ResourceVector.of(100, 100),
                VmState.RUNNING, gen);
    }

    @Test
    void fullTablesApplyOnlyWhenNewerAndKeepNewerAgentPlacements() {
        FailoverTableReplica r = new FailoverTableReplica(ReplicaStore.inMemory());
        assertThat(r.applyFull(2, List.of(entry("a", "H1", "H2", 1), entry("b", "H1", null, 1)))).isTrue();
        assertThat(r.applyFull(2, List.of(entry("a", "H9", null, 9)))).isFalse();
        // an agent moved a to H3 with generation 2
        assertThat(r.applyDelta(List.of(entry("a", "H3", null, 2)))).hasSize(1);
        // management's newer version with an older view of a: placement kept, alternate taken
        assertThat(r.applyFull(3, List.of(entry("a", "H1", "H2", 1), entry("b", "H1", "H3", 1)))).isTrue();
        FailoverTableEntry a = r.entry("lun-a").orElseThrow();
        assertThat(a.currentHost()).isEqualTo("H3");
        assertThat(a.generation()).isEqualTo(2);
        assertThat(a.alternateHost()).isEqualTo("H2");
        assertThat(r.version()).isEqualTo(3);
    }

    @Test
    void aDeltaReSentWithAnOlderAlternateDoesNotUndoTheManagementsNewerOne() {
        FailoverTableReplica r = new FailoverTableReplica(ReplicaStore.inMemory());
        r.applyFull(1, List.of(entry("VM15", "H2", "H4", 1)));
        // H2 failed; H4, its alternate, restarted it and publishes the new placement with the alternate it had
        FailoverTableEntry restarted = entry("VM15", "H4", "H4", 2);
        assertThat(r.applyDelta(List.of(restarted))).hasSize(1);
        // the management service computes H2 (returned) as the new alternate and sends its full table
        r.applyFull(2, List.of(restarted.withAlternateHost("H2")));
        assertThat(r.entry("lun-VM15").orElseThrow().alternateHost()).isEqualTo("H2");
        // H4 publishes its entry again (anti-entropy, a re-sent hand-over): the same write, the old alternate
        assertThat(r.applyDelta(List.of(restarted))).isEmpty();
        assertThat(r.entry("lun-VM15").orElseThrow().alternateHost()).as("H4 > H2 must not win the tie-break")
                .isEqualTo("H2");
        // a newer placement still comes in, keeping the alternate when it brings none
        assertThat(r.applyDelta(List.of(entry("VM15", "H1", null, 3)))).hasSize(1);
        assertThat(r.entry("lun-VM15").orElseThrow().alternateHost()).isEqualTo("H2");
    }

    @Test
    void deltasAreOrderedByLeaseGeneration() {
        FailoverTableReplica r = new FailoverTableReplica(ReplicaStore.inMemory());
        r.applyDelta(List.of(entry("a", "H2", null, 5)));
        assertThat(r.applyDelta(List.of(entry("a", "H1", null, 4)))).isEmpty();
        assertThat(r.entry("lun-a").orElseThrow().currentHost()).isEqualTo("H2");
        assertThat(r.applyDelta(List.of(entry("a", "H3", null, 6)))).hasSize(1);
        assertThat(r.entry("lun-a").orElseThrow().currentHost()).isEqualTo("H3");
    }

    @Test
    void aFileStoreKeepsTheReplicaAsJsonAndNamesTheFileWhenCorrupt(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("replica.json");
        ReplicaStore store = ReplicaStore.file(file);
        assertThat(store.load()).isEmpty();
        FailoverTableReplica r = new FailoverTableReplica(store);
        r.applyFull(7, List.of(entry("a", "H1", "H2", 3)));
        r.flush();
        assertThat(java.nio.file.Files.readString(file)).contains("\"version\":7").contains("\"lun-a\"");
        assertThat(FailoverTableReplica.recover(ReplicaStore.file(file), null, 0).table()).isEqualTo(r.table());
        java.nio.file.Files.writeString(file, "{\"version\":\"x\"}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplicaStore.file(file).load())
                .hasMessageContaining(file.toString()).hasMessageContaining("version");
    }

    @Test
    void recoversFromThePersistedCopyPlusTheLeases() {
        ReplicaStore store = ReplicaStore.inMemory();
        FailoverTableReplica r = new FailoverTableReplica(store);
        r.applyFull(4, List.of(entry("a", "H1", "H2", 1), entry("b", "H1", "H2", 1)));
        assertThat(r.flush()).isTrue();
        assertThat(r.flush()).isFalse();
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1000), ZoneOffset.UTC);
        InMemoryStorageAdapter storage = new InMemoryStorageAdapter(clock, 10_000);
        storage.provisionVolume("a");
        storage.provisionVolume("b");
        storage.acquireLease("lun-a", "H1");
        // while H1 was away, its lease of b expired and H2 took b over (generation 2)
        storage.releaseLease(storage.acquireLease("lun-b", "H1"));
        storage.acquireLease("lun-b", "H2");
        FailoverTableReplica back = FailoverTableReplica.recover(store, storage, 1000);
        assertThat(back.version()).isEqualTo(4);
        assertThat(back.entry("lun-a").orElseThrow().currentHost()).isEqualTo("H1");
        FailoverTableEntry b = back.entry("lun-b").orElseThrow();
        assertThat(b.currentHost()).isEqualTo("H2");
        assertThat(b.generation()).isEqualTo(2);
    }
}
