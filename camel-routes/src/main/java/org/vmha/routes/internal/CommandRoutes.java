/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.vmha.api.audit.AuditEntry;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandNames;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.event.data.CommandRefused;
import org.vmha.core.command.CommandDispatcher;
import org.vmha.core.event.CloudEventCodec;
import org.vmha.core.event.EventPayloads;
import org.vmha.core.security.SafeText;

/**
 * The {@link CommandRoutes} serve the NOC request/reply address {@code ha.commands}. Each request is checked
 * before anything is executed:
 * <ul>
 * <li>its reply-to must be an anycast queue named {@code ha.replies.<user>.<name>}, where {@code <user>} is the
 * broker-validated user who sent it ({@code JMSXUserID}, {@code populate-validated-user}) and {@code <name>} is
 * made of letters, digits, {@code .}, {@code _} and {@code -}. A request without one, or with any other reply-to (a
 * topic, a temporary queue, {@code ha.heartbeat.host}, another user's queue, a wildcard) is not executed: it goes to
 * the dead-letter address with the reason in {@value HaRoutes#ERROR_HEADER} and the user in
 * {@value Addresses#DEAD_LETTER_USER_HEADER}, and an {@link EventTypes#COMMAND_REFUSED} event names the user on
 * {@code ha.events};</li>
 * <li>a request larger than {@code maxRequestBytes} is answered {@code TOO_LARGE}.</li>
 * </ul>
 * The reply is a new message that carries the reply text and the request's correlation id and nothing else of the
 * request, sent by this route to the checked queue (the consumer never answers a reply-to by itself:
 * {@code disableReplyTo}). A reply larger than {@code maxReplyBytes} is replaced by a {@code TOO_LARGE} error.
 * <p>
 * The expensive commands ({@link #SLOW_COMMANDS}: {@code plan}, {@code what-if}) do not run on the route: they go
 * to a bounded executor of their own ({@code slowThreads} threads, {@code slowQueue} waiting), each with a time
 * limit, so a slow request never holds up {@code status} or a power-on. When the executor is full the request is
 * answered {@code UNAVAILABLE} at once; one that runs past its limit is answered {@code UNAVAILABLE} and its thread
 * interrupted. Nothing a client sends stops the route.
 * <p>
 * Every request, answered or refused, is recorded in the dispatcher's audit log with the validated user and the
 * protocol the broker guard stamped ({@value #PROTOCOL_HEADER}).
 *
 * @author vmha - Initial contribution
 */
public final class CommandRoutes extends RouteBuilder {

    /** Camel's name of the JMS reply-to header. */
    static final String REPLY_TO = "JMSReplyTo";

    /** Camel's JMS header that picks the destination of a send at runtime. */
    static final String DESTINATION_NAME = "CamelJmsDestinationName";

    /** The commands run off the route, on the bounded executor. */
    public static final Set<String> SLOW_COMMANDS = Set.of(CommandNames.PLAN, "what-if");

    /**
     * Message property naming the protocol a client sent the request with ({@code AMQP}, {@code CORE},
     * {@code STOMP}, {@code MQTT}), stamped by the broker guard (ha-broker-guard); the audit log's channel.
     */
    static final String PROTOCOL_HEADER = "_VMHA_PROTOCOL";

    /** The prefix of every reply queue. */
    public static final String REPLIES_PREFIX = "ha.replies.";

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");

    private static final String DEAD_LETTER = "vmha_dead_letter";

    /**
     * Settings of the route.
     *
     * @param maxRequestBytes larger requests are refused with {@code TOO_LARGE}
     * @param maxReplyBytes larger replies are replaced by a {@code TOO_LARGE} error
     * @param slowThreads threads of the executor of the slow commands
     * @param slowQueue slow requests waiting at most
     * @param slowTimeoutMillis the time limit of one slow request
     * @param replyTtlMillis how long a reply waits in its queue for the tool before the broker drops it
     * @param node the node name, for the source of refusal events
     * @author vmha - Initial contribution
     */
    public record Settings(int maxRequestBytes, int maxReplyBytes, int slowThreads, int slowQueue,
            long slowTimeoutMillis, long replyTtlMillis, String node) {
    }

    private final String commands;
    private final String deadLetter;
    private final String events;
    private final String replies;
    private final CommandDispatcher dispatcher;
    private final Settings settings;
    private final InboundStats stats;
    private final ExecutorService slow;
    private final ScheduledExecutorService timer;
    private final CloudEventCodec codec = new CloudEventCodec();
    private final Clock clock;
    private final AtomicInteger slowBusy = new AtomicInteger();
    private ProducerTemplate producer;

