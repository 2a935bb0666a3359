/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.vmha.agent.AgentStatus;
import org.vmha.api.model.FailoverTableEntry;

/**
 * The {@link VmNameCompleter} is responsible for completing VM names from the failover table of this node's
 * agents.
 *
 * @author vmha - Initial contribution
 */
@Service
public class VmNameCompleter implements Completer {

    @Reference
    BundleContext bundleContext;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        SortedSet<String> names = new TreeSet<>();
        try {
            for (ServiceReference<AgentStatus> ref : bundleContext.getServiceReferences(AgentStatus.class, null)) {
                AgentStatus a = bundleContext.getService(ref);
                if (a != null) {
                    try {
                        for (FailoverTableEntry e : a.replica().entries()) {
                            names.add(e.vm());
                        }
                        break; // every agent holds the whole table
                    } catch (RuntimeException e) {
                        // a stopping agent: try the next
                    } finally {
                        bundleContext.ungetService(ref);
                    }
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
