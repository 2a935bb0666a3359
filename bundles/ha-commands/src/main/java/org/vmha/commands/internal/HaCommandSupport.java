/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.security.Principal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.security.auth.Subject;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.vmha.core.command.CommandJson;
import org.vmha.api.command.ArgumentException;
import org.vmha.agent.AgentStatus;
import org.vmha.api.audit.AuditEntry;
import org.vmha.api.audit.AuditLog;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link HaCommandSupport} is responsible for what the {@code ha:*} commands share: calling the
 * {@link CommandHandler} services that also serve the NOC (so both surfaces validate and answer alike),
 * reaching this node's agents, and printing JSON. Every {@link #call} is recorded in the node's {@link AuditLog}:
 * the session's user and channel, the command, its arguments, and the outcome (refused when it never reached the
 * handler: arguments the request refused, the management service away). What an operator got wrong fails the
 * command as one line {@code Error: <what>} without ANSI codes ({@link ShellError}); the commands implement
 * {@link #doExecute}.
 *
 * @author vmha - Initial contribution
 */
abstract class HaCommandSupport implements Action {

    /** Service property naming a handler's command (see the management component). */
    static final String COMMAND_PROPERTY = "vmha.command";

    /** Prints results as the NOC gets them (the same field names and omissions). */
    private static final ObjectMapper MAPPER = new CommandJson().mapper();

    /** Turns a request's JSON into plain Java for the audit log. */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Reference
    Session session;

    @Reference
    BundleContext bundleContext;

    /**
     * Runs the command ({@link #doExecute}); what an operator got wrong fails it as one line {@code Error: <what>},
     * without ANSI codes ({@link ShellError}).
     */
    @Override
    public final Object execute() throws Exception {
        try {
            return doExecute();
        } catch (RuntimeException e) {
            throw ShellError.of(e);
        }
    }

    /** @return what the command returns to the shell (null: it printed what it shows) */
    protected abstract Object doExecute() throws Exception;

    /** @return the console, escaping what could drive the terminal ({@link SafeConsole}) */
    PrintStream out() {
        return SafeConsole.wrap(session.getConsole());
    }

    /**
     * @param <R> the result type
     * @param command the handler's command name
     * @param request its request record
     * @param resultType the record (or JSON tree) the handler returns
     * @return its result
     * @throws IllegalStateException when no such handler runs on this node (the management service is stopped)
     */
    <R> R call(String command, Record request, Class<R> resultType) throws InvalidSyntaxException {
        return call(command, () -> request, resultType);
    }

    /**
     * Like {@link #call(String, Record, Class)}, with the request made here, so that arguments it refuses (an
     * {@link IllegalArgumentException} of {@code request}) are audited as refused too, with what the operator typed
     * ({@link #given}); the exception reaches the shell unchanged.
     *
     * @param <R> the result type
     * @param command the handler's command name
     * @param request makes its request record
     * @param resultType the record (or JSON tree) the handler returns
     * @return its result
     */
    <R> R call(String command, Supplier<? extends Record> request, Class<R> resultType) throws InvalidSyntaxException {
        Record r;
        try {
            r = request.get();
        } catch (ArgumentException e) {
            audit(command, given(), AuditEntry.REFUSED, CommandException.BAD_REQUEST, e.forCommand(command).getMessage());
            throw e;
        } catch (IllegalArgumentException e) {
            audit(command, given(), AuditEntry.REFUSED, CommandException.BAD_REQUEST, e.getMessage());
            throw e;
        }
        Map<String, Object> args = args(r);
        try {
            R result = dispatch(command, r, resultType);
            audit(command, args, AuditEntry.OK, null, null);
            return result;
        } catch (Refused e) {
            audit(command, args, AuditEntry.REFUSED, e.code, e.getMessage());
            throw e.shown;
        } catch (CommandException e) {
            audit(command, args, AuditEntry.ERROR, e.code(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            audit(command, args, AuditEntry.ERROR, CommandException.INTERNAL, String.valueOf(e.getMessage()));
            throw e;
        }
    }

    /** A command that never reached its handler: what the shell shows, and the code the audit log keeps. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;
        final RuntimeException shown;

        Refused(String code, RuntimeException shown) {
            super(shown.getMessage(), null, false, false);
            this.code = code;
            this.shown = shown;
        }
    }

    @SuppressWarnings("rawtypes")
    private <R> R dispatch(String command, Record request, Class<R> resultType) throws InvalidSyntaxException {
        Collection<ServiceReference<CommandHandler>> refs = bundleContext.getServiceReferences(CommandHandler.class,
                "(" + COMMAND_PROPERTY + "=" + command + ")");
        if (refs.isEmpty()) {
            throw new Refused(CommandException.UNAVAILABLE, new IllegalStateException("the management service does "
                    + "not run on this node (component org.vmha.management, feature ha-management): '" + command
                    + "' is not available"));
        }
        ServiceReference<CommandHandler> ref = refs.iterator().next();
        CommandHandler<?, ?> h = bundleContext.getService(ref);
        if (h == null) {
            throw new Refused(CommandException.UNAVAILABLE, new IllegalStateException("the management service "
                    + "stopped while '" + command + "' was called"));
        }
        try {
            return resultType.cast(invoke(h, command, request));
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    /**
     * Records one action in the node's {@link AuditLog} (none on the node: nothing is recorded, the command runs).
     */
    private void audit(String command, Map<String, Object> args, String outcome, String code, String message) {
        try {
            Collection<ServiceReference<AuditLog>> refs = bundleContext.getServiceReferences(AuditLog.class, null);
            if (refs == null || refs.isEmpty()) {
                return;
            }
            ServiceReference<AuditLog> ref = refs.iterator().next();
            AuditLog log = bundleContext.getService(ref);
            if (log == null) {
                return;
            }
            try {
                String[] caller = caller();
                log.record(new AuditEntry(null, caller[0], caller[1], command, AuditEntry.kindOf(command), args,
                        outcome, code, message));
            } finally {
                bundleContext.ungetService(ref);
            }
        } catch (InvalidSyntaxException | RuntimeException e) {
            // the audit log reports its own failures; the command's outcome stays what it was
        }
    }

    /**
     * @return the shell session's user (the JAAS subject's user principal: the SSH login, or the local console's
     *         {@code karaf.local.user}) and channel ({@value AuditEntry#SSH} for an SSH login, else
     *         {@value AuditEntry#SHELL})
     */
    @SuppressWarnings("removal")
    String[] caller() {
        Object s = session == null ? null : session.get(Subject.class.getName());
        Subject subject = s instanceof Subject x ? x : null;
        if (subject == null) {
            try {
                subject = Subject.getSubject(java.security.AccessController.getContext());
            } catch (RuntimeException | LinkageError e) {
                subject = null;
            }
        }
        String user = null;
        String channel = AuditEntry.SHELL;
        if (subject != null) {
            for (Principal p : subject.getPrincipals()) {
                String type = p.getClass().getSimpleName();
                if (user == null && type.equals("UserPrincipal")) {
                    user = p.getName();
                } else if (type.equals("ClientPrincipal") && p.getName() != null && p.getName().startsWith("ssh")) {
                    channel = AuditEntry.SSH;
                }
            }
        }
        if (user == null && session != null && session.get("USER") != null) {
            user = String.valueOf(session.get("USER"));
        }
        return new String[] {user, channel};
    }

    /** @return the request as the NOC would send it: its JSON arguments, absent ones left out */
    private static Map<String, Object> args(Record request) {
        try {
            Map<String, Object> m = PLAIN.convertValue(MAPPER.valueToTree(request),
                    new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {
                    });
            m.values().removeIf(java.util.Objects::isNull);
            return m;
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    /**
     * @return what the operator typed: this command's {@code @Argument} and {@code @Option} fields that are set, by
     *         name ({@code --} dropped)
     */
    Map<String, Object> given() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Class<?> c = getClass(); c != null && c != HaCommandSupport.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Argument a = f.getAnnotation(Argument.class);
                Option o = f.getAnnotation(Option.class);
                if (a == null && o == null) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    Object v = f.get(this);
                    if (v != null && !(v instanceof Boolean b && !b)) {
                        String name = a != null ? a.name() : o.name().replaceFirst("^-+", "");
                        out.put(name, v instanceof Number || v instanceof Boolean ? v : String.valueOf(v));
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // not readable: left out
                }
            }
        }
        return out;
    }

    private static <A extends Record> Object invoke(CommandHandler<A, ?> h, String command, Record request) {
        if (!h.requestType().isInstance(request)) {
            throw new Refused(CommandException.INTERNAL, new IllegalStateException("command '" + command + "' takes a "
                    + h.requestType().getSimpleName() + ", not a " + request.getClass().getSimpleName()));
        }
        try {
            return h.handle(h.requestType().cast(request));
        } catch (ArgumentException e) {
            throw e.forCommand(command);
        }
    }

    /** Runs {@code work} with each agent of this node, in host order; none: an empty list. */
    <T> List<T> withAgents(java.util.function.Function<AgentStatus, T> work) {
        return LocalAgents.each(bundleContext, work);
    }

    void printJson(Object value) {
        try {
            // JSON escapes C0 controls itself; the console escapes the rest (C1, bidi overrides)
            out().println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print as JSON: " + e.getMessage(), e);
        }
    }

    /** @return a value for a table cell or a sentence: escaped ({@link org.vmha.core.security.SafeText}), "-" for null */
    static String text(Object o) {
        return org.vmha.core.security.SafeText.of(o);
    }

    /** @return the cells escaped ({@link #text}), for {@code ShellTable.addRow().addContent(...)} */
    static Object[] cells(Object... values) {
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] instanceof Number ? values[i] : text(values[i]);
        }
        return out;
    }

    /** @return milliseconds as seconds with one decimal, "-" for a negative (never) value */
    static String seconds(Object millis) {
        if (!(millis instanceof Number n) || n.longValue() < 0) {
            return "-";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", n.longValue() / 1000.0);
    }
}
