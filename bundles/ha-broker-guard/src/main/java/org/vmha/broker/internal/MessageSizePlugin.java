/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.broker.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.core.security.SafeText;

/**
 * The {@link MessageSizePlugin} is responsible for refusing, in the broker, every message a client sends that is
 * larger than its address accepts ({@link BrokerLimits}): the send fails with an error for the client, and no
 * consumer ever sees the message (and it stamps every non-core message with the session's validated user, see
 * {@link #stampUser}). It applies to every protocol (core, AMQP, MQTT, STOMP); the broker's own moves
 * (dead-lettering, expiry) are not sends and pass. Refusals are counted per address and logged at most once every
 * ten seconds per address.
 * <p>
 * In a broker cluster (docs/deployment.md) it also keeps the requester's identity across the cluster bridges: a
 * message a peer broker forwards arrives in a session of the cluster user, and {@code populate-validated-user}
 * overwrites its validated user with that name. So every client send is stamped with its sender in
 * {@value #ORIGIN_USER_NAME} (overwriting whatever the client put there), a bridge's send keeps that stamp, and
 * before routing a message whose validated user is the cluster user gets the stamped origin back
 * ({@link #restoredUser}). Only brokers know the cluster password, so only they can make a message carry another
 * user's name.
 * <p>
 * <b>Threading:</b> thread-safe (called on the broker's threads).
 *
 * @author vmha - Initial contribution
 */
final class MessageSizePlugin implements ActiveMQServerMessagePlugin {

    private static final long LOG_EVERY_MS = 10_000;

    private final Logger logger = LoggerFactory.getLogger(MessageSizePlugin.class);
    /** The NOC's request address (camel-routes' Addresses.COMMANDS). */
    static final String COMMANDS_ADDRESS = "ha.commands";

    /** The property naming the protocol a command request was sent with (camel-routes reads it for the audit). */
    static final String PROTOCOL_NAME = "_VMHA_PROTOCOL";

    static final org.apache.activemq.artemis.api.core.SimpleString PROTOCOL =
            org.apache.activemq.artemis.api.core.SimpleString.of(PROTOCOL_NAME);

    /** The property that carries a message's original validated user across the cluster bridges. */
    static final String ORIGIN_USER_NAME = "_VMHA_ORIGIN_USER";

    static final org.apache.activemq.artemis.api.core.SimpleString ORIGIN_USER =
            org.apache.activemq.artemis.api.core.SimpleString.of(ORIGIN_USER_NAME);

    private final BrokerLimits limits;
    private final String clusterUser;
    private final ConcurrentMap<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Long> lastLog = new ConcurrentHashMap<>();

    /**
     * @param limits the largest message per address
     * @param clusterUser the broker's {@code cluster-user}: the user of the sessions peer brokers forward in; null
     *            or empty when unknown (nothing is restored then)
     */
    MessageSizePlugin(BrokerLimits limits, String clusterUser) {
        this.limits = limits;
        this.clusterUser = clusterUser == null || clusterUser.isEmpty() ? null : clusterUser;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
            boolean noAutoCreateQueue) throws ActiveMQException {
        String address = message.getAddress();
        if (address == null && session != null && session.getDefaultAddress() != null) {
            address = session.getDefaultAddress().toString();
        }
        long size = size(message);
        long max = limits.maxBytes(address);
        if (size > max) {
            String user = session == null ? null : session.getValidatedUser();
            String key = String.valueOf(address);
            long n = refused.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            long now = System.currentTimeMillis();
            Long last = lastLog.get(key);
            if (last == null || now - last >= LOG_EVERY_MS) {
                lastLog.put(key, now);
                logger.warn("Refused a message of {} bytes to {} from user {}: the address accepts at most {} bytes "
                        + "({} refused there so far)", size, SafeText.prefix(address, 80), SafeText.prefix(user, 40),
                        max, n);
            }
            throw new ActiveMQException(ActiveMQExceptionType.ILLEGAL_STATE, "AMQ-VMHA: a message of " + size
                    + " bytes exceeds the limit of " + max + " bytes of address " + SafeText.prefix(address, 80));
        }
        stampUser(session, message);
        stampOrigin(session == null ? null : session.getValidatedUser(), message);
        String protocol = protocolStamp(address, session == null ? null : session.getValidatedUser(), clusterUser,
                session == null || session.getRemotingConnection() == null ? null
                        : session.getRemotingConnection().getProtocolName());
        if (protocol != null && protocol.isEmpty()) {
            message.removeProperty(PROTOCOL);
        } else if (protocol != null) {
            message.putStringProperty(PROTOCOL, protocol);
        }
    }

