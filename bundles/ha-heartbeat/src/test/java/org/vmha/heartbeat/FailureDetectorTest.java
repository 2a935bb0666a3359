/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.heartbeat;

import org.vmha.api.transport.PeerStatus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;


/**
 * The {@link FailureDetectorTest} is responsible for the two-channel classification of peers.
 *
 * @author vmha - Initial contribution
 */
class FailureDetectorTest {

    @Test
    void failedOnlyWhenBothChannelsAreSilentPartitionedWhenOnlyTheNetworkIs() {
        FailureDetector d = new FailureDetector("H1", 3000);
        d.track("H2", 0);
        assertThat(d.status("H2", 3000)).isEqualTo(PeerStatus.ALIVE);
        d.networkHeartbeat("H2", 7, 1000);
        d.datastoreHeartbeat("H2", 7, 1000);
        assertThat(d.status("H2", 4000)).isEqualTo(PeerStatus.ALIVE);
        // network silent, datastore keeps changing
        d.datastoreHeartbeat("H2", 8, 3500);
        assertThat(d.status("H2", 4001)).isEqualTo(PeerStatus.PARTITIONED);
        // the same datastore sequence read again is not a heartbeat
        d.datastoreHeartbeat("H2", 8, 6000);
        assertThat(d.status("H2", 6501)).isEqualTo(PeerStatus.FAILED);
        assertThat(d.datastoreSilent("H2", 6501)).isTrue();
        // a restarted agent starts again at sequence 1: it counts
        d.networkHeartbeat("H2", 1, 7000);
        assertThat(d.status("H2", 7000)).isEqualTo(PeerStatus.ALIVE);
    }

    @Test
    void aPeerThatLeftIsFailedAtOnceUntilItIsHeardAgain() {
        FailureDetector d = new FailureDetector("H1", 3000);
        d.track("H2", 0);
        d.networkHeartbeat("H2", 4, 1000);
        d.datastoreHeartbeat("H2", 4, 1000);
        d.refresh(1000);
        d.leave("H2", 5, 1100);
        // both channels are fresh, yet it is gone: no waiting for the failure timeout
        assertThat(d.refresh(1100)).containsExactly(new FailureDetector.Transition("H2", PeerStatus.ALIVE,
                PeerStatus.FAILED));
        assertThat(d.left("H2")).isTrue();
        // its last datastore heartbeat, read late, does not bring it back; one written well after the leave does
        d.datastoreHeartbeat("H2", 5, 1500);
        assertThat(d.status("H2", 1500)).isEqualTo(PeerStatus.FAILED);
        d.datastoreHeartbeat("H2", 6, 4200);
        assertThat(d.left("H2")).isFalse();
        assertThat(d.status("H2", 4200)).isEqualTo(PeerStatus.PARTITIONED);
        // a leave and then an ordinary heartbeat of the restarted agent: alive
        d.leave("H2", 7, 5000);
        assertThat(d.status("H2", 5000)).isEqualTo(PeerStatus.FAILED);
        d.networkHeartbeat("H2", 1, 9000);
        assertThat(d.left("H2")).isFalse();
        assertThat(d.status("H2", 9000)).isEqualTo(PeerStatus.ALIVE);
        // an unknown sender's leave is ignored
        d.leave("H7", 1, 9000);
        assertThat(d.left("H7")).isFalse();
    }

    @Test
    void selfIsNeverAPeerAndUnknownPeersCountAsFailed() {
        FailureDetector d = new FailureDetector("H1", 3000);
        assertThat(d.track("H1", 0)).isFalse();
        assertThat(d.statuses(0)).isEmpty();
        assertThat(d.status("H9", 0)).isEqualTo(PeerStatus.FAILED);
        assertThat(d.anyPeerHeard(0)).isFalse();
        d.networkHeartbeat("H3", 5, 10);
        assertThat(d.anyPeerHeard(100)).isTrue();
        assertThat(d.anyPeerHeard(3011)).isFalse();
    }
}
