/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.jms.Connection;
import javax.jms.Destination;
import javax.jms.JMSException;
import javax.jms.JMSSecurityException;
import javax.jms.MessageProducer;
import javax.jms.Session;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The permission matrix of docs/security.md, tried cell by cell: every shipped account × every protocol (core, AMQP,
 * MQTT, STOMP, JMX, ssh) × each address or command of {@code security-matrix.csv}, against the real distribution
 * started with {@code bin/start}, with a real client per protocol (Artemis core JMS, Qpid Proton, mosquitto, a raw
 * STOMP socket, {@code javax.management.remote}, Apache MINA SSHD). The same file is rendered into docs/security.md;
 * {@link #theDocumentShowsThisMatrix()} fails when they differ.
 */
public class PermissionMatrixIT {

    static final Path MATRIX = Path.of("src/test/resources/security-matrix.csv");
    static final Path DOC = Path.of("../../docs/security.md");
    static final List<String> ACCOUNTS = List.of("karaf", "operator", "noc", "agent", "management");

    private static ProcessNode node;
    private static Credentials credentials;

    /** One row of the matrix. */
    record Row(String protocol, String resource, String action, Map<String, Boolean> allowed) {
    }

    static List<Row> matrix() throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        for (String line : Files.readAllLines(MATRIX)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> cells = List.of(line.split(",", -1));
            if (header == null) {
                header = cells;
                assertEquals(ACCOUNTS, header.subList(3, header.size()));
                continue;
            }
            Map<String, Boolean> allowed = new LinkedHashMap<>();
            for (int i = 3; i < cells.size(); i++) {
                String cell = cells.get(i).trim();
                if (!cell.equals("allow") && !cell.equals("deny")) {
                    throw new IllegalStateException("bad cell '" + cell + "' in " + line);
                }
                allowed.put(header.get(i), cell.equals("allow"));
            }
            rows.add(new Row(cells.get(0), cells.get(1), cells.get(2), allowed));
        }
        return rows;
    }

    /** @return the matrix as the Markdown table of docs/security.md */
    static String render(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| protocol | address or command | action | karaf (admin) | operator | noc | agent-<node> | management |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.protocol()).append(" | `").append(r.resource()).append("` | ").append(r.action());
            for (String a : ACCOUNTS) {
                b.append(" | ").append(r.allowed().get(a) ? "allow" : "—");
            }
            b.append(" |\n");
        }
        return b.toString();
    }

    @BeforeClass
    public static void start() throws Exception {
        node = ProcessNode.unpack("matrix");
        node.start();
        credentials = node.credentials();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    public void theDocumentShowsThisMatrix() throws Exception {
        String table = render(matrix());
        assertTrue("docs/security.md does not show security-matrix.csv; the table is:\n" + table,
                Files.readString(DOC).contains(table));
    }

    @Test
    public void everyAccountMayDoWhatTheMatrixSaysAndNothingElse() throws Exception {
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (Row row : matrix()) {
            for (String account : ACCOUNTS) {
                String user = account.equals("agent") ? credentials.agentUser() : account;
                String outcome = attempt(row, user, credentials.password(user));
                boolean allowed = outcome.equals("allowed");
                cells++;
                if (allowed != row.allowed().get(account)) {
                    wrong.add(row.protocol() + " " + row.resource() + " " + row.action() + " as " + user + ": expected "
                            + (row.allowed().get(account) ? "allow" : "deny") + ", got " + outcome);
                }
            }
        }
        System.out.println("MEASURED permission matrix: " + cells + " cells tried");
        assertTrue(wrong.size() + " cells differ from security-matrix.csv:\n" + String.join("\n", wrong), wrong.isEmpty());
    }

    /** @return "allowed", or what the refusal looked like */
    private static String attempt(Row row, String user, String password) throws Exception {
        switch (row.protocol()) {
            case "core":
                return core(row, user, password);
            case "amqp":
                return amqp(row, user, password);
            case "mqtt":
                return mqtt(row, user, password);
            case "stomp":
                return stomp(row, user, password);
            case "jmx":
                return jmx(row, user, password);
            case "ssh":
                return ssh(row, user, password);
            default:
                throw new IllegalStateException("unknown protocol " + row.protocol());
        }
    }

    private static String core(Row row, String user, String password) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + node.brokerPort, user, password);
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            boolean multicast = row.resource().equals("ha.events") || row.resource().equals("ha.table")
                    || row.resource().equals("ha.heartbeat.host");
            Destination d = multicast ? session.createTopic(row.resource()) : session.createQueue(row.resource());
            if (row.action().equals("send")) {
                MessageProducer producer = session.createProducer(d);
                producer.setDeliveryMode(javax.jms.DeliveryMode.PERSISTENT); // a blocking send: refusals show here
                producer.send(session.createTextMessage("permission-probe"));
            } else {
                session.createConsumer(d).close();
            }
            return "allowed";
        } catch (JMSSecurityException e) {
            return "refused (" + e.getMessage() + ")";
        } catch (JMSException e) {
            return "error (" + e + ")";
        } finally {
            factory.close();
        }
    }

    private static String amqp(Row row, String user, String password) throws Exception {
        ProcessNode.Result r = ProcessNode.run(Path.of("."), Duration.ofSeconds(60), "/usr/bin/python3",
                "src/test/resources/amqp-probe.py", "amqp://127.0.0.1:" + node.amqpPort, user, password,
                row.action().equals("send") ? "send" : "receive", row.resource());
        return r.exit() == 0 ? "allowed" : (r.exit() == 3 ? "refused" : "error") + " (" + r.output().trim() + ")";
    }

    private static String mqtt(Row row, String user, String password) throws Exception {
        if (row.action().equals("publish")) {
            ProcessNode.Result r = ProcessNode.run(Path.of("."), Duration.ofSeconds(60), "mosquitto_pub", "-h",
                    "127.0.0.1", "-p", Integer.toString(node.mqttPort), "-u", user, "-P", password, "-t", row.resource(),
                    "-q", "1", "-m", "permission-probe");
            // Artemis closes an MQTT 3.1.1 connection that publishes without the right
            return r.exit() == 0 && r.output().isBlank() ? "allowed" : "refused (" + r.exit() + " " + r.output().trim() + ")";
        }
        ProcessNode.Result r = ProcessNode.run(Path.of("."), Duration.ofSeconds(60), "mosquitto_sub", "-h", "127.0.0.1",
                "-p", Integer.toString(node.mqttPort), "-u", user, "-P", password, "-t", row.resource(), "-C", "1",
                "-W", "2");
        // 27: the subscription stood until the timeout; 0 with a message: it received one
        boolean subscribed = (r.exit() == 27 || r.exit() == 0) && !r.output().contains("denied")
                && !r.output().contains("not authorised") && !r.output().contains("Error");
        return subscribed ? "allowed" : "refused (" + r.exit() + " " + r.output().trim() + ")";
    }

    private static String stomp(Row row, String user, String password) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", node.stompPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            frame(out, "CONNECT", Map.of("accept-version", "1.2", "host", "localhost", "login", user, "passcode", password), "");
            String connected = readFrame(in);
            if (!connected.startsWith("CONNECTED")) {
                return "refused (" + connected.lines().findFirst().orElse("") + ")";
            }
            if (row.action().equals("send")) {
                frame(out, "SEND", Map.of("destination", row.resource(), "receipt", "r1"), "permission-probe");
            } else {
                frame(out, "SUBSCRIBE", Map.of("destination", row.resource(), "subscription-type", "MULTICAST", "id", "s1",
                        "receipt", "r1"), "");
            }
            String answer = readFrame(in);
            return answer.startsWith("RECEIPT") ? "allowed" : "refused (" + answer.replace('\n', ' ') + ")";
        }
    }

    private static void frame(OutputStream out, String command, Map<String, String> headers, String body) throws IOException {
        StringBuilder b = new StringBuilder(command).append('\n');
        headers.forEach((k, v) -> b.append(k).append(':').append(v).append('\n'));
        b.append('\n').append(body).append('\0');
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** @return the next frame, without heart-beat newlines */
    private static String readFrame(BufferedReader in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != 0) {
            if (b.length() == 0 && (c == '\n' || c == '\r')) {
                continue;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private static String jmx(Row row, String user, String password) throws Exception {
        try (JMXConnector jmx = node.jmx(user, password)) {
            if (row.action().equals("read")) {
                jmx.getMBeanServerConnection().getAttribute(new ObjectName(ManagementFactory.MEMORY_MXBEAN_NAME),
                        "HeapMemoryUsage");
            }
            return "allowed";
        } catch (SecurityException e) {
            return "refused (" + e.getMessage() + ")";
        }
    }

    private static String ssh(Row row, String user, String password) throws Exception {
        try (org.apache.sshd.client.session.ClientSession session = node.sshSession(user, password)) {
            if (row.action().equals("login")) {
                return "allowed";
            }
            String command = switch (row.resource()) {
                case "ha:cluster" -> "ha:cluster";
                // a change refused on its arguments, not on rights: nothing changes in the cluster
                case "ha:vm-set" -> "ha:vm-set --priority high NO-SUCH-VM";
                default -> row.resource();
            };
            ProcessNode.Shell shell = ProcessNode.exec(session, command);
            boolean refused = shell.output().contains("Insufficient credentials") || shell.output().contains("Command not found");
            return refused ? "refused (" + shell.output().trim() + ")" : "allowed";
        } catch (IOException e) {
            return "refused (" + e.getMessage() + ")";
        }
    }
}
