/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.Optional;

import org.vmha.agent.host.HostAgent;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;
import org.vmha.hypervisor.sim.GuestImage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link SimReport} is responsible for the output document of a {@link Simulation} at its end: the
 * scenario's seed and end time, the state of every VM and host, the events and violations of the
 * {@link SimLog}, and the run's statistics.
 * <p>
 * <b>Threading:</b> single-threaded, on the simulator's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class SimReport {

    private final SimCluster cluster;
    private final SimLog log;

    /**
     * @param cluster the cluster as the run left it
     * @param log the run's record
     */
    SimReport(SimCluster cluster, SimLog log) {
        this.cluster = cluster;
        this.log = log;
    }

    /** @return the output document (seed, until, vms, hosts, events, violations, stats) */
    ObjectNode build() {
        ObjectNode root = log.mapper().createObjectNode();
        root.put("seed", cluster.scenario.seed());
        root.put("until", cluster.scenario.untilMillis());
        ArrayNode vmArr = root.putArray("vms");
        HostAgent observer = cluster.observer();
        for (SimVm v : cluster.vms.values()) {
            vm(vmArr.addObject(), v, observer);
        }
        ArrayNode hostArr = root.putArray("hosts");
        for (SimHost h : cluster.hosts.values()) {
            host(hostArr.addObject(), h);
        }
        root.set("events", log.events());
        root.set("violations", log.violations());
        ObjectNode stats = root.putObject("stats");
        stats.put("tasks", cluster.sched.executed());
        stats.put("messages", cluster.transport.sent());
        stats.put("messagesDropped", cluster.transport.dropped());
        stats.put("managementTables", cluster.management == null ? 0 : cluster.management.published());
        return root;
    }

    /** Writes a VM: where it runs with its guest's figures, or why it runs nowhere as the observer sees it. */
    private void vm(ObjectNode n, SimVm v, HostAgent observer) {
        n.put("name", v.name);
        String host = v.runningOn.isEmpty() ? null : v.runningOn.first();
        if (host != null) {
            n.put("host", host);
            n.put("state", "RUNNING");
            Optional<GuestImage> g = cluster.hosts.get(host).hv.guest(v.lun);
            g.ifPresent(img -> {
                n.put("counter", img.counter());
                n.put("boots", img.boots());
            });
        } else {
            n.putNull("host");
            Optional<FailoverTableEntry> e = observer == null ? Optional.empty() : observer.replica().entry(v.lun);
            VmState st = e.map(FailoverTableEntry::state).orElse(VmState.POWERED_OFF);
            if (!v.desiredOn) {
                n.put("state", "POWERED_OFF");
            } else if (st instanceof VmState.RestartPending p) {
                n.put("state", "RESTART_PENDING");
                n.put("reason", p.reason());
            } else if (st instanceof VmState.Failed f) {
                n.put("state", "FAILED");
                n.put("reason", f.reason());
            } else {
                n.put("state", "DOWN");
            }
        }
        n.put("restarts", v.restarts);
        if (v.resumedFrom >= 0) {
            n.put("resumedFromCheckpoint", v.resumedFrom);
        } else {
            n.putNull("resumedFromCheckpoint");
        }
    }

    /** Writes a host: its state, network, storage and how many VMs run on it. */
    private static void host(ObjectNode n, SimHost h) {
        n.put("name", h.name);
        n.put("state", state(h));
        n.put("network", h.network);
        n.put("storage", h.storage.up());
        n.put("runningVms", h.power == SimHost.Power.ON ? h.hv.listRunning().size() : 0);
    }

    private static String state(SimHost h) {
        if (h.power == SimHost.Power.REMOVED) {
            return "REMOVED";
        } else if (h.power == SimHost.Power.OFF) {
            return "POWERED_OFF";
        } else if (h.agent != null && h.agent.isolated()) {
            return "ISOLATED";
        }
        return "CONNECTED";
    }
}
