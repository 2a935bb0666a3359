/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

/**
 * The {@link Addresses} are the naming factory of the message bus: the only place where Artemis address
 * names appear. A production node uses {@link #jms()}; route tests use in-memory endpoints.
 *
 * @param events endpoint URI of the multicast address {@code ha.events}
 * @param deadLetter endpoint URI of the anycast address {@code DLQ}
 * @param commands endpoint URI of the anycast address {@code ha.commands} (NOC request/reply)
 * @author vmha - Initial contribution
 */
public record Addresses(String events, String deadLetter, String commands) {

    /** Artemis address of cluster events (multicast; MQTT clients see {@code ha/events}). */
    public static final String EVENTS = "ha.events";

    /** Artemis address of NOC command requests (anycast; replies go to each request's reply-to). */
    public static final String COMMANDS = "ha.commands";

    /** Artemis dead-letter address (anycast). */
    public static final String DEAD_LETTER = "DLQ";

    /**
     * @return the JMS endpoints on the Artemis broker
     */
    public static Addresses jms() {
        return new Addresses("jms:topic:" + EVENTS, "jms:queue:" + DEAD_LETTER, "jms:queue:" + COMMANDS);
    }
}
