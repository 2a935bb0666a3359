/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import java.time.Duration;
import java.util.UUID;

import javax.jms.Connection;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Session;
import javax.jms.Queue;
import javax.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The {@link JmsRequestor} is a NOC tool in miniature: it sends requests to {@code ha.commands} with its own
 * reply queue under {@code ha.replies.} and a correlation id, the way any JMS client would, and waits for the reply.
 *
 * @author vmha - Initial contribution
 */
final class JmsRequestor implements AutoCloseable {

    private final Connection connection;
    private final Session session;
    private final Queue replies;
    private final MessageConsumer consumer;
    private final MessageProducer producer;

    JmsRequestor(String user, String password) throws JMSException {
        this(VmhaTestSupport.brokerPort(), user, password);
    }

    /**
     * @param brokerPort the core port of the node's broker to connect to
     * @param user the login
     * @param password its password
     */
    JmsRequestor(int brokerPort, String user, String password) throws JMSException {
        connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort, user, password)
                .createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        // an operator's own reply queue: ha.replies.<user>.<tool> (docs/noc-api.md)
        replies = session.createQueue("ha.replies." + user + ".itest-" + UUID.randomUUID());
        consumer = session.createConsumer(replies);
        producer = session.createProducer(session.createQueue("ha.commands"));
        connection.start();
    }

    /**
     * @param body the request text
     * @param timeout how long to wait for the reply
     * @return the reply text, or null if none came
     */
    String request(String body, Duration timeout) throws JMSException {
        String correlation = UUID.randomUUID().toString();
        send(body, correlation, true);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Message reply = consumer.receive(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (reply != null && correlation.equals(reply.getJMSCorrelationID())) {
                return text(reply);
            }
        }
        return null;
    }

    /**
     * Sends without waiting (and, with {@code replyTo} false, without a reply-to).
     *
     * @param body the request text
     * @param correlation the correlation id
     * @param replyTo whether to set the reply-to
     */
    void send(String body, String correlation, boolean replyTo) throws JMSException {
        send(body, correlation, replyTo ? replies : null);
    }

    /**
     * Sends with any reply-to (the attacks of finding 3 of issue 14).
     *
     * @param body the request text
     * @param correlation the correlation id
     * @param replyTo the reply-to, or null for none
     */
    void send(String body, String correlation, javax.jms.Destination replyTo) throws JMSException {
        TextMessage message = session.createTextMessage(body);
        message.setJMSCorrelationID(correlation);
        if (replyTo != null) {
            message.setJMSReplyTo(replyTo);
        }
        producer.send(message);
    }

    /** @return the JMS session (to make destinations) */
    Session session() {
        return session;
    }

    /**
     * @param timeout how long to wait
     * @return the next reply of any correlation, or null
     */
    String receiveAny(Duration timeout) throws JMSException {
        Message reply = consumer.receive(timeout.toMillis());
        return reply == null ? null : text(reply);
    }

    /** @return the text of a reply, or a description of a reply that is not text (a test then shows it) */
    static String text(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        StringBuilder b = new StringBuilder("<not a text message: " + m.getClass().getSimpleName());
        for (java.util.Enumeration<?> e = m.getPropertyNames(); e.hasMoreElements();) {
            String n = (String) e.nextElement();
            b.append(' ').append(n).append('=').append(m.getObjectProperty(n));
        }
        try {
            b.append(" body=").append(m.getBody(Object.class));
        } catch (JMSException | RuntimeException e) {
            b.append(" body unreadable: ").append(e);
        }
        return b.append('>').toString();
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
