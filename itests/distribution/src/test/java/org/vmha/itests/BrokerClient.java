/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import javax.jms.Connection;
import javax.jms.Destination;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Session;
import javax.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.vmha.core.security.ClusterKey;
import org.vmha.core.security.MessageAuthenticator;

/**
 * The {@link BrokerClient} is an attacker (or a key holder) in miniature: a core JMS connection with any of the
 * shipped logins that sends whatever a test wants to any address, signed with the node's cluster key or not.
 *
 * @author vmha - Initial contribution
 */
final class BrokerClient implements AutoCloseable {

    private final Connection connection;
    private final Session session;

    BrokerClient(String user, String password) throws JMSException {
        connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + VmhaTestSupport.brokerPort(), user, password)
                .createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        connection.start();
    }

    Session session() {
        return session;
    }

    /** @return the distribution's cluster key file (generated at first start) */
    static Path keyFile() {
        return Paths.get(System.getProperty("karaf.etc"), "vmha-cluster.key");
    }

    /** @return an authenticator with the node's own cluster key: what a key holder can sign */
    static MessageAuthenticator nodeKey() {
        return new MessageAuthenticator(ClusterKey.load(keyFile()));
    }

    /**
     * @param destination topic or queue
     * @param body the text
     * @param properties message properties
     */
    void send(Destination destination, String body, Map<String, String> properties) throws JMSException {
        TextMessage m = session.createTextMessage(body);
        for (Map.Entry<String, String> p : properties.entrySet()) {
            m.setStringProperty(p.getKey(), p.getValue());
        }
        try (MessageProducer producer = session.createProducer(destination)) {
            producer.send(m);
        }
    }

    /**
     * Sends a heartbeat or table update as an agent would, with {@code vmha_source} and (with {@code auth}) the HMAC.
     */
    void sendCluster(String kind, String source, String body, MessageAuthenticator auth) throws JMSException {
        Map<String, String> props = new java.util.TreeMap<>();
        props.put("vmha_source", source);
        if (kind.equals("table")) {
            props.put("vmha_table", "delta:" + source + ":fuzz");
        }
        if (auth != null) {
            props.put(MessageAuthenticator.HEADER, auth.sign(kind, source, body));
        }
        send(session.createTopic(kind.equals("heartbeat") ? "ha.heartbeat.host" : "ha.table"), body, props);
    }

    /**
     * @param queue a queue
     * @param selector a JMS selector
     * @param timeoutMillis how long to wait
     * @return the first matching message, or null
     */
    Message receive(String queue, String selector, long timeoutMillis) throws JMSException {
        try (MessageConsumer c = session.createConsumer(session.createQueue(queue), selector)) {
            return c.receive(timeoutMillis);
        }
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
