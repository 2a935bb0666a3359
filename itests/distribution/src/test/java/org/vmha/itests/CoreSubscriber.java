/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import org.apache.activemq.artemis.api.core.ActiveMQNotConnectedException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.reader.TextMessageUtil;

/**
 * The {@link CoreSubscriber} subscribes to a multicast address through the Artemis core protocol (no JMS), so
 * a test depends on nothing our routes use. It is a class of its own so that the probe loads the Artemis
 * client classes only when a test uses them: in a stock Karaf they exist only after {@code feature:install}.
 *
 * @author vmha - Initial contribution
 */
final class CoreSubscriber implements AutoCloseable {

    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession session;
    private final ClientConsumer consumer;

    CoreSubscriber(String address, String user, String password) throws Exception {
        locator = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + VmhaTestSupport.brokerPort());
        factory = locator.createSessionFactory();
        session = factory.createSession(user, password, false, true, true, false, 0);
        String queue = "itest." + UUID.randomUUID();
        session.createQueue(QueueConfiguration.of(queue).setAddress(address).setRoutingType(RoutingType.MULTICAST)
                .setDurable(false).setTemporary(true));
        consumer = session.createConsumer(queue);
        session.start();
    }

    /**
     * Subscribes as soon as the broker accepts connections (after a feature install it starts a moment later).
     *
     * @param address the multicast address
     * @param user broker user
     * @param password broker password
     * @param timeout how long to keep trying
     * @return the subscriber
     */
    static CoreSubscriber await(String address, String user, String password, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return new CoreSubscriber(address, user, password);
            } catch (ActiveMQNotConnectedException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(200_000_000L);
            }
        }
    }

    /**
     * @param timeout how long to wait
     * @return the text body of the next message, or null on timeout
     */
    String receiveText(Duration timeout) throws Exception {
        ClientMessage message = consumer.receive(timeout.toMillis());
        if (message == null) {
            return null;
        }
        message.acknowledge();
        return TextMessageUtil.readBodyText(message.getBodyBuffer()).toString();
    }

    /**
     * @param timeout how long to wait
     * @return the next message as text, a description of one that is not text, or null on timeout
     */
    String receiveDescribed(Duration timeout) throws Exception {
        ClientMessage message = consumer.receive(timeout.toMillis());
        if (message == null) {
            return null;
        }
        message.acknowledge();
        if (message.getType() == org.apache.activemq.artemis.api.core.Message.TEXT_TYPE) {
            Object text = TextMessageUtil.readBodyText(message.getBodyBuffer());
            return text == null ? "<text message without a body: " + message.getPropertyNames() + ">" : text.toString();
        }
        return "<message of type " + message.getType() + ": " + message.getPropertyNames() + ">";
    }

    /**
     * Waits for the event with the given id, skipping others (a restarted routes bundle announces itself).
     *
     * @param id the CloudEvents id
     * @param timeout how long to wait for each message
     * @return the JSON text of that event
     * @throws AssertionError when no such event arrives within ten messages
     */
    String receiveEvent(String id, Duration timeout) throws Exception {
        // the simulated cluster's agents publish events too (many when a routes restart rebuilds them)
        for (int i = 0; i < 1000; i++) {
            String text = receiveText(timeout);
            if (text == null) {
                throw new AssertionError("no event within " + timeout + " while waiting for " + id);
            }
            if (text.contains("\"id\":\"" + id + "\"")) {
                return text;
            }
        }
        throw new AssertionError("event " + id + " not among the next thousand events");
    }

    @Override
    public void close() throws Exception {
        session.close();
        factory.close();
        locator.close();
    }
}
