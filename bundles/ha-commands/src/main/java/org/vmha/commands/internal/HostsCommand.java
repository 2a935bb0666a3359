/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.vmha.api.command.request.StatusRequest;
import org.vmha.api.command.reply.HostSummary;
import org.vmha.api.command.reply.ClusterStatus;
import org.vmha.api.transport.PeerView;

/**
 * The {@link HostsCommand} is responsible for {@code ha:hosts}: each host's state, capacity, reserved
 * capacity and reported load (unknown for a FAILED host: its last one is stale), admission slots, VM count, and the
 * age of its last heartbeat on each channel as this node's agents see it (the freshest view among them).
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "hosts", description = "Lists the hosts: state, capacity, use, slots, heartbeat "
        + "age per channel, VMs")
public class HostsCommand extends HaCommandSupport {

    @Option(name = "--json", description = "Print the list as JSON, for scripts")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Override
    protected Object doExecute() throws Exception {
        ClusterStatus status = call("status", new StatusRequest(), ClusterStatus.class);
        Map<String, Integer> slots = status.admission().slotsPerHost() == null ? Map.of()
                : status.admission().slotsPerHost();
        // the freshest view of each peer among this node's agents; a local agent's own host is "local"
        Map<String, PeerView> seen = new TreeMap<>();
        List<String> local = new ArrayList<>();
        for (List<PeerView> views : withAgents(a -> {
            local.add(a.host());
            return a.peers();
        })) {
            for (PeerView v : views) {
                seen.merge(v.peer(), v, (x, y) -> x.networkAgeMillis() <= y.networkAgeMillis() ? x : y);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (HostSummary s : status.hosts()) {
            Map<String, Object> h = new LinkedHashMap<>();
            String name = s.host();
            h.put("host", name);
            h.put("state", s.state());
            h.put("capacity", s.capacity());
            h.put("reserved", s.reserved());
            h.put("load", s.load());
            h.put("vms", s.vms());
            h.put("heardAgoMs", s.heardAgoMs());
            h.put("slots", slots.get(name));
            h.put("localAgent", local.contains(name));
            PeerView v = seen.get(name);
            if (v != null) {
                h.put("peerStatus", v.status().name());
                h.put("networkHeartbeatAgeMs", v.networkAgeMillis());
                h.put("datastoreHeartbeatAgeMs", v.datastoreAgeMillis());
            }
            rows.add(h);
        }
        if (json) {
            printJson(rows);
            return null;
        }
        ShellTable t = new ShellTable().emptyTableText("no hosts");
        for (String c : List.of("Host", "State", "Capacity", "Reserved", "Load", "Slots", "VMs", "Net HB age",
                "Datastore HB age")) {
            t.column(c);
        }
        for (Map<String, Object> r : rows) {
            boolean self = Boolean.TRUE.equals(r.get("localAgent")) && !r.containsKey("networkHeartbeatAgeMs");
            t.addRow().addContent(cells(r.get("host"), r.get("state"), amounts(r.get("capacity")), amounts(r.get("reserved")),
                    r.get("load") == null ? "unknown" : amounts(r.get("load")), text(r.get("slots")), r.get("vms"),
                    self ? "local" : seconds(r.get("networkHeartbeatAgeMs")),
                    self ? "local" : seconds(r.get("datastoreHeartbeatAgeMs"))));
        }
        t.print(out(), !noFormat);
        return null;
    }

    /** @return {@code 16.0 GHz / 16.0 GiB} ({@link Readable#amounts}), "-" for none */
    private static String amounts(Object m) {
        return m instanceof Map<?, ?> map ? Readable.amounts(map) : "-";
    }
}
