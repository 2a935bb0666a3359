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

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.vmha.api.transport.PeerView;

/**
 * The {@link PeersCommand} is responsible for {@code ha:peers}: what each HA agent of this node thinks of its peers,
 * from its own failure detector (status, age of the last heartbeat on the network and on the datastore), and whether
 * the agent considers itself isolated or has lost its datastore. It needs no management service, so it answers on
 * every node of a multi-host cluster, also while the management node is down.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "peers", description = "Lists what this node's agents think of their peers: status "
        + "and heartbeat age per channel, from each agent's own failure detector (no management service needed)")
public class PeersCommand extends HaCommandSupport {

    @Option(name = "--json", description = "Print the list as JSON, for scripts")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Override
    protected Object doExecute() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Map<String, Object>> agentRows : withAgents(a -> {
            boolean isolated = a.isolated();
            boolean storage = a.storageReachable();
            List<Map<String, Object>> out = new ArrayList<>();
            for (PeerView v : a.peers()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("agent", a.host());
                r.put("peer", v.peer());
                r.put("status", v.status().name());
                r.put("networkHeartbeatAgeMs", v.networkAgeMillis());
                r.put("datastoreHeartbeatAgeMs", v.datastoreAgeMillis());
                r.put("agentIsolated", isolated);
                r.put("agentStorageReachable", storage);
                out.add(r);
            }
            return out;
        })) {
            rows.addAll(agentRows);
        }
        if (rows.isEmpty() && withAgents(a -> a.host()).isEmpty()) {
            throw new IllegalStateException("no HA agent runs on this node (feature ha-agent, "
                    + "etc/org.vmha.agent-<host>.cfg)");
        }
        if (json) {
            printJson(rows);
            return null;
        }
        ShellTable t = new ShellTable().emptyTableText("this node's agents know no peers yet");
        for (String c : List.of("Agent", "Peer", "Status", "Network heartbeat", "Datastore heartbeat",
                "Agent isolated", "Agent datastore")) {
            t.column(c);
        }
        for (Map<String, Object> r : rows) {
            t.addRow().addContent(cells(r.get("agent"), r.get("peer"), r.get("status"),
                    age((Long) r.get("networkHeartbeatAgeMs")), age((Long) r.get("datastoreHeartbeatAgeMs")),
                    (Boolean) r.get("agentIsolated") ? "yes" : "no",
                    (Boolean) r.get("agentStorageReachable") ? "reachable" : "UNREACHABLE"));
        }
        t.print(out(), !noFormat);
        return null;
    }

    private static String age(long millis) {
        return String.format(Locale.ROOT, "%.1f s ago", millis / 1000.0);
    }
}
