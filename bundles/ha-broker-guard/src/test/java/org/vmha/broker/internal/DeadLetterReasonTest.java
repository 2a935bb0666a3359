/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.junit.jupiter.api.Test;

/**
 * The {@link DeadLetterReasonTest} is responsible for the reason {@code ha:dlq} shows for a message the broker moved
 * to the DLQ itself (an undeliverable NOC reply: no queue left, or expired unread), and for vmha's own reason winning.
 *
 * @author vmha - Initial contribution
 */
class DeadLetterReasonTest {

    private static CoreMessage letter(String original) {
        CoreMessage m = new CoreMessage(1, 256);
        m.setAddress(BrokerGuardComponent.DLQ);
        m.setAnnotation(Message.HDR_ORIGINAL_ADDRESS, SimpleString.of(original));
        return m;
    }

    @Test
    void aReplyWhoseQueueIsGoneSaysSo() {
        assertThat(BrokerGuardComponent.letter(letter("ha.replies.operator.gone")).reason())
                .startsWith("no queue at address ha.replies.operator.gone took it");
    }

    @Test
    void anExpiredReplySaysSo() {
        CoreMessage m = letter("ha.replies.operator.slow");
        m.setAnnotation(Message.HDR_ORIGINAL_QUEUE, SimpleString.of("ha.replies.operator.slow"));
        m.putLongProperty(Message.HDR_ACTUAL_EXPIRY_TIME, 1L);
        assertThat(BrokerGuardComponent.letter(m).reason())
                .isEqualTo("expired unread in queue ha.replies.operator.slow (nobody fetched it within its time to live)");
    }

    @Test
    void failedDeliveriesAndVmhasOwnReasons() {
        CoreMessage m = letter("ha.commands");
        m.setAnnotation(Message.HDR_ORIGINAL_QUEUE, SimpleString.of("ha.commands"));
        assertThat(BrokerGuardComponent.letter(m).reason()).contains("from queue ha.commands after its delivery");
        m.putStringProperty("vmha_error", "reply to ha.replies.operator.x undeliverable: full");
        assertThat(BrokerGuardComponent.letter(m).reason()).isEqualTo("reply to ha.replies.operator.x undeliverable: full");
    }
}
