/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.ArrayList;
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
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.transport.PeerView;

/**
 * The {@link VmOrHostNameCompleter} is responsible for completing what {@code ha:why} takes: VM names from the
 * failover table of this node's agents, and host names (the agents' own and every peer they know).
 *
 * @author vmha - Initial contribution
 */
@Service
public class VmOrHostNameCompleter implements Completer {

    @Reference
    BundleContext bundleContext;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        SortedSet<String> names = new TreeSet<>();
        boolean tableSeen = false;
        for (List<String> known : LocalAgents.each(bundleContext, a -> {
            List<String> n = new ArrayList<>();
            n.add(a.host());
            for (PeerView p : a.peers()) {
                n.add(p.peer());
            }
            return n;
        })) {
            names.addAll(known);
        }
        // every agent holds the whole table: the first that answers is enough
        for (List<String> known : LocalAgents.each(bundleContext, a -> {
            List<String> n = new ArrayList<>();
            for (FailoverTableEntry e : a.replica().entries()) {
                n.add(e.vm());
            }
            return n;
        })) {
            if (!tableSeen) {
                names.addAll(known);
                tableSeen = true;
            }
        }
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