    /**
     * The protocol a command request came by, for the audit log's channel: every client send to
     * {@value #COMMANDS_ADDRESS} is stamped with its connection's protocol ({@code AMQP}, {@code CORE},
     * {@code STOMP}, {@code MQTT}), overwriting what the client put there; a peer broker's forward keeps the stamp
     * of the node the client sent to. Other addresses are left alone.
     *
     * @param address the address sent to
     * @param sessionUser the validated user of the sending session
     * @param clusterUser the cluster user, or null
     * @param protocol the sending connection's protocol name, or null
     * @return the stamp to put, "" to remove the property, null to leave the message as it is
     */
    static String protocolStamp(String address, String sessionUser, String clusterUser, String protocol) {
        if (!COMMANDS_ADDRESS.equals(address) || originKept(sessionUser, clusterUser)) {
            return null;
        }
        return protocol == null ? "" : SafeText.prefix(protocol, 20);
    }

    @Override
    public void beforeMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates) {
        // after populate-validated-user, which runs between beforeSend and routing
        String validated = message.getStringProperty(VALIDATED_USER);
        String restored = restoredUser(validated, message.getStringProperty(ORIGIN_USER), clusterUser);
        if (restored != null && !restored.equals(validated)) {
            message.putStringProperty(VALIDATED_USER, restored);
        }
    }

    private void stampOrigin(String sessionUser, Message message) {
        if (!originKept(sessionUser, clusterUser)) {
            if (sessionUser == null) {
                message.removeProperty(ORIGIN_USER);
            } else {
                message.putStringProperty(ORIGIN_USER, sessionUser);
            }
        }
    }

    /**
     * @param sessionUser the validated user of the sending session
     * @param clusterUser the cluster user, or null
     * @return true if the message's origin stamp stays as it came (a peer broker forwards it), false if it is set
     *         to the session's user
     */
    static boolean originKept(String sessionUser, String clusterUser) {
        return clusterUser != null && clusterUser.equals(sessionUser);
    }

    /**
     * @param validated the message's validated user after {@code populate-validated-user}
     * @param origin its origin stamp, or null
     * @param clusterUser the cluster user, or null
     * @return the validated user it is routed with: the origin if a peer broker forwarded it, else unchanged
     */
    static String restoredUser(String validated, String origin, String clusterUser) {
        if (clusterUser != null && clusterUser.equals(validated) && origin != null && !origin.isEmpty()) {
            return origin;
        }
        return validated;
    }

    /**
     * Artemis's {@code populate-validated-user} stamps core (and so MQTT and STOMP) messages only; an AMQP message
     * keeps whatever its sender put there. So every message gets the session's validated user here, overwriting what
     * a client may have set, and the command route can check a reply-to against the real requester whatever the
     * protocol.
     */
    static void stampUser(ServerSession session, Message message) {
        if (message instanceof org.apache.activemq.artemis.api.core.ICoreMessage) {
            return; // the broker itself stamps it when populate-validated-user is on
        }
        String user = session == null ? null : session.getValidatedUser();
        if (user == null) {
            message.removeProperty(VALIDATED_USER);
        } else {
            message.putStringProperty(VALIDATED_USER, user);
        }
    }

    static final org.apache.activemq.artemis.api.core.SimpleString VALIDATED_USER = Message.HDR_VALIDATED_USER;

    /** @return the size of the message as the broker holds it (headers and body) */
    static long size(Message message) {
        long whole = message.getWholeMessageSize();
        if (whole > 0) {
            return whole;
        }
        try {
            return message.getPersistentSize();
        } catch (ActiveMQException e) {
            return message.getEncodeSize();
        }
    }

    /** @return refusals per address */
    java.util.SortedMap<String, Long> refused() {
        java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
        refused.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
