/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.vmha.agent.AgentStatus;

/**
 * The {@link LocalAgents} is responsible for asking each HA agent of this node something, in host order,
 * leaving out an agent that is stopping meanwhile.
 *
 * @author vmha - Initial contribution
 */
final class LocalAgents {

    private LocalAgents() {
    }

    /**
     * @param context the bundle context to find the agents with
     * @param work what to ask each
     * @return the answers, in host order; empty when no agent runs here
     */
    static <T> List<T> each(BundleContext context, Function<AgentStatus, T> work) {
        List<ServiceReference<AgentStatus>> refs;
        try {
            refs = new ArrayList<>(context.getServiceReferences(AgentStatus.class, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        refs.sort((a, b) -> String.valueOf(a.getProperty(AgentStatus.HOST_PROPERTY))
                .compareTo(String.valueOf(b.getProperty(AgentStatus.HOST_PROPERTY))));
        List<T> out = new ArrayList<>();
        for (ServiceReference<AgentStatus> ref : refs) {
            AgentStatus a = context.getService(ref);
            if (a == null) {
                continue;
            }
            try {
                out.add(work.apply(a));
            } catch (IllegalStateException e) {
                // that agent is stopping: leave it out
            } finally {
                context.ungetService(ref);
            }
        }
        return out;
    }
}
