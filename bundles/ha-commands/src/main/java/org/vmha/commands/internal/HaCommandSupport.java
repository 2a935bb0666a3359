/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.vmha.core.command.CommandJson;
import org.vmha.api.command.ArgumentException;
import org.vmha.agent.AgentStatus;
import org.vmha.api.command.CommandHandler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link HaCommandSupport} is responsible for what the {@code ha:*} commands share: calling the
 * {@link CommandHandler} services that also serve the NOC (so both surfaces validate and answer alike),
 * reaching this node's agents, and printing JSON.
 *
 * @author vmha - Initial contribution
 */
abstract class HaCommandSupport implements Action {

    /** Service property naming a handler's command (see the management component). */
    static final String COMMAND_PROPERTY = "vmha.command";

    /** Prints results as the NOC gets them (the same field names and omissions). */
    private static final ObjectMapper MAPPER = new CommandJson().mapper();

    @Reference
    Session session;

    @Reference
    BundleContext bundleContext;

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
    @SuppressWarnings("rawtypes")
    <R> R call(String command, Record request, Class<R> resultType) throws InvalidSyntaxException {
        Collection<ServiceReference<CommandHandler>> refs = bundleContext.getServiceReferences(CommandHandler.class,
                "(" + COMMAND_PROPERTY + "=" + command + ")");
        if (refs.isEmpty()) {
            throw new IllegalStateException("the management service does not run on this node (component "
                    + "org.vmha.management, feature ha-management): '" + command + "' is not available");
        }
        ServiceReference<CommandHandler> ref = refs.iterator().next();
        CommandHandler<?, ?> h = bundleContext.getService(ref);
        if (h == null) {
            throw new IllegalStateException("the management service stopped while '" + command + "' was called");
        }
        try {
            return resultType.cast(invoke(h, command, request));
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    private static <A extends Record> Object invoke(CommandHandler<A, ?> h, String command, Record request) {
        if (!h.requestType().isInstance(request)) {
            throw new IllegalStateException("command '" + command + "' takes a " + h.requestType().getSimpleName()
                    + ", not a " + request.getClass().getSimpleName());
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
