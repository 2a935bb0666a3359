/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link QmpClient} is responsible for one QMP connection to one QEMU process over a UNIX-domain
 * socket: it reads the greeting, negotiates capabilities, sends commands each carrying an
 * {@code "id"} and matches the replies to them by that id, and hands asynchronous events to the
 * listeners.
 * <p>
 * Every wait has a timeout, and every failure names the socket and, where there is one, the command.
 * A connection that closes, or that receives data which is not QMP (a line that is not a JSON object,
 * or a reply with neither {@code return} nor {@code error}), is dead: pending commands fail at once and
 * later commands fail immediately. Events are delivered in order on one dispatcher thread of their own,
 * so a slow listener never delays a reply.
 * <p>
 * <b>Threading:</b> thread-safe; one reader thread and one event thread per client, both daemons and
 * both ended by {@link #close()}.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class QmpClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QmpClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LINE = 4 * 1024 * 1024;
    private static final long CONNECT_RETRY_MILLIS = 10;

    private final Path socket;
    private final SocketChannel channel;
    private final Duration defaultTimeout;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final AtomicReference<QmpException> dead = new AtomicReference<>();
    private final ExecutorService events;
    private final Thread reader;
    private final java.util.Set<CompletableFuture<QmpEvent>> eventWaiters = ConcurrentHashMap.newKeySet();
    private final Object writeLock = new Object();

    private record Pending(String command, CompletableFuture<JsonNode> reply) {
    }

    private QmpClient(Path socket, SocketChannel channel, Duration defaultTimeout) {
        this.socket = socket;
        this.channel = channel;
        this.defaultTimeout = defaultTimeout;
        String name = socket.getFileName() == null ? socket.toString() : socket.getFileName().toString();
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "qmp-events-" + name);
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(this::readLoop, "qmp-reader-" + name);
        this.reader.setDaemon(true);
    }

    /**
     * Connects to a QMP socket, reads the greeting and negotiates capabilities. The socket may not
     * exist yet (QEMU is still starting): connecting is retried until the timeout.
     *
     * @param socket the QMP socket path
     * @param timeout the bound on connecting, on the greeting and the default for every command
     * @param listener receives every event, may be {@code null}
     * @return a client in command mode
     * @throws QmpTimeoutException if the socket does not accept or answer in time
     * @throws QmpException if the socket is not QMP or closes
     */
    public static QmpClient connect(Path socket, Duration timeout, Consumer<QmpEvent> listener) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel channel = openWithRetry(socket, timeout, deadline);
        QmpClient client = new QmpClient(socket, channel, timeout);
        if (listener != null) {
            client.listeners.add(listener);
        }
        client.reader.start();
        try {
            client.awaitGreeting(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            client.execute("qmp_capabilities", null, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static SocketChannel openWithRetry(Path socket, Duration timeout, long deadline) {
        IOException last = null;
        while (true) {
            if (Files.exists(socket)) {
                SocketChannel ch = null;
                try {
                    ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return ch;
                } catch (ConnectException e) {
                    last = e;
                    closeQuietly(ch);
                } catch (IOException e) {
                    closeQuietly(ch);
                    throw new QmpException("cannot connect to QMP socket " + socket + ": " + e, e);
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new QmpTimeoutException("QMP socket " + socket + " did not accept a connection within "
                        + timeout.toMillis() + " ms" + (last == null ? " (it does not exist)" : ": " + last));
            }
            try {
                Thread.sleep(CONNECT_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QmpException("interrupted while connecting to QMP socket " + socket, e);
            }
        }
    }

    private void awaitGreeting(Duration timeout) {
        try {
            JsonNode g = greeting.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            LOG.debug("QMP greeting on {}: {}", socket, g);
        } catch (TimeoutException e) {
            throw new QmpTimeoutException("QMP socket " + socket + " sent no greeting within " + timeout.toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            throw asQmp(e.getCause(), "waiting for the greeting");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for the QMP greeting on " + socket, e);
        }
    }

    /** @return the QMP socket this client talks to */
    public Path socket() {
        return socket;
    }

    /** @return QEMU's greeting ({@code {"QMP": {...}}}) */
    public JsonNode greeting() {
        return greeting.getNow(null);
    }

    /** @return true until the connection closed or was found broken */
    public boolean isOpen() {
        return dead.get() == null;
    }

    /** @param listener receives every later event, on the event thread */
    public void addEventListener(Consumer<QmpEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener a listener added before */
    public void removeEventListener(Consumer<QmpEvent> listener) {
        listeners.remove(listener);
    }

    /**
     * A future for the next event matching a filter; register it <em>before</em> the command that
     * causes the event.
     *
     * @param filter which event
     * @return completes with the first matching event after this call, exceptionally if the connection dies
     */
    public CompletableFuture<QmpEvent> nextEvent(Predicate<QmpEvent> filter) {
        CompletableFuture<QmpEvent> f = new CompletableFuture<>();
        Consumer<QmpEvent> l = new Consumer<>() {
            @Override
            public void accept(QmpEvent e) {
                if (filter.test(e) && f.complete(e)) {
                    listeners.remove(this);
                }
            }
        };
        listeners.add(l);
        eventWaiters.add(f);
        f.whenComplete((e, t) -> {
            eventWaiters.remove(f);
            listeners.remove(l);
        });
        QmpException d = dead.get();
        if (d != null) {
            f.completeExceptionally(d);
        }
        return f;
    }

    /**
     * Waits for the next event of a name.
     *
     * @param future from {@link #nextEvent(Predicate)}
     * @param what what is awaited, for the message
     * @param timeout the bound
     * @return the event
     * @throws QmpTimeoutException if it does not come in time
     */
    public QmpEvent await(CompletableFuture<QmpEvent> future, String what, Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new QmpTimeoutException("no " + what + " event on QMP socket " + socket + " within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw asQmp(e.getCause(), "waiting for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for " + what + " on " + socket, e);
        }
    }

    /**
     * Sends a command and waits for its reply, with the client's default timeout.
     *
     * @param command the QMP command, e.g. {@code query-status}
     * @param arguments its arguments, may be {@code null}
     * @return the {@code return} value of the reply
     */
    public JsonNode execute(String command, Map<String, ?> arguments) {
        return execute(command, arguments, defaultTimeout);
    }

    /**
     * Sends a command and waits for its reply.
     *
     * @param command the QMP command, e.g. {@code query-status}
     * @param arguments its arguments, may be {@code null}
     * @param timeout the bound on the wait for the reply
     * @return the {@code return} value of the reply
     * @throws QmpErrorException if QEMU answered with an error
     * @throws QmpTimeoutException if QEMU did not answer in time
     * @throws QmpException if the connection is or becomes dead
     */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
        Objects.requireNonNull(command, "command");
        QmpException d = dead.get();
        if (d != null) {
            throw new QmpException("cannot send '" + command + "' on QMP socket " + socket + ": " + d.getMessage(), d);
        }
        String id = "vmha-" + ids.incrementAndGet();
        ObjectNode msg = JsonNodeFactory.instance.objectNode();
        msg.put("execute", command);
        if (arguments != null && !arguments.isEmpty()) {
            msg.set("arguments", JSON.valueToTree(arguments));
        }
        msg.put("id", id);
        Pending p = new Pending(command, new CompletableFuture<>());
        pending.put(id, p);
        d = dead.get();
        if (d != null) { // died between the check and the registration
            pending.remove(id);
            throw new QmpException("cannot send '" + command + "' on QMP socket " + socket + ": " + d.getMessage(), d);
        }
        try {
            byte[] line = (JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (writeLock) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        } catch (IOException e) {
            pending.remove(id);
            fail(new QmpException("QMP socket " + socket + " broke while sending '" + command + "': " + e, e));
            throw new QmpException("cannot send '" + command + "' on QMP socket " + socket + ": " + e, e);
        }
        try {
            return p.reply().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new QmpTimeoutException("QMP command '" + command + "' on " + socket + " got no reply within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw asQmp(e.getCause(), "'" + command + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for '" + command + "' on " + socket, e);
        } finally {
            pending.remove(id);
        }
    }

    private QmpException asQmp(Throwable cause, String what) {
        if (cause instanceof QmpErrorException qe) {
            return qe;
        }
        if (cause instanceof QmpException qe) {
            return new QmpException(qe.getMessage() + " (while " + what + ")", qe);
        }
        return new QmpException("QMP socket " + socket + " failed while " + what + ": " + cause, cause);
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    fail(new QmpException("QMP socket " + socket + " was closed by the peer"
                            + (line.size() > 0 ? " in the middle of a message" : "")));
                    return;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8).trim();
                        line.reset();
                        if (!text.isEmpty() && !handle(text)) {
                            return;
                        }
                    } else {
                        line.write(b);
                        if (line.size() > MAX_LINE) {
                            fail(new QmpException("QMP socket " + socket + " sent a line longer than " + MAX_LINE
                                    + " bytes: not QMP"));
                            return;
                        }
                    }
                }
            }
        } catch (ClosedChannelException e) {
            fail(new QmpException("QMP connection to " + socket + " was closed"));
        } catch (IOException e) {
            fail(new QmpException("QMP socket " + socket + " failed: " + e, e));
        } catch (RuntimeException e) {
            fail(new QmpException("QMP reader for " + socket + " failed: " + e, e));
        }
    }

    /** @return false if the message killed the connection */
    private boolean handle(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            msg = null;
        }
        if (msg == null || !msg.isObject()) {
            fail(new QmpException("QMP socket " + socket + " sent data that is not QMP: '" + abbreviate(text) + "'"));
            return false;
        }
        if (msg.has("QMP")) {
            greeting.complete(msg);
            return true;
        }
        if (msg.has("event")) {
            QmpEvent ev = toEvent(msg);
            dispatch(ev);
            return true;
        }
        if (msg.has("return") || msg.has("error")) {
            JsonNode idNode = msg.get("id");
            if (idNode == null) {
                // QEMU answers without an id only when it could not parse a command: none of ours
                LOG.warn("QMP socket {} sent a reply without an id: {}", socket, abbreviate(text));
                return true;
            }
            Pending p = pending.get(idNode.asText());
            if (p == null) {
                LOG.debug("QMP socket {}: reply for {} which nobody awaits any more (timed out): {}", socket,
                        idNode.asText(), abbreviate(text));
                return true;
            }
            if (msg.has("error")) {
                JsonNode err = msg.get("error");
                p.reply().completeExceptionally(new QmpErrorException(socket.toString(), p.command(),
                        err.path("class").asText("?"), err.path("desc").asText("")));
            } else {
                p.reply().complete(msg.get("return"));
            }
            return true;
        }
        fail(new QmpException("QMP socket " + socket + " sent an object that is neither greeting, event nor reply: '"
                + abbreviate(text) + "'"));
        return false;
    }

    private static QmpEvent toEvent(JsonNode msg) {
        JsonNode ts = msg.get("timestamp");
        long micros = ts == null ? -1 : ts.path("seconds").asLong() * 1_000_000L + ts.path("microseconds").asLong();
        JsonNode data = msg.has("data") ? msg.get("data") : JsonNodeFactory.instance.objectNode();
        return new QmpEvent(msg.get("event").asText(), data, micros);
    }

    private void dispatch(QmpEvent ev) {
        try {
            events.execute(() -> {
                for (Consumer<QmpEvent> l : listeners) {
                    try {
                        l.accept(ev);
                    } catch (RuntimeException e) {
                        LOG.warn("QMP event listener on {} failed on {}: {}", socket, ev.name(), e.toString());
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("QMP event {} on {} after close, dropped", ev.name(), socket);
        }
    }

    private void fail(QmpException reason) {
        if (!dead.compareAndSet(null, reason)) {
            return;
        }
        LOG.debug("{}", reason.getMessage());
        greeting.completeExceptionally(reason);
        for (Pending p : pending.values()) {
            p.reply().completeExceptionally(reason);
        }
        closeQuietly(channel);
        // fail the event waiters (nextEvent) after the events already queued were delivered
        Runnable failWaiters = () -> eventWaiters.forEach(f -> f.completeExceptionally(reason));
        try {
            events.execute(failWaiters);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            failWaiters.run();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** Closes the connection; pending commands fail, QEMU keeps running. Idempotent. */
    @Override
    public void close() {
        fail(new QmpException("QMP connection to " + socket + " was closed by this client"));
        events.shutdown();
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
