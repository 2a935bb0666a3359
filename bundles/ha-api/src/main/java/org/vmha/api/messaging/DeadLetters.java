/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.messaging;

import java.util.List;

/**
 * The {@link DeadLetters} service is the embedded broker's dead-letter queue {@code DLQ} as the {@code ha:dlq}
 * shell command shows and purges it. It is registered only where the broker runs in the node (feature
 * {@code ha-broker}).
 * <p>
 * <b>Threading:</b> thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
public interface DeadLetters {

    /**
     * One message of the dead-letter queue, as far as it is safe to show: every text is at most a short prefix and
     * escaped by the provider.
     *
     * @param id the broker's message id
     * @param timestampMillis when it was sent (epoch milliseconds, 0 if unknown)
     * @param originalAddress where it was sent first, or where it was dead-lettered from
     * @param user the validated user who sent it, or {@code -} if the broker did not record one
     * @param reason {@code vmha_error}, or the broker's reason (delivery attempts exhausted …)
     * @param bodyChars the size of its body in characters (bytes for a binary body)
     * @param bodyPrefix the first characters of its body, escaped
     * @author vmha - Initial contribution
     */
    record Letter(long id, long timestampMillis, String originalAddress, String user, String reason, long bodyChars,
            String bodyPrefix) {
    }

    /** @return how many messages the queue holds */
    long count();

    /**
     * @param max how many to show at most
     * @return the oldest messages first, without removing them
     */
    List<Letter> list(int max);

    /** @return how many messages were removed */
    long purge();

    /** @return the queue's limits in words, e.g. {@code at most 10 MiB, each message expires after 7 days} */
    String limits();
}
