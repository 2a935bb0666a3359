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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vmha.core.command.CommandJson;
import org.vmha.api.command.reply.ClusterStatus;
import org.vmha.api.command.reply.Explanation;
import org.vmha.api.command.reply.HostExplanation;
import org.vmha.api.command.reply.MaintenanceResult;
import org.vmha.api.command.reply.HostSummary;
import org.vmha.api.command.reply.VmResult;
import org.vmha.api.command.request.WhatIfRequest;
import org.vmha.api.command.request.StatusRequest;
import org.vmha.api.command.request.MaintenanceRequest;
import org.vmha.api.command.request.HostRequest;
import org.vmha.api.command.request.HostAddRequest;
import org.vmha.api.command.request.SetRequest;
import org.vmha.api.command.request.MigrateRequest;
import org.vmha.api.command.request.VmRequest;
import org.vmha.api.command.request.WhyRequest;
import org.vmha.api.command.request.PowerOnRequest;
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

    /** The request and result types of the commands, as the real handlers declare them. */
    private static final Map<String, Class<? extends Record>> REQUESTS = Map.ofEntries(
            Map.entry("power-on", PowerOnRequest.class), Map.entry("power-off", VmRequest.class),
            Map.entry("migrate", MigrateRequest.class), Map.entry("set", SetRequest.class),
            Map.entry("host-add", HostAddRequest.class), Map.entry("host-remove", HostRequest.class),
            Map.entry("maintenance", MaintenanceRequest.class), Map.entry("why", WhyRequest.class),
            Map.entry("status", StatusRequest.class), Map.entry("what-if", WhatIfRequest.class));
    private static final Map<String, Class<?>> RESULTS = Map.ofEntries(Map.entry("power-on", VmResult.class),
            Map.entry("power-off", VmResult.class), Map.entry("migrate", VmResult.class),
            Map.entry("set", VmResult.class), Map.entry("host-add", HostSummary.class),
            Map.entry("host-remove", HostSummary.class), Map.entry("maintenance", MaintenanceResult.class),
            Map.entry("why", Explanation.class), Map.entry("status", ClusterStatus.class),
            Map.entry("what-if", ObjectNode.class));
    private static final ObjectMapper JSON = new CommandJson().mapper().copy()
            .configure(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS, true)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

    /**
     * Registers a handler of {@code command} with the real request type: it records each request as the JSON
     * object the NOC would send (absent fields left out) and answers with {@code answer}'s map bound to the real
     * result type.
     */
    void handler(String command, Answer answer) {
        ServiceReference<CommandHandler> ref = register(CommandHandler.class, new CommandHandler<Record, Object>() {
            @Override
            public String name() {
                return command;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Class<Record> requestType() {
                return (Class<Record>) REQUESTS.get(command);
            }

            @Override
            public Object handle(Record request) {
                Map<String, Object> args = new LinkedHashMap<>(JSON.convertValue(request,
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                        }));
                args.values().removeIf(java.util.Objects::isNull);
                if (request instanceof SetRequest set && SetRequest.UNPIN.equals(set.alternate())) {
                    args.put("alternate", null);
                }
                calls.computeIfAbsent(command, k -> new ArrayList<>()).add(args);
                Map<String, Object> result = answer.apply(args);
                // why answers a VM's Explanation or, without a "vm", a HostExplanation
                Class<?> type = "why".equals(command) && !result.containsKey("vm") ? HostExplanation.class
                        : RESULTS.get(command);
                return JSON.convertValue(result, type);
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
