/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.vmha.api.command.reply.Explanation;
import org.vmha.api.command.reply.HostExplanation;
import org.vmha.api.command.request.WhyRequest;
import org.vmha.api.transport.PeerView;
import org.vmha.core.command.CommandJson;

/**
 * The {@link WhyCommand} is responsible for {@code ha:why}: why a VM is where it is, or why it does not run,
 * in sentences: its state, its alternate and how it was chosen, what would happen if its host failed now,
 * and the last admission refusal. Given a host, it says its state, since when and who declared it, on which
 * evidence (each channel's last heartbeat, its isolation marker, the leases it holds, the VMs the table places on
 * it), and adds what each agent of this node sees of it (the {@code agents} of {@code --json}).
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "why", description = "Explains why a VM is where it is or was not restarted, or "
        + "why a host is in its state (since when, declared by whom, on which evidence)")
public class WhyCommand extends HaCommandSupport {

    @Argument(index = 0, name = "name", required = true, description = "The VM (name or lun) or the host")
    @Completion(VmOrHostNameCompleter.class)
    String name;

    @Option(name = "--host", description = "Look the name up among the hosts only (a host named like a VM)")
    boolean host;

    @Option(name = "--json", description = "Print the explanation as JSON, for scripts")
    boolean json;

    @Override
    protected Object doExecute() throws Exception {
        Object r = call("why", host ? new WhyRequest(null, name) : new WhyRequest(name, null), Object.class);
        if (r instanceof HostExplanation h) {
            printHost(h);
            return null;
        }
        Explanation e = (Explanation) r;
        if (json) {
            printJson(e);
            return null;
        }
        for (String line : e.reasons()) {
            out().println(text(line));
        }
        return null;
    }

    private void printHost(HostExplanation h) {
        List<Map<String, Object>> agents = new ArrayList<>();
        for (List<Map<String, Object>> rows : withAgents(a -> {
            List<Map<String, Object>> out = new ArrayList<>();
            if (a.host().equals(h.host())) {
                Map<String, Object> self = new LinkedHashMap<>();
                self.put("agent", a.host());
                self.put("status", "SELF");
                self.put("agentIsolated", a.isolated());
                self.put("agentStorageReachable", a.storageReachable());
                out.add(self);
            }
            for (PeerView v : a.peers()) {
                if (v.peer().equals(h.host())) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("agent", a.host());
                    r.put("status", v.status().name());
                    r.put("networkHeartbeatAgeMs", v.networkAgeMillis());
                    r.put("datastoreHeartbeatAgeMs", v.datastoreAgeMillis());
                    out.add(r);
                }
            }
            return out;
        })) {
            agents.addAll(rows);
        }
        if (json) {
            Map<String, Object> out = new CommandJson().mapper().convertValue(h,
                    new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {
                    });
            out.put("agents", agents);
            printJson(out);
            return;
        }
        for (String line : h.reasons()) {
            out().println(text(line));
        }
        if (agents.isEmpty()) {
            return;
        }
        out().println(text("What this node's agents see of " + h.host() + ":"));
        ShellTable t = new ShellTable();
        for (String c : List.of("Agent", "Sees it as", "Network heartbeat", "Datastore heartbeat")) {
            t.column(c);
        }
        for (Map<String, Object> a : agents) {
            if ("SELF".equals(a.get("status"))) {
                t.addRow().addContent(cells(a.get("agent"), "itself: " + (Boolean.TRUE.equals(a.get("agentIsolated"))
                        ? "isolated" : "not isolated"), "-", Boolean.TRUE.equals(a.get("agentStorageReachable"))
                                ? "own writes ok" : "own writes FAIL"));
            } else {
                t.addRow().addContent(cells(a.get("agent"), a.get("status"), ago(a.get("networkHeartbeatAgeMs")),
                        ago(a.get("datastoreHeartbeatAgeMs"))));
            }
        }
        t.print(out(), true);
    }

    private static String ago(Object millis) {
        return millis instanceof Number n && n.longValue() >= 0
                ? String.format(Locale.ROOT, "%.1f s ago", n.longValue() / 1000.0) : "never";
    }
}
