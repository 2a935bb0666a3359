/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.examples.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example route against a real HTTP receiver on a random loopback port (events come from an in-memory
 * endpoint here; the Pax Exam test runs it against the broker).
 */
class WebhookRouteTest {

    private static final String STARTED = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/vmha/node/a\","
            + "\"type\":\"org.vmha.cluster.started\",\"time\":\"2026-11-27T10:00:00Z\",\"data\":{}}";
    private static final String FAILED = STARTED.replace("\"id\":\"1\"", "\"id\":\"2\"")
            .replace("org.vmha.cluster.started", "org.vmha.host.failed");

    private Receiver receiver;
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        receiver.close();
    }

    @Test
    void postsEveryEventAsCloudEventsJson() throws Exception {
        ProducerTemplate producer = route(List.of(), 3);
        producer.sendBody("seda:events", STARTED);

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.bodies.size() == 1);
        assertThat(receiver.bodies.get(0)).isEqualTo(STARTED);
        assertThat(receiver.requests.get(0)).startsWith("POST /hook HTTP/1.1")
                .containsIgnoringCase("Content-Type: application/cloudevents+json");
    }

    @Test
    void forwardsOnlyTheConfiguredTypes() throws Exception {
        ProducerTemplate producer = route(List.of("org.vmha.host."), 3);
        producer.sendBody("seda:events", STARTED);
        producer.sendBody("seda:events", FAILED);

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.bodies.size() == 1);
        assertThat(receiver.bodies).containsExactly(FAILED);
    }

    @Test
    void retriesAFailingReceiverAndGoesOn() throws Exception {
        receiver.failFirst.set(2);
        ProducerTemplate producer = route(List.of(), 3);
        producer.sendBody("seda:events", STARTED);
        producer.sendBody("seda:events", FAILED);

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.bodies.size() == 2);
        assertThat(receiver.bodies).containsExactly(STARTED, FAILED);
        assertThat(receiver.requests).hasSize(4); // two 500s, then both delivered
    }

    private ProducerTemplate route(List<String> types, int attempts) throws Exception {
        camel = new DefaultCamelContext();
        camel.start();
        camel.addRoutes(new WebhookRoute("seda:events", "http://127.0.0.1:" + receiver.port() + "/hook", types,
                attempts));
        return camel.createProducerTemplate();
    }

    /** A minimal HTTP/1.1 receiver: one request per connection, answers 200 (or 500 while failFirst > 0). */
    static final class Receiver implements AutoCloseable {

        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final AtomicInteger failFirst = new AtomicInteger();
        private final ServerSocket server;
        private final Thread thread;

        Receiver() throws IOException {
            server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "webhook-receiver");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    String head = readHead(in);
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    requests.add(head);
                    boolean fail = failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                    if (!fail) {
                        bodies.add(body);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(((fail ? "HTTP/1.1 500 Oops" : "HTTP/1.1 200 OK")
                            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // closed
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
                matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
