/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class QmpClientTest {

    private static final Duration T = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private FakeQmpServer server;
    private QmpClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Path sock() {
        return dir.resolve("qmp.sock");
    }

    @Test
    void greetsNegotiatesAndCorrelatesRepliesById() throws Exception {
        server = new FakeQmpServer(sock(), FakeQmpServer.GREETING, FakeQmpServer.withCapabilities((cmd, out) -> {
            out.ok(cmd, "{\"status\": \"running\", \"singlestep\": false, \"running\": true}");
            return true;
        }));
        client = QmpClient.connect(sock(), T, null);

        JsonNode status = client.execute("query-status", null);

        assertThat(status.path("status").asText()).isEqualTo("running");
        assertThat(client.greeting().path("QMP").path("version").path("qemu").path("major").asInt()).isEqualTo(7);
        assertThat(server.received).hasSize(2);
        assertThat(server.received.get(0).path("execute").asText()).isEqualTo("qmp_capabilities");
        assertThat(server.received).allSatisfy(c -> assertThat(c.path("id").asText()).isNotBlank());
        assertThat(server.received.get(0).path("id").asText()).isNotEqualTo(server.received.get(1).path("id").asText());
    }

    @Test
    void sendsArguments() throws Exception {
        server = new FakeQmpServer(sock(), FakeQmpServer.GREETING, FakeQmpServer.withCapabilities((cmd, out) -> {
            out.ok(cmd, "{}");
            return true;
        }));
        client = QmpClient.connect(sock(), T, null);

        client.execute("migrate", Map.of("uri", "exec:cat > '/x/state'"));

        assertThat(server.received.get(1).path("arguments").path("uri").asText()).isEqualTo("exec:cat > '/x/state'");
    }

    @Test
    void eventsInterleavedWithRepliesGoToTheListenerAndRepliesStillMatch() throws Exception {
        server = new FakeQmpServer(sock(), FakeQmpServer.GREETING, FakeQmpServer.withCapabilities((cmd, out) -> {
            out.event("STOP", null);
            out.event("MIGRATION", "{\"status\": \"setup\"}");
            out.ok(cmd, "{\"status\": \"paused\", \"running\": false}");
            out.event("RESUME", null);
            return true;
        }));
        List<QmpEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        client = QmpClient.connect(sock(), T, e -> {
            events.add(e);
            three.countDown();
        });

        JsonNode status = client.execute("stop", null);

        assertThat(status.path("status").asText()).isEqualTo("paused");
        assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(events).extracting(QmpEvent::name).containsExactly("STOP", "MIGRATION", "RESUME");
        assertThat(events.get(1).data().path("status").asText()).isEqualTo("setup");
        assertThat(events.get(0).timestampMicros()).isEqualTo(1_700_000_000_000_005L);
    }

    @Test
    void repliesOutOfOrderReachTheirOwnCaller() throws Exception {
        CompletableFuture<JsonNode> slowCmd = new CompletableFuture<>();
        server = new FakeQmpServer(sock(), FakeQmpServer.GREETING, FakeQmpServer.withCapabilities((cmd, out) -> {
            if ("slow".equals(cmd.path("execute").asText())) {
                slowCmd.complete(cmd); // answered after "fast"
            } else {
                out.ok(cmd, "\"fast\"");
                out.ok(slowCmd.join(), "\"slow\"");
            }
            return true;
        }));
        client = QmpClient.connect(sock(), T, null);

        CompletableFuture<JsonNode> slow = CompletableFuture.supplyAsync(() -> client.execute("slow", null));
        slowCmd.get(5, TimeUnit.SECONDS);
        JsonNode fast = client.execute("fast", null);

        assertThat(fast.asText()).isEqualTo("fast");
        assertThat(slow.get(5, TimeUnit.SECONDS).asText()).isEqualTo("slow");
    }

    @Test
    void nextEventWaitsForAMatchingEvent() throws Exception {
        server = new FakeQmpServer(sock(), FakeQmpServer.GREETING, FakeQmpServer.withCapabilities((cmd, out) -> {
            out.ok(cmd, "{}");
            out.event("MIGRATION", "{\"status\": \"active\"}");
            out.event("MIGRATION", "{\"status\": \"completed\"}");
            return true;
        }));
        client = QmpClient.connect(sock(), T, null);
        CompletableFuture<QmpEvent> done = client.nextEvent(
                e -> e.name().equals("MIGRATION") && e.data().path("status").asText().equals("completed"));

        client.execute("migrate", Map.of("uri", "exec:cat > /dev/null"));

        assertThat(client.await(done, "MIGRATION completed", T).data().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void anErrorReplyNamesClassCommandAndSocketAndTheConnectionStaysUsable() throws Exception {
        server = new FakeQmpServer(sock(), FakeQmpServer.GREETING, FakeQmpServer.withCapabilities((cmd, out) -> {
            if ("nope".equals(cmd.path("execute").asText())) {
                out.line("{\"id\": " + cmd.get("id")
                        + ", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}");
            } else {
                out.ok(cmd, "{}");
            }
            return true;
        }));
        client = QmpClient.connect(sock(), T, null);

        assertThatThrownBy(() -> client.execute("nope", null))
                .isInstanceOfSatisfying(QmpErrorException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.description()).contains("has not been found");
                })
                .hasMessageContaining("'nope'").hasMessageContaining(sock().toString());
        assertThat(client.isOpen()).isTrue();
        assertThat(client.execute("query-status", null).isObject()).isTrue();
    }

    @Test
    void garbageFromTheSocketKillsTheConnectionWithAClearError() throws Exception {
        server = new FakeQmpServer(sock(), FakeQmpServer.GREETING, FakeQmpServer.withCapabilities((cmd, out) -> {
            out.line("SSH-2.0-OpenSSH_9.2 this is no QMP");
            return true;
        }));
        client = QmpClient.connect(sock(), T, null);

        assertThatThrownBy(() -> client.execute("query-status", null))
                .isInstanceOf(QmpException.class)
                .hasMessageContaining("not QMP").hasMessageContaining(sock().toString())
                .hasMessageContaining("query-status");
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.execute("cont", null))
                .isInstanceOf(QmpException.class).hasMessageContaining("'cont'").hasMessageContaining("not QMP");
    }

    @Test
    void garbageInsteadOfAGreetingFailsTheConnect() throws Exception {
        server = new FakeQmpServer(sock(), "{\"hello\": ", (cmd, out) -> true);

        assertThatThrownBy(() -> client = QmpClient.connect(sock(), T, null))
                .isInstanceOf(QmpException.class).hasMessageContaining("not QMP")
                .hasMessageContaining(sock().toString());
    }

    @Test
    void aSocketClosedByThePeerFailsThePendingCommandAndLaterOnes() throws Exception {
        server = new FakeQmpServer(sock(), FakeQmpServer.GREETING, FakeQmpServer.withCapabilities((cmd, out) -> false));
        client = QmpClient.connect(sock(), T, null);
        CompletableFuture<QmpEvent> never = client.nextEvent(e -> true);

        assertThatThrownBy(() -> client.execute("query-status", null))
                .isInstanceOf(QmpException.class).isNotInstanceOf(QmpTimeoutException.class)
                .hasMessageContaining("closed by the peer").hasMessageContaining(sock().toString())
                .hasMessageContaining("query-status");
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.await(never, "SHUTDOWN", T)).isInstanceOf(QmpException.class)
                .isNotInstanceOf(QmpTimeoutException.class).hasMessageContaining("closed by the peer");
        assertThatThrownBy(() -> client.execute("quit", null)).hasMessageContaining("'quit'");
    }

    @Test
    void aServerThatNeverAnswersTimesOutNamingTheCommand() throws Exception {
        server = new FakeQmpServer(sock(), FakeQmpServer.GREETING, FakeQmpServer.withCapabilities((cmd, out) -> true));
        client = QmpClient.connect(sock(), T, null);

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.execute("query-status", null, Duration.ofMillis(200)))
                .isInstanceOf(QmpTimeoutException.class)
                .hasMessageContaining("'query-status'").hasMessageContaining(sock().toString())
                .hasMessageContaining("200 ms");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(150L, 3000L);
    }

    @Test
    void aServerThatNeverGreetsTimesOutOnConnect() throws Exception {
        server = new FakeQmpServer(sock(), null, (cmd, out) -> true);

        assertThatThrownBy(() -> client = QmpClient.connect(sock(), Duration.ofMillis(200), null))
                .isInstanceOf(QmpTimeoutException.class).hasMessageContaining("greeting")
                .hasMessageContaining(sock().toString());
    }

    @Test
    void aMissingSocketTimesOutOnConnect() {
        Path missing = dir.resolve("nobody.sock");

        assertThatThrownBy(() -> client = QmpClient.connect(missing, Duration.ofMillis(100), null))
                .isInstanceOf(QmpTimeoutException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }
}
