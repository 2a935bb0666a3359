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
 * @param heartbeats endpoint URI of the multicast address {@code ha.heartbeat.host}
 * @param table endpoint URI of the multicast last-value address {@code ha.table}
 * @param commands endpoint URI of the anycast address {@code ha.commands} (NOC request/reply)
 * @author vmha - Initial contribution
 */
public record Addresses(String events, String deadLetter, String heartbeats, String table, String commands) {

    /** Artemis address of cluster events (multicast; MQTT clients see {@code ha/events}). */
    public static final String EVENTS = "ha.events";

    /** Artemis address of NOC command requests (anycast; replies go to each request's reply-to). */
    public static final String COMMANDS = "ha.commands";

    /** Artemis dead-letter address (anycast). */
    public static final String DEAD_LETTER = "DLQ";

    /** Artemis address of host heartbeats (multicast). */
    public static final String HOST_HEARTBEATS = "ha.heartbeat.host";

    /** Artemis address of failover table updates (multicast, last value keyed by {@link #TABLE_KEY_HEADER}). */
    public static final String TABLE = "ha.table";

    /** Message property the broker's last-value subscriptions of {@link #TABLE} key on. */
    public static final String TABLE_KEY_HEADER = "vmha_table";

    /** Message property naming the sending host (or {@code management}). */
    public static final String SOURCE_HEADER = "vmha_source";

    /**
     * @return the JMS endpoints on the Artemis broker
     */
    public static Addresses jms() {
        return new Addresses("jms:topic:" + EVENTS, "jms:queue:" + DEAD_LETTER, "jms:topic:" + HOST_HEARTBEATS,
                "jms:topic:" + TABLE, "jms:queue:" + COMMANDS);
    }

    /** Message property naming the broker-validated user of a message (JMS {@code JMSXUserID}). */
    public static final String USER_HEADER = "JMSXUserID";

    /** The same, under the broker's own name ({@code populate-validated-user} in the broker XML). */
    public static final String VALIDATED_USER_HEADER = "_AMQ_VALIDATED_USER";

    /** Message property naming who sent a dead-lettered message, set by vmha's routes. */
    public static final String DEAD_LETTER_USER_HEADER = "vmha_user";

    /**
     * The endpoint a route consumes from: a JMS consumer never answers a reply-to a message carries
     * ({@code disableReplyTo=true}); a route that answers does so itself, to a destination it checked.
     *
     * @param uri an endpoint URI
     * @return the URI to consume from
     */
    public static String consumer(String uri) {
        // every JMS component of the routes: jms (the agent identity) and jmscmd (the command route's)
        if (!uri.startsWith("jms:") && !uri.startsWith(NocCommandComponent.COMPONENT + ":")) {
            return uri;
        }
        return uri + (uri.contains("?") ? "&" : "?") + "disableReplyTo=true";
    }

    /**
     * @param host an agent's host name
     * @param purpose what the route does ({@code heartbeat}, {@code table}, {@code events}, {@code publish})
     * @return the deterministic route id {@code vmha.agent.<host>.<purpose>}
     */
    public static String agentRouteId(String host, String purpose) {
        return "vmha.agent." + host + "." + purpose;
    }

    /**
     * @param host an agent's host name
     * @return the in-process endpoint feeding the host's bounded publish queue
     */
    public static String agentOutbox(String host) {
        return "seda:vmha.agent." + host + ".out?size=" + CamelClusterTransport.QUEUE_CAPACITY
                + "&discardWhenFull=true";
    }
}