    /**
     * @param commands endpoint of the commands address (consumed; {@link Addresses#consumer} is applied)
     * @param deadLetter endpoint of the dead-letter address
     * @param events endpoint of the events address (refusals)
     * @param replies endpoint replies are sent to, with {@value #DESTINATION_NAME} naming the queue
     * @param dispatcher handles each request
     * @param settings limits
     * @param stats counts refusals
     * @param slow the executor of the slow commands (bounded; this route shuts it down with {@link #close()})
     * @param timer enforces their time limits
     * @param clock for the events' time
     */
    public CommandRoutes(String commands, String deadLetter, String events, String replies, CommandDispatcher dispatcher,
            Settings settings, InboundStats stats, ExecutorService slow, ScheduledExecutorService timer, Clock clock) {
        this.commands = commands;
        this.deadLetter = deadLetter;
        this.events = events;
        this.replies = replies;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.stats = stats;
        this.slow = slow;
        this.timer = timer;
        this.clock = clock;
        dispatcher.maxRequestChars(settings.maxRequestBytes());
    }

    /**
     * @param threads threads
     * @param queue waiting requests at most
     * @return a bounded executor that rejects what does not fit
     */
    public static ExecutorService slowExecutor(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "vmha-commands-slow-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void configure() {
        from(Addresses.consumer(commands)).routeId("vmha.commands")
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, "org.vmha.commands", "A command request failed: ${exception.message}")
                .end()
                .process(this::handle)
                .filter(header(DEAD_LETTER).isNotNull())
                    .log(LoggingLevel.WARN, "org.vmha.commands", "Dead-lettering a command request: ${header."
                            + HaRoutes.ERROR_HEADER + "}")
                    .removeHeader(DEAD_LETTER)
                    .removeHeader(REPLY_TO)
                    .to(ExchangePattern.InOnly, deadLetter)
                .end();
    }

    /** Stops the slow executor (the route's owner calls it when the route goes). */
    public void close() {
        slow.shutdownNow();
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            producer = getContext().createProducerTemplate();
        }
        return producer;
    }

    private void handle(Exchange exchange) {
        Message message = exchange.getMessage();
        String user = Bodies.user(message);
        String channel = channel(message);
        Object replyTo = message.getHeader(REPLY_TO);
        String correlation = message.getHeader("JMSCorrelationID", String.class);
        String problem = checkReplyTo(replyTo, user);
        if (problem != null) {
            dispatcher.auditRefusal(Bodies.text(message, settings.maxRequestBytes()), user, channel,
                    CommandException.REFUSED, (replyTo == null ? "missing reply-to: " : "refused reply-to: ") + problem);
            refuse(exchange, user, replyTo, correlation, problem);
            return;
        }
        String queue = queueName(replyTo);
        Object raw = message.getBody();
        String body;
        int size;
        if (raw instanceof byte[] bytes) {
            size = bytes.length;
            body = size > settings.maxRequestBytes() ? null : new String(bytes, StandardCharsets.UTF_8);
        } else {
            body = message.getBody(String.class);
            size = body == null ? 0 : utf8Length(body, settings.maxRequestBytes());
        }
        if (size > settings.maxRequestBytes()) {
            stats.refuse("commands", "oversized", "request of " + size + " bytes from user " + SafeText.prefix(user, 40));
            String why = "request of " + size + " bytes exceeds the limit of " + settings.maxRequestBytes() + " bytes";
            dispatcher.auditRefusal(null, user, channel, CommandException.TOO_LARGE, why);
            reply(queue, user, correlation, dispatcher.error(null, null, CommandException.TOO_LARGE, why));
            return;
        }
        String command = dispatcher.commandOf(body);
        if (command != null && SLOW_COMMANDS.contains(command)) {
            runSlow(queue, user, channel, correlation, command, body);
        } else {
            reply(queue, user, correlation, dispatcher.dispatch(body, user, channel));
        }
        message.setBody(null);
    }

    private void runSlow(String queue, String user, String channel, String correlation, String command, String body) {
        CompletableFuture<String> result = new CompletableFuture<>();
        java.util.concurrent.Future<?> task;
        try {
            task = slow.submit(() -> {
                slowBusy.incrementAndGet();
                try {
                    result.complete(dispatcher.dispatch(body, user, channel));
                } finally {
                    slowBusy.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            stats.refuse("commands", "busy", "'" + command + "' while " + settings.slowThreads() + " run and "
                    + settings.slowQueue() + " wait");
            String why = "too many '" + command + "' requests in progress on this node (" + settings.slowThreads()
                    + " running, " + settings.slowQueue() + " waiting); try again later";
            dispatcher.auditRefusal(body, user, channel, CommandException.UNAVAILABLE, why);
            reply(queue, user, correlation, dispatcher.error(command, null, CommandException.UNAVAILABLE, why));
            return;
        }
        java.util.concurrent.ScheduledFuture<?> limit = timer.schedule(() -> {
            if (result.complete(dispatcher.error(command, null, CommandException.UNAVAILABLE, "'" + command
                    + "' took longer than " + settings.slowTimeoutMillis() / 1000.0 + " s and was abandoned; ask for "
                    + "less (fewer hosts, a lower hostFailures, no allCombinations) or run bin/ha-plan"))) {
                task.cancel(true);
                stats.refuse("commands", "timeout", "'" + command + "' after " + settings.slowTimeoutMillis() + " ms");
            }
        }, settings.slowTimeoutMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((reply, e) -> {
            limit.cancel(false);
            reply(queue, user, correlation, reply != null ? reply : dispatcher.error(command, null, CommandException.INTERNAL,
                    "'" + command + "' failed: " + SafeText.prefix(String.valueOf(e), 200)));
        });
    }

    /**
     * Sends a new message with the reply and the correlation id, nothing else of the request. A reply the broker
     * refuses (the queue is gone and may not be created by the route, or it is full) goes to the dead-letter address
     * with the reason in {@value HaRoutes#ERROR_HEADER} and the requester in
     * {@value Addresses#DEAD_LETTER_USER_HEADER}; the broker itself dead-letters a reply to an address without a queue
     * and one that expires unread (vmha-broker.xml, {@code ha.replies.#}).
     */
    private void reply(String queue, String user, String correlation, String text) {
        String body = text;
        int size = utf8Length(body, settings.maxReplyBytes());
        if (size > settings.maxReplyBytes()) {
            body = dispatcher.error(null, null, CommandException.TOO_LARGE, "the reply would be more than "
                    + settings.maxReplyBytes() + " bytes; ask for less (allCombinations false, fewer hosts)");
        }
        Map<String, Object> headers = new TreeMap<>();
        headers.put(DESTINATION_NAME, queue);
        if (correlation != null) {
            headers.put("JMSCorrelationID", correlation);
        }
        try {
            producer().sendBodyAndHeaders(replies, ExchangePattern.InOnly, body, headers);
        } catch (RuntimeException e) {
            String why = "reply to " + SafeText.prefix(queue, 80) + " undeliverable: " + SafeText.prefix(
                    rootMessage(e), 200);
            stats.refuse("commands", "reply-failed", why);
            Map<String, Object> dead = new TreeMap<>();
            dead.put(HaRoutes.ERROR_HEADER, why + "; the request of user " + SafeText.prefix(String.valueOf(user), 60)
                    + " was executed");
            dead.put(Addresses.DEAD_LETTER_USER_HEADER, user == null ? "-" : SafeText.prefix(user, 60));
            if (correlation != null) {
                dead.put("JMSCorrelationID", correlation);
            }
            try {
                producer().sendBodyAndHeaders(deadLetter, ExchangePattern.InOnly, body, dead);
            } catch (RuntimeException e2) {
                stats.refuse("commands", "dead-letter-failed", why + "; and the dead-letter address refused it too: "
                        + SafeText.prefix(rootMessage(e2), 200));
            }
        }
    }

    /**
     * @param m a request
     * @return the audit channel: the protocol the broker guard stamped, lower case ({@code amqp}, {@code stomp}, …),
     *         or {@link AuditEntry#NOC} when there is none
     */
    static String channel(Message m) {
        Object p = m.getHeader(PROTOCOL_HEADER);
        String s = p == null ? "" : p.toString().trim().toLowerCase(java.util.Locale.ROOT);
        return s.isEmpty() || s.length() > 20 || !s.matches("[a-z0-9._-]+") ? AuditEntry.NOC : s;
    }

    /** @return the message of the innermost cause (the broker's own words), or the exception's class */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private void refuse(Exchange exchange, String user, Object replyTo, String correlation, String problem) {
        Message message = exchange.getMessage();
        String who = user == null ? "-" : SafeText.prefix(user, 60);
        String where = replyTo == null ? "-" : SafeText.prefix(describe(replyTo), 120);
        stats.refuse("commands", replyTo == null ? "no-reply-to" : "reply-to", "request of user " + who
                + " with reply-to " + where + ": " + problem);
        message.setHeader(HaRoutes.ERROR_HEADER, (replyTo == null ? "missing reply-to: " : "refused reply-to " + where
                + ": ") + problem + "; the request of user " + who + " was not executed");
        message.setHeader(Addresses.DEAD_LETTER_USER_HEADER, who);
        message.setHeader(DEAD_LETTER, true);
        CommandRefused data = new CommandRefused(who, where, problem,
                correlation == null ? null : SafeText.prefix(correlation, 80));
        try {
            producer().sendBody(events, ExchangePattern.InOnly, codec.encode(CloudEvent.of("/vmha/node/" + settings.node(),
                    CommandRefused.TYPE, clock.instant(), who, EventPayloads.toMap(data))));
        } catch (RuntimeException e) {
            stats.refuse("commands", "event-failed", SafeText.prefix(String.valueOf(e), 200));
        }
    }

    /**
     * @param replyTo the request's reply-to (a JMS destination), may be null
     * @param user the validated user, may be null
     * @return null if the reply may go there, else why not
     */
    static String checkReplyTo(Object replyTo, String user) {
        if (replyTo == null) {
            return "a command request needs a reply-to destination (a queue ha.replies.<user>.<name>, and should carry "
                    + "a correlation id)";
        }
        if (!(replyTo instanceof javax.jms.Queue || isPlainAddress(replyTo)) || replyTo instanceof javax.jms.Topic
                || replyTo instanceof javax.jms.TemporaryQueue || replyTo instanceof javax.jms.TemporaryTopic) {
            return "the reply-to must be a queue (anycast) under " + REPLIES_PREFIX + "<user>., not "
                    + (replyTo instanceof javax.jms.Topic ? "a topic" : replyTo instanceof javax.jms.TemporaryQueue
                            ? "a temporary queue" : "a " + replyTo.getClass().getSimpleName());
        }
        if (user == null || !USER_NAME.matcher(user).matches()) {
            return "the broker did not name the requesting user (populate-validated-user) or the name is not usable in "
                    + "a queue name";
        }
        String name = queueName(replyTo);
        String own = REPLIES_PREFIX + user + ".";
        if (name == null || !name.startsWith(own) || name.length() == own.length()
                || !QUEUE_NAME.matcher(name.substring(own.length())).matches()) {
            return "the reply-to must be a queue " + own + "<name> (letters, digits, '.', '_', '-') of the requesting "
                    + "user";
        }
        return null;
    }

    /**
     * A reply-to that names an address without saying queue or topic: what a STOMP {@code reply-to} header (and an
     * AMQP reply-to without a type) becomes in the broker. Under {@code ha.replies.#} an address is anycast
     * (vmha-broker.xml), so the reply goes to the queue of that name.
     */
    static boolean isPlainAddress(Object replyTo) {
        return replyTo instanceof ActiveMQDestination d && d.getType() == ActiveMQDestination.TYPE.DESTINATION
                && !d.isTemporary();
    }

    static String queueName(Object replyTo) {
        if (isPlainAddress(replyTo)) {
            return ((ActiveMQDestination) replyTo).getAddress();
        }
        try {
            return replyTo instanceof javax.jms.Queue q ? q.getQueueName() : null;
        } catch (javax.jms.JMSException e) {
            return null;
        }
    }

    private static String describe(Object replyTo) {
        try {
            if (replyTo instanceof javax.jms.Topic t) {
                return "topic " + t.getTopicName();
            }
            if (replyTo instanceof javax.jms.Queue q) {
                return "queue " + q.getQueueName();
            }
            if (isPlainAddress(replyTo)) {
                return "address " + ((ActiveMQDestination) replyTo).getAddress();
            }
        } catch (javax.jms.JMSException e) {
            // fall through
        }
        return String.valueOf(replyTo);
    }

    /** @return the UTF-8 length of {@code s}, or {@code limit + 1} once it is known to exceed {@code limit} */
    static int utf8Length(String s, int limit) {
        if (s == null) {
            return 0;
        }
        if ((long) s.length() * 3 <= limit) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            if (n > limit) {
                return limit + 1;
            }
        }
        return (int) n;
    }

    /** @return how many slow requests run now (tests) */
    int slowBusy() {
        return slowBusy.get();
    }
}
