/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.lenient;
import static org.mockito.Mockito.mock;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.console.Session;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.vmha.agent.AgentStatus;
import org.vmha.api.command.CommandHandler;

/**
 * The {@link ShellFixture} is responsible for what a {@code ha:*} command meets in Karaf, without Karaf: a
 * {@link BundleContext} that finds the services registered here (command handlers by their {@code vmha.command}
 * property, agents by their host), a {@link Session} whose console is captured, and a record of every handler call.
 *
 * @author vmha - Initial contribution
 */
final class ShellFixture {

    final BundleContext context = mock(BundleContext.class);
    final Session session = mock(Session.class);
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Map<Class<?>, List<ServiceReference<?>>> refs = new HashMap<>();
    private final Map<ServiceReference<?>, Object> services = new HashMap<>();
    private final Map<ServiceReference<?>, String> commandOf = new HashMap<>();
    /** command name → the arguments of each call, in order */
    final Map<String, List<Map<String, Object>>> calls = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    ShellFixture() throws Exception {
        lenient().when(session.getConsole()).thenReturn(new PrintStream(console, true, StandardCharsets.UTF_8));
        doAnswer(inv -> {
            Class<?> type = inv.getArgument(0);
            String filter = inv.getArgument(1);
            List<ServiceReference<?>> found = new ArrayList<>();
            for (ServiceReference<?> r : refs.getOrDefault(type, List.of())) {
                if (filter == null || filter.equals("(" + HaCommandSupport.COMMAND_PROPERTY + "=" + commandOf.get(r) + ")")) {
                    found.add(r);
                }
            }
            return found;
        }).when(context).getServiceReferences(any(Class.class), any());
        doAnswer(inv -> services.get(inv.getArgument(0))).when(context).getService(any(ServiceReference.class));
        doAnswer(inv -> {
            Class<?> type = inv.getArgument(0);
            List<ServiceReference<?>> r = refs.getOrDefault(type, List.of());
            return r.isEmpty() ? null : r.get(0);
        }).when(context).getServiceReference(any(Class.class));
    }

    /** Registers {@code service} as a {@code type} service, with {@code property=value} (may be null). */
    @SuppressWarnings("unchecked")
    <T> ServiceReference<T> register(Class<T> type, T service, String property, Object value) {
        ServiceReference<T> ref = mock(ServiceReference.class);
        if (property != null) {
            lenient().when(ref.getProperty(property)).thenReturn(value);
        }
        refs.computeIfAbsent(type, k -> new ArrayList<>()).add(ref);
        services.put(ref, service);
        return ref;
    }

    /** Registers the handler of {@code command}, which records each call and answers with {@code result}. */
    void handler(String command, Map<String, Object> result) {
        handler(command, args -> result);
    }

    /** What a handler answers to its arguments (or throws). */
    interface Answer {
        Map<String, Object> apply(Map<String, Object> args);
    }

    void handler(String command, Answer answer) {
        ServiceReference<CommandHandler> ref = register(CommandHandler.class, new CommandHandler() {
            @Override
            public String name() {
                return command;
            }

            @Override
            public Map<String, Object> handle(Map<String, Object> args) {
                calls.computeIfAbsent(command, k -> new ArrayList<>()).add(new LinkedHashMap<>(args));
                return answer.apply(args);
            }
        }, HaCommandSupport.COMMAND_PROPERTY, command);
        commandOf.put(ref, command);
    }

    /** Registers an agent of this node. */
    void agent(AgentStatus agent) {
        register(AgentStatus.class, agent, AgentStatus.HOST_PROPERTY, agent.host());
    }

    /** @return the command, with this fixture's session and bundle context */
    <C extends HaCommandSupport> C wire(C command) {
        command.session = session;
        command.bundleContext = context;
        return command;
    }

    /** @return what the command printed */
    String out() {
        return console.toString(StandardCharsets.UTF_8);
    }

    void resetOut() {
        console.reset();
    }
}
