/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The {@link ClusterOriginTest} is responsible for the rules by which {@link MessageSizePlugin} keeps a requester's
 * identity across the broker cluster's bridges: a client's own send is always stamped with its session's user, a
 * peer broker's forward keeps the stamp, and only a message the cluster user delivered gets the stamp back as its
 * validated user.
 *
 * @author vmha - Initial contribution
 */
class ClusterOriginTest {

    private static final String CLUSTER = "vmha-cluster";

    @Test
    void aClientsSendIsStampedWithItsOwnUserWhateverItClaims() {
        assertThat(MessageSizePlugin.originKept("operator", CLUSTER)).isFalse();
        assertThat(MessageSizePlugin.originKept(null, CLUSTER)).isFalse();
        assertThat(MessageSizePlugin.originKept("operator", null)).isFalse();
    }

    @Test
    void aPeerBrokersForwardKeepsTheStampOfTheNodeTheClientSentTo() {
        assertThat(MessageSizePlugin.originKept(CLUSTER, CLUSTER)).isTrue();
    }

    @Test
    void aForwardedMessageIsRoutedWithItsOriginalUser() {
        assertThat(MessageSizePlugin.restoredUser(CLUSTER, "operator", CLUSTER)).isEqualTo("operator");
    }

    @Test
    void aClientsMessageKeepsTheUserTheBrokerValidatedEvenIfItCarriesAStamp() {
        // a client cannot reach this with a forged stamp (its send overwrites it), and even then its own name wins
        assertThat(MessageSizePlugin.restoredUser("noc", "operator", CLUSTER)).isEqualTo("noc");
        assertThat(MessageSizePlugin.restoredUser(null, "operator", CLUSTER)).isNull();
    }

    @Test
    void withoutAStampOrAClusterUserNothingChanges() {
        assertThat(MessageSizePlugin.restoredUser(CLUSTER, null, CLUSTER)).isEqualTo(CLUSTER);
        assertThat(MessageSizePlugin.restoredUser(CLUSTER, "", CLUSTER)).isEqualTo(CLUSTER);
        assertThat(MessageSizePlugin.restoredUser(CLUSTER, "operator", null)).isEqualTo(CLUSTER);
    }

    @Test
    void aCommandRequestIsStampedWithTheProtocolItCameByAndAForwardKeepsIt() {
        assertThat(MessageSizePlugin.protocolStamp("ha.commands", "operator", CLUSTER, "STOMP")).isEqualTo("STOMP");
        assertThat(MessageSizePlugin.protocolStamp("ha.commands", "operator", CLUSTER, null)).isEmpty();
        assertThat(MessageSizePlugin.protocolStamp("ha.commands", CLUSTER, CLUSTER, "CORE")).isNull();
        assertThat(MessageSizePlugin.protocolStamp("ha.events", "operator", CLUSTER, "AMQP")).isNull();
        assertThat(MessageSizePlugin.protocolStamp(null, "operator", null, "AMQP")).isNull();
    }
}
