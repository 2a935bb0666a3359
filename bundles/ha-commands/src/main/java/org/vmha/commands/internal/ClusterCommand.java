/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.ServiceReference;
import org.vmha.api.command.request.StatusRequest;
import org.vmha.api.command.reply.ClusterStatus;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventHistory;
import org.vmha.api.event.EventTypes;

/**
 * The {@link ClusterCommand} is responsible for {@code ha:cluster}: hosts up, down, in maintenance and
 * isolated; VMs protected, running and pending; the admission policy, whether its configured tolerance is met
 * ({@code slot: NOT MET: tolerates 1 of 2 host failures (used slots 19 > usable 16)}), the percentage policy's
 * reserved capacity or the dedicated policy's failover hosts, and the current failover capacity; and the last
 * failover this node saw.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "cluster", description = "Summarises the cluster: hosts, VMs, admission policy and "
        + "failover capacity, last failover")
public class ClusterCommand extends HaCommandSupport {

    @Option(name = "--json", description = "Print the summary as JSON, for scripts")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Override
    protected Object doExecute() throws Exception {
        ClusterStatus status = call("status", new StatusRequest(), ClusterStatus.class);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("tableVersion", status.tableVersion());
        // "hosts" is the shell's older name of the counts (the NOC's "hosts" is the list of ha:hosts); "hostCounts"
        // is the NOC's name, so a script reads both alike
        summary.put("hosts", status.hostCounts());
        summary.put("hostCounts", status.hostCounts());
        List<String> isolated = withAgents(a -> a.isolated() ? a.host() : null);
        isolated.removeIf(java.util.Objects::isNull);
        summary.put("isolatedLocalHosts", isolated);
        summary.put("vms", status.vms());
        summary.put("admission", status.admission());
        summary.put("lastFailover", lastFailover());
        if (json) {
            printJson(summary);
            return null;
        }
        Map<String, Integer> hosts = status.hostCounts();
        ClusterStatus.VmCounts vms = status.vms();
        ClusterStatus.Admission adm = status.admission();
        Map<String, Integer> byState = vms.byState();
        ShellTable t = new ShellTable();
        t.column("Item");
        t.column("Value");
        t.addRow().addContent(cells("Hosts up", hosts.get("connected")));
        t.addRow().addContent(cells("Hosts down", hosts.get("failed")));
        t.addRow().addContent(cells("Hosts in maintenance", hosts.get("maintenance")));
        t.addRow().addContent(cells("Hosts isolated (this node)", isolated.isEmpty() ? "0" : String.join(", ", isolated)));
        t.addRow().addContent(cells("VMs", vms.total()));
        t.addRow().addContent(cells("VMs protected", vms.protectedVms()));
        t.addRow().addContent(cells("VMs running", byState.containsKey("running") ? byState.get("running") : 0));
        t.addRow().addContent(cells("VMs restart pending", byState.containsKey("restart-pending") ? byState.get("restart-pending") : 0));
        t.addRow().addContent(cells("VMs powered off", byState.containsKey("powered-off") ? byState.get("powered-off") : 0));
        t.addRow().addContent(cells("Admission policy", adm.policy() + (adm.tolerance() != null ? ": " + adm.tolerance()
                : adm.hostFailures() != null ? " (tolerates " + adm.hostFailures() + " host failure(s))" : "")));
        if (adm.reservedPercent() != null) {
            t.addRow().addContent(cells("Reserved for failover", Readable.percents(adm.reservedPercent())));
        }
        if (adm.failoverHosts() != null) {
            List<String> hostStates = new java.util.ArrayList<>();
            adm.failoverHosts().forEach((host, state) -> hostStates.add(host + " " + state));
            t.addRow().addContent(cells("Failover hosts", String.join(", ", hostStates)));
        }
        if (adm.failoverCapacityHosts() != null) {
            Map<String, Integer> spare = adm.failoverCapacityPercent();
            t.addRow().addContent(cells("Failover capacity", adm.failoverCapacityHosts() + " host(s)"
                    + (spare == null || spare.isEmpty() ? "" : "; " + Readable.percents(spare))));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) summary.get("lastFailover");
        t.addRow().addContent(cells("Last failover", last == null ? "none seen by this node"
                : last.get("host") + " failed at " + last.get("time") + ", " + last.get("restarted") + " VM(s) restarted"));
        t.addRow().addContent(cells("Table version", status.tableVersion()));
        t.print(out(), !noFormat);
        return null;
    }

    private Map<String, Object> lastFailover() throws Exception {
        java.util.Collection<ServiceReference<EventHistory>> refs = bundleContext.getServiceReferences(EventHistory.class,
                null);
        if (refs.isEmpty()) {
            return null;
        }
        ServiceReference<EventHistory> ref = refs.iterator().next();
        EventHistory h = bundleContext.getService(ref);
        try {
            List<CloudEvent> failed = h.recent(1, EventTypes.HOST_FAILED);
            if (failed.isEmpty()) {
                return null;
            }
            CloudEvent f = failed.get(0);
            long restarted = h.recent(Integer.MAX_VALUE, EventTypes.VM_RESTARTED).stream()
                    .filter(e -> !e.time().isBefore(f.time())).count();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", f.subject());
            m.put("time", DateTimeFormatter.ISO_INSTANT.format(f.time()));
            m.put("restarted", restarted);
            return m;
        } finally {
            bundleContext.ungetService(ref);
        }
    }
}
