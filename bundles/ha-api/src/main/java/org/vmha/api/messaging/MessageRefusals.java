/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.messaging;

import java.util.SortedMap;

/**
 * The {@link MessageRefusals} service counts the messages this node's consumers refused since the messaging
 * bundle started: bad or missing HMAC, oversized, malformed, heartbeats of unknown hosts, implausible table
 * versions, command requests with a reply-to outside the requester's queues.
 * <p>
 * <b>Threading:</b> thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
public interface MessageRefusals {

    /** @return per reason ({@code bad-mac}, {@code oversized}, {@code unknown-host} …), how many were refused */
    SortedMap<String, Long> counts();

    /** @return the total of {@link #counts()} */
    default long total() {
        return counts().values().stream().mapToLong(Long::longValue).sum();
    }
}
