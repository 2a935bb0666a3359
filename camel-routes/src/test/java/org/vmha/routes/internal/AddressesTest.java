/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Finding 3 of issue 14: no JMS consumer of vmha answers a message's reply-to by itself. */
class AddressesTest {

    @Test
    void everyJmsConsumerOfTheRoutesDisablesReplyHandling() {
        Addresses a = Addresses.jms();
        for (String uri : new String[] {a.events(), a.heartbeats(), a.table(), a.commands(), "jms:topic:ha.drs.advice",
                NocCommandComponent.COMPONENT + ":queue:" + Addresses.COMMANDS}) {
            assertThat(Addresses.consumer(uri)).as(uri).endsWith("disableReplyTo=true");
        }
        assertThat(Addresses.consumer("jms:topic:x?a=b")).isEqualTo("jms:topic:x?a=b&disableReplyTo=true");
        assertThat(Addresses.consumer("seda:x")).isEqualTo("seda:x");
    }
}
