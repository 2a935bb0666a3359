/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.command;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiConsumer;

import org.vmha.api.audit.AuditEntry;
import org.vmha.api.audit.AuditLog;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;
import org.vmha.core.security.JsonLimits;
import org.vmha.core.security.SafeText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link CommandDispatcher} is responsible for turning one request (JSON text) into one reply (JSON text),
 * whatever the request contains. A request is {@code {"command": "name", "args": {…}, "id": "…"}} ({@code args}
 * and {@code id} optional, no other field: an unknown one is refused naming it, so a misspelt {@code arg} is never
 * ignored; the {@code id}, a string or a number, comes back exactly as sent); the reply is {@code {"ok": true, "command": …, "id": …, "result": {…}}} or
 * {@code {"ok": false, "command": …, "id": …, "error": {"code": …, "message": …}}}. It never throws: a request
 * beyond {@link JsonLimits#COMMAND} (nesting, string and number lengths, value count) is refused before it is
 * parsed, a {@link StackOverflowError} anywhere in a handler becomes an error reply, and error messages quote at most
 * a short, escaped prefix of what the client sent ({@link SafeText#prefix}) and never the parser's internals (an
 * invalid request is one line: where, and what was wrong).
 * <p>
 * The {@code args} object is bound to the handler's request record and the handler's result record written as
 * {@code result} by {@link CommandJson}, which refuses an unknown argument or a value of the wrong type naming it.
 * <p>
 * Handlers come and go at runtime ({@link #register}, {@link #unregister}); the dispatcher is thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class CommandDispatcher {

    /** The fields a request may have. */
    static final java.util.List<String> FIELDS = java.util.List.of("command", "id", "args");

    /** Refuses text after the request's JSON value ({@code {"command":"status"}}} is not a request). */
    private final CommandJson json = new CommandJson();
    private final ObjectMapper mapper = json.mapper();
    private volatile JsonLimits limits = JsonLimits.COMMAND;
    private final Map<String, CommandHandler<?, ?>> handlers = new ConcurrentSkipListMap<>();
    private final Map<String, String> expected = new ConcurrentSkipListMap<>();
    private final BiConsumer<String, RuntimeException> internalErrors;
    private volatile AuditLog audit;
    /** Turns a request's arguments into plain Java for the audit log (the strict mapper refuses some shapes). */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    /**
     * @param internalErrors told about a handler's unexpected failure (command name, exception), for the log
     */
    public CommandDispatcher(BiConsumer<String, RuntimeException> internalErrors) {
        this.internalErrors = internalErrors;
    }

    /**
     * @param maxChars the largest request, in characters (the route checks the bytes before)
     */
    public void maxRequestChars(int maxChars) {
        this.limits = JsonLimits.COMMAND.withMaxChars(Math.max(2, Math.min(maxChars, JsonLimits.COMMAND.maxChars())));
    }

    /**
     * Names commands that a service provides while it runs, so that a request for one of them while it does
     * not gets {@link CommandException#UNAVAILABLE} instead of {@link CommandException#UNKNOWN_COMMAND}.
     *
     * @param commands the command names
     * @param providedBy the providing service, in words
     */
    public void expect(java.util.Collection<String> commands, String providedBy) {
        for (String c : commands) {
            expected.put(c, providedBy);
        }
    }

    /**
     * @param handler a handler; replaces one of the same name
     */
    public void register(CommandHandler<?, ?> handler) {
        handlers.put(handler.name(), handler);
    }

    /**
     * @param handler a handler registered before; nothing happens if another one has taken its name since
     */
    public void unregister(CommandHandler<?, ?> handler) {
        handlers.remove(handler.name(), handler);
    }

    /** @return the registered command names, sorted */
    public java.util.Set<String> commands() {
        return java.util.Collections.unmodifiableSet(((ConcurrentSkipListMap<String, CommandHandler<?, ?>>) handlers).keySet());
    }

    /**
     * @param log where every request this dispatcher answers is recorded ({@link #dispatch(String, String, String)}),
     *        null for nowhere
     */
    public synchronized void audit(AuditLog log) {
        this.audit = log;
    }

    /**
     * @param log a log given to {@link #audit} before; nothing happens if another one has replaced it since
     */
    public void unaudit(AuditLog log) {
        synchronized (this) {
            if (audit == log) {
                audit = null;
            }
        }
    }

    /**
     * @param request the request text
     * @return the reply text
     */
    public String dispatch(String request) {
        return dispatch(request, null, AuditEntry.NOC);
    }

    /**
     * Answers a request and records it in the {@link #audit} log: user, channel, command, arguments and outcome
     * ({@link AuditEntry#REFUSED} when it never reached the handler: not a request, unknown command, arguments that
     * do not bind; {@link AuditEntry#ERROR} when the handler answered an error).
     *
     * @param request the request text
     * @param user the broker-validated user who sent it, null if unknown
     * @param channel how it came ({@code amqp}, {@code core}, …, {@link AuditEntry#NOC})
     * @return the reply text
     */
    public String dispatch(String request, String user, String channel) {
        Trace trace = new Trace();
        ObjectNode reply;
        try {
            reply = dispatchChecked(request, trace);
        } catch (StackOverflowError e) {
            // the limits stop deep nesting before parsing; this is the last line for a handler that recurses anyway
            internalErrors.accept("?", new IllegalStateException("stack overflow while serving a request"));
            reply = errorNode(null, null, CommandException.BAD_REQUEST, "the request is nested too deeply to be served");
        }
        AuditLog log = audit;
        if (log != null) {
            try {
                log.record(auditEntry(reply, trace, user, channel));
            } catch (RuntimeException e) {
                internalErrors.accept(trace.command == null ? "?" : trace.command, e);
            }
        }
        return reply.toString();
    }

    /**
     * Records in the {@link #audit} log a request that the transport refused before it was dispatched (a reply-to
     * it may not answer, too large, too many in progress), as {@link AuditEntry#REFUSED}.
     *
     * @param request the request text, null when it was not read; its command and arguments are recorded when it
     *        is within the limits and readable
     * @param user the broker-validated user who sent it, null if unknown
     * @param channel how it came
     * @param code the error code
     * @param message why it was refused
     */
    public void auditRefusal(String request, String user, String channel, String code, String message) {
        AuditLog log = audit;
        if (log == null) {
            return;
        }
        Trace trace = new Trace();
        try {
            if (request != null && !request.isBlank()) {
                limits.check(request, "request");
                JsonNode node = mapper.readTree(request);
                if (node != null && node.isObject()) {
                    JsonNode c = node.get("command");
                    trace.command = c != null && c.isTextual() ? SafeText.prefix(c.asText(), MAX_NAME_CHARS) : null;
                    trace.args = node.get("args");
                }
            }
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            // recorded without command and arguments
        }
        try {
            log.record(auditEntry(errorNode(trace.command, null, code, message), trace, user, channel));
        } catch (RuntimeException e) {
            internalErrors.accept(trace.command == null ? "?" : trace.command, e);
        }
    }

    /** What {@link #dispatchChecked} learnt of a request, for its audit entry. */
    private static final class Trace {
        String command;
        JsonNode args;
        boolean ran;
    }

    private AuditEntry auditEntry(ObjectNode reply, Trace trace, String user, String channel) {
        Map<String, Object> args = trace.args == null || !trace.args.isObject() ? Map.of()
                : PLAIN.convertValue(trace.args, new com.fasterxml.jackson.core.type.TypeReference<
                        java.util.LinkedHashMap<String, Object>>() {
                });
        boolean ok = reply.path("ok").asBoolean(false);
        JsonNode error = reply.path("error");
        return new AuditEntry(null, user, channel, trace.command, AuditEntry.kindOf(trace.command), args, ok
                ? AuditEntry.OK : trace.ran ? AuditEntry.ERROR : AuditEntry.REFUSED, ok ? null : error.path("code")
                        .asText(null), ok ? null : error.path("message").asText(null));
    }

    /** The largest request id and command name echoed back. */
    static final int MAX_NAME_CHARS = 256;

    private ObjectNode dispatchChecked(String request, Trace trace) {
        try {
            limits.check(request, "request");
        } catch (JsonLimits.LimitExceededException e) {
            return errorNode(null, null, e.tooLarge() ? CommandException.TOO_LARGE : CommandException.BAD_REQUEST,
                    e.getMessage());
        }
        JsonNode node;
        try {
            node = request == null || request.isBlank() ? null : mapper.readTree(request);
        } catch (JsonProcessingException e) {
            return errorNode(null, null, CommandException.BAD_REQUEST, "invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + SafeText.prefix(parserProblem(e)));
        }
        if (node == null || !node.isObject()) {
            return errorNode(null, null, CommandException.BAD_REQUEST,
                    "a request is a JSON object {\"command\": …, \"args\": {…}}, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        JsonNode idNode = node.get("id");
        JsonNode id = idNode == null || idNode.isNull() ? null : idNode;
        if (id != null && !id.isTextual() && !id.isNumber()) {
            return errorNode(null, null, CommandException.BAD_REQUEST, "field 'id' must be a string or a number, got "
                    + kind(id));
        }
        if (id != null && id.asText().length() > MAX_NAME_CHARS) {
            return errorNode(null, null, CommandException.BAD_REQUEST, "field 'id' is longer than " + MAX_NAME_CHARS
                    + " characters: " + SafeText.prefix(id.asText(), 40));
        }
        JsonNode commandNode = node.get("command");
        if (commandNode == null || !commandNode.isTextual() || commandNode.asText().isBlank()) {
            return errorNode(null, id, CommandException.BAD_REQUEST, "field 'command' must be a non-empty string");
        }
        String command = commandNode.asText();
        trace.command = command.length() > MAX_NAME_CHARS ? SafeText.prefix(command, 40) : command;
        if (command.length() > MAX_NAME_CHARS || SafeText.needsEscaping(command)) {
            return errorNode(null, id, CommandException.UNKNOWN_COMMAND, "unknown command " + SafeText.prefix(command, 40)
                    + "; known: " + String.join(", ", handlers.keySet()));
        }
        for (java.util.Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                return errorNode(command, id, CommandException.BAD_REQUEST, "unknown request field '"
                        + SafeText.prefix(field, 40) + "'; a request has only the fields command, id and args (the "
                        + "command's arguments go inside args)");
            }
        }
        JsonNode argsNode = node.get("args");
        trace.args = argsNode;
        if (argsNode != null && !argsNode.isNull() && !argsNode.isObject()) {
            return errorNode(command, id, CommandException.BAD_REQUEST, "field 'args' must be a JSON object, got "
                    + argsNode.getNodeType());
        }
        CommandHandler<?, ?> handler = handlers.get(command);
        if (handler == null && expected.containsKey(command)) {
            return errorNode(command, id, CommandException.UNAVAILABLE, "command '" + command + "' is provided by "
                    + expected.get(command) + ", which does not run on this node now");
        }
        if (handler == null) {
            return errorNode(command, id, CommandException.UNKNOWN_COMMAND, "unknown command '" + command
                    + "'; known: " + String.join(", ", handlers.keySet()));
        }
        try {
            JsonNode result = json.write(run(handler, command, argsNode, trace));
            ObjectNode reply = header(true, command, id);
            reply.set("result", result);
            return reply;
        } catch (CommandException e) {
            return errorNode(command, id, e.code(), e.getMessage());
        } catch (org.vmha.api.command.ArgumentException e) {
            CommandException c = e.forCommand(command);
            return errorNode(command, id, c.code(), c.getMessage());
        } catch (IllegalArgumentException e) {
            return errorNode(command, id, CommandException.BAD_REQUEST, e.getMessage());
        } catch (RuntimeException e) {
            internalErrors.accept(command, e);
            return errorNode(command, id, CommandException.INTERNAL, "command '" + command + "' failed: "
                    + SafeText.prefix(e.toString(), 200));
        }
    }

    /** Binds the arguments to the handler's request record (refusing what does not fit) and runs it. */
    private <A extends Record, R> R run(CommandHandler<A, R> handler, String command, JsonNode args, Trace trace) {
        A request = json.bind(command, args, handler.requestType());
        trace.ran = true;
        return handler.handle(request);
    }

    /**
     * The command name of a request, without running it, so that a route can decide where to run it.
     *
     * @param request the request text
     * @return the value of {@code command}, or null if the request is not within the limits, not an object or has
     *         no textual command (then {@link #dispatch} answers it with the error)
     */
    public String commandOf(String request) {
        if (request == null || request.isBlank()) {
            return null;
        }
        try {
            limits.check(request, "request");
            JsonNode node = mapper.readTree(request);
            JsonNode c = node == null ? null : node.get("command");
            return c != null && c.isTextual() ? c.asText() : null;
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /**
     * @param command the command name, if known
     * @param id the request id, if known
     * @param code the error code
     * @param message what was wrong
     * @return an error reply
     */
    public String error(String command, String id, String code, String message) {
        return errorReply(command, id == null ? null : mapper.getNodeFactory().textNode(id), code, message);
    }

    private String errorReply(String command, JsonNode id, String code, String message) {
        return errorNode(command, id, code, message).toString();
    }

    private ObjectNode errorNode(String command, JsonNode id, String code, String message) {
        ObjectNode reply = header(false, command, id);
        ObjectNode error = reply.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return reply;
    }

    private ObjectNode header(boolean ok, String command, JsonNode id) {
        ObjectNode reply = mapper.createObjectNode();
        reply.put("ok", ok);
        if (command != null) {
            reply.put("command", command);
        }
        if (id != null) {
            // the id as sent: a string stays the same string, a number the same number
            reply.set("id", id);
        }
        return reply;
    }

    private static String kind(JsonNode node) {
        return node.isBoolean() ? "the boolean " + node.asText() : node.isArray() ? "an array" : node.isObject()
                ? "an object" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @param e what the JSON parser refused
     * @return what was wrong, in one line without the parser's internals (its source excerpt, the location of a
     *         start marker); the caller adds line and column
     */
    static String parserProblem(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null || m.isBlank()) {
            return "unreadable input";
        }
        if (m.startsWith("Trailing token")) {
            return "there is more text after the end of the request's JSON value";
        }
        for (String cut : new String[] {" (start marker at", " at [Source", "[Source:"}) {
            int i = m.indexOf(cut);
            if (i >= 0) {
                m = m.substring(0, i);
            }
        }
        m = m.replaceAll("\\s+", " ").trim();
        for (String object : new String[] {"Unexpected end-of-input: expected close marker for Object",
            "Unexpected end-of-input: expected close marker for OBJECT", "Unexpected end-of-input within/between Object "
                    + "entries"}) {
            m = m.replace(object, "the text ends inside an object (a '}' is missing)");
        }
        for (String array : new String[] {"Unexpected end-of-input: expected close marker for Array",
            "Unexpected end-of-input: expected close marker for ARRAY", "Unexpected end-of-input within/between Array "
                    + "entries"}) {
            m = m.replace(array, "the text ends inside an array (a ']' is missing)");
        }
        m = m.replace("Unexpected end-of-input", "the text ends too early");
        return m.isEmpty() ? "unreadable input" : m;
    }
}
