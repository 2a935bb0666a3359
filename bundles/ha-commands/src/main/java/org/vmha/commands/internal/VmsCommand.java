/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.ServiceReference;
import org.vmha.agent.AgentStatus;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link VmsCommand} is responsible for {@code ha:vms}: every VM of the failover table as this node's
 * agents see it (current and alternate host, priority, state, lease generation) and where a hypervisor of this
 * node actually runs it, with the checkpoint it resumed from. The table is the newest replica among the local
 * agents; every agent holds the whole table.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "vms", description = "Lists the VMs of the failover table: current and alternate "
        + "host, priority, state, lease generation, and where they run")
public class VmsCommand extends HaCommandSupport {

    @Option(name = "--json", description = "Print the list as JSON, for scripts")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Override
    protected Object doExecute() throws Exception {
        Collection<ServiceReference<AgentStatus>> refs = bundleContext.getServiceReferences(AgentStatus.class, null);
        if (refs.isEmpty()) {
            throw new IllegalStateException("no HA agent runs on this node (feature ha-agent, etc/org.vmha.agent-<host>.cfg)");
        }
        FailoverTable table = null;
        Map<String, List<String>> runningOn = new TreeMap<>();
        Map<String, Long> resumedFrom = new TreeMap<>();
        for (ServiceReference<AgentStatus> ref : refs) {
            AgentStatus agent = bundleContext.getService(ref);
            if (agent == null) {
                continue;
            }
            try {
                FailoverTable replica = agent.replica();
                if (table == null || replica.version() > table.version()) {
                    table = replica;
                }
                for (RunningVm vm : agent.runningVms()) {
                    runningOn.computeIfAbsent(vm.lun(), k -> new ArrayList<>()).add(agent.host());
                    resumedFrom.put(vm.lun(), vm.resumedFromCheckpoint());
                }
            } finally {
                bundleContext.ungetService(ref);
            }
        }
        Map<String, Long> restarts = restartsSeen();
        org.vmha.api.storage.StorageAdapter storage = null;
        ServiceReference<org.vmha.api.storage.StorageAdapter> sref = bundleContext
                .getServiceReference(org.vmha.api.storage.StorageAdapter.class);
        if (sref != null) {
            storage = bundleContext.getService(sref);
        }
        long now = System.currentTimeMillis();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FailoverTableEntry e : table == null ? List.<FailoverTableEntry>of() : table.entries()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("vm", e.vm());
            row.put("lun", e.lun());
            row.put("host", e.currentHost());
            row.put("alternate", e.alternateHost());
            row.put("priority", e.priority().name().toLowerCase(java.util.Locale.ROOT));
            row.put("state", e.state().kind());
            row.put("generation", e.generation());
            row.put("runningOn", new TreeSet<>(runningOn.getOrDefault(e.lun(), List.of())));
            row.put("resumedFromCheckpoint", resumedFrom.get(e.lun()));
            row.put("lastCheckpointAgeMs", checkpointAge(storage, e.lun(), now));
            row.put("restarts", restarts.getOrDefault(e.vm(), 0L));
            rows.add(row);
        }
        if (sref != null) {
            bundleContext.ungetService(sref);
        }
        PrintStream out = out();
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
            return null;
        }
        ShellTable t = new ShellTable().emptyTableText("the failover table is empty");
        for (String c : List.of("VM", "Host", "Alternate", "Priority", "State", "Lease gen", "Runs on", "Resumed from",
                "Checkpoint age", "Restarts")) {
            t.column(c);
        }
        for (Map<String, Object> r : rows) {
            Object resumed = r.get("resumedFromCheckpoint");
            t.addRow().addContent(cells(r.get("vm"), r.get("host"), r.get("alternate") == null ? "-" : r.get("alternate"),
                    r.get("priority"), r.get("state"), r.get("generation"),
                    String.join(",", toStrings(r.get("runningOn"))),
                    resumed == null ? "-" : ((Long) resumed < 0 ? "boot" : "checkpoint " + resumed),
                    r.get("lastCheckpointAgeMs") == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f s",
                            ((Long) r.get("lastCheckpointAgeMs")) / 1000.0), r.get("restarts")));
        }
        t.print(out, !noFormat);
        return null;
    }

    private static List<String> toStrings(Object set) {
        List<String> out = new ArrayList<>();
        for (Object o : (Collection<?>) set) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** @return restarts per VM among the events this node still holds (org.vmha.vm.restarted) */
    private Map<String, Long> restartsSeen() throws Exception {
        Map<String, Long> out = new TreeMap<>();
        ServiceReference<org.vmha.api.event.EventHistory> ref = bundleContext
                .getServiceReference(org.vmha.api.event.EventHistory.class);
        if (ref == null) {
            return out;
        }
        org.vmha.api.event.EventHistory h = bundleContext.getService(ref);
        try {
            if (h != null) {
                for (org.vmha.api.event.CloudEvent e : h.recent(Integer.MAX_VALUE,
                        org.vmha.api.event.EventTypes.VM_RESTARTED)) {
                    out.merge(e.subject(), 1L, Long::sum);
                }
            }
        } finally {
            bundleContext.ungetService(ref);
        }
        return out;
    }

    private static Long checkpointAge(org.vmha.api.storage.StorageAdapter storage, String lun, long now) {
        if (storage == null) {
            return null;
        }
        try {
            List<org.vmha.api.storage.CheckpointInfo> cps = storage.listCheckpoints(lun);
            return cps.isEmpty() ? null : Math.max(0, now - cps.get(cps.size() - 1).writtenAtMillis());
        } catch (RuntimeException e) {
            return null; // volume gone or datastore unreachable: no age to show
        }
    }
}
