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
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.PeerStatus;
import org.vmha.api.transport.TableUpdate;
import org.vmha.core.guard.DirectGuard;
import org.vmha.core.guard.GuardedAdapters;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link PeerChangesTest} is responsible for the failover side of the peers' state changes, fed by hand through
 * a {@link FakePeerStates}: which changes are scan inputs, which mean more capacity, when a returning host's
 * isolation marker is forgotten and who sends it the whole replica.
 *
 * @author vmha - Initial contribution
 */
class PeerChangesTest {

    private static final long STARTED = 1000;

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), 3000);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final FakePeerStates peers = new FakePeerStates();
    private final ScanEpochs epochs = new ScanEpochs();
    private final FailoverTableReplica replica = new FailoverTableReplica(ReplicaStore.inMemory());
    private final List<TableUpdate> received = new ArrayList<>();
    private boolean isolated;
    private final PeerIsolationMarkers markers;
    private final PeerChanges changes;

    PeerChangesTest() {
        GuardedAdapters adapters = new GuardedAdapters("H1", storage, new SimulatedHypervisor("H1",
                ResourceVector.of(1000, 1000), storage, sched, new SimulatedHypervisor.Settings(500, 2000, 100), null),
                new DirectGuard());
        markers = new PeerIsolationMarkers("H1", peers, adapters, epochs);
        ReplicaPublisher publisher = new ReplicaPublisher("H1", replica, transport.endpoint("H1"), peers,
                java.util.Set::of, epochs::status);
        changes = new PeerChanges(STARTED, () -> isolated, peers, markers, publisher, epochs);
        transport.endpoint("H2").subscribe(new ClusterListener() {
            @Override
            public void onHeartbeat(HostHeartbeat heartbeat) {
            }

            @Override
            public void onTable(TableUpdate update) {
                received.add(update);
            }
        });
        replica.put(new FailoverTableEntry("vm1", "lun-vm1", "H1", "H2", RestartPriority.MEDIUM,
                ResourceVector.of(1, 1), VmState.RUNNING, 1));
    }

    private void deliver() {
        sched.runUntil(sched.nowMillis() + 10);
    }

    @Test
    void everyChangeIsAScanInputButOnlyAnAlivePeerMeansMoreCapacity() {
        changes.peerChanged("H2", PeerStatus.ALIVE, PeerStatus.PARTITIONED, 2000);
        changes.peerChanged("H2", PeerStatus.PARTITIONED, PeerStatus.FAILED, 3000);
        assertThat(epochs.status()).isEqualTo(2);
        assertThat(epochs.capacity()).isZero();
        changes.peerChanged("H2", PeerStatus.FAILED, PeerStatus.ALIVE, 4000);
        assertThat(epochs.status()).isEqualTo(3);
        assertThat(epochs.capacity()).isEqualTo(1);
    }

    @Test
    void aPeerFirstSeenAtTheStartDidNotJoinOneSeenLaterDid() {
        changes.peerChanged("H2", null, PeerStatus.ALIVE, STARTED);
        assertThat(epochs.capacity()).isZero();
        changes.peerChanged("H3", null, PeerStatus.ALIVE, STARTED + 1);
        assertThat(epochs.capacity()).isEqualTo(1);
        assertThat(epochs.status()).isEqualTo(2);
    }

    @Test
    void theReporterSendsAReturningHostTheWholeReplicaAndForgetsItsMarker() {
        storage.writeIsolationMarker(new IsolationMarker("H2", 0, "power-off", List.of("lun-vm9")));
        peers.status.put("H2", PeerStatus.PARTITIONED);
        markers.read();
        assertThat(markers.releasedBy("H2")).containsExactly("lun-vm9");
        peers.reporterUnless = "H2";
        peers.status.put("H2", PeerStatus.ALIVE);
        changes.peerChanged("H2", PeerStatus.PARTITIONED, PeerStatus.ALIVE, 5000);
        deliver();
        assertThat(markers.releasedBy("H2")).isNull();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).entries()).extracting(FailoverTableEntry::lun).containsExactly("lun-vm1");
        assertThat(received.get(0).full()).as("a delta every receiver merges entry by entry").isFalse();
    }

    @Test
    void notTheReporterOrIsolatedSendsNothing() {
        peers.reporterUnless = null;
        changes.peerChanged("H2", PeerStatus.FAILED, PeerStatus.ALIVE, 5000);
        isolated = true;
        peers.reporterUnless = "H2";
        changes.peerChanged("H3", PeerStatus.FAILED, PeerStatus.ALIVE, 6000);
        deliver();
        assertThat(received).isEmpty();
        assertThat(epochs.capacity()).as("the isolated host's view counts for nothing").isEqualTo(1);
        assertThat(epochs.status()).isEqualTo(2);
    }

    @Test
    void aDatastorePathThatComesBackOrGoesMeansCapacityOnce() {
        changes.datastorePathsChecked();
        assertThat(epochs.capacity()).isZero();
        peers.storageReachable = false;
        changes.datastorePathsChecked();
        changes.datastorePathsChecked();
        assertThat(epochs.capacity()).isEqualTo(1);
        peers.datastoreEpoch = 7;
        changes.datastorePathsChecked();
        assertThat(epochs.capacity()).isEqualTo(2);
    }
}
