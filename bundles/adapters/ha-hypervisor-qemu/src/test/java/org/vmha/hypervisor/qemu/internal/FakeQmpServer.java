/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A QMP server for tests: one thread on a UNIX socket that sends a greeting (or not) and answers
 * each command line through a scripted {@link Script}.
 */
final class FakeQmpServer implements AutoCloseable {

    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}";

    /** What the server does with one command line. */
    interface Script {
        /**
         * @param cmd the command received
         * @param out write raw lines (each must end with a newline)
         * @return false to close the connection after this command
         */
        boolean on(JsonNode cmd, Out out) throws IOException;
    }

    /** Raw output to the client. */
    static final class Out {
        private final OutputStream os;

        Out(OutputStream os) {
            this.os = os;
        }

        void line(String s) throws IOException {
            os.write((s + "\n").getBytes(StandardCharsets.UTF_8));
            os.flush();
        }

        void ok(JsonNode cmd, String ret) throws IOException {
            line("{\"return\": " + ret + ", \"id\": " + cmd.get("id") + "}");
        }

        void event(String name, String data) throws IOException {
            line("{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}, \"event\": \"" + name + "\""
                    + (data == null ? "" : ", \"data\": " + data) + "}");
        }
    }

    /** Answers qmp_capabilities with an empty return, everything else with the script. */
    static Script withCapabilities(Script rest) {
        return (cmd, out) -> {
            if ("qmp_capabilities".equals(cmd.path("execute").asText())) {
                out.ok(cmd, "{}");
                return true;
            }
            return rest.on(cmd, out);
        };
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path path;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile SocketChannel client;

    FakeQmpServer(Path path, String greeting, Script script) throws IOException {
        this.path = path;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        thread = new Thread(() -> serve(greeting, script), "fake-qmp");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(String greeting, Script script) {
        try (SocketChannel c = server.accept()) {
            client = c;
            OutputStream os = Channels.newOutputStream(c);
            Out out = new Out(os);
            if (greeting != null) {
                out.line(greeting);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode cmd = JSON.readTree(line);
                received.add(cmd);
                if (!script.on(cmd, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or the test closed us
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        SocketChannel c = client;
        if (c != null) {
            c.close();
        }
        thread.join(2000);
        Files.deleteIfExists(path);
    }
}
