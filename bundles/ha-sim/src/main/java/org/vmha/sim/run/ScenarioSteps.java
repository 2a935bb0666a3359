/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.ArrayList;
import java.util.OptionalLong;

import org.vmha.api.command.reply.MaintenanceResult;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.core.inventory.Inventory;
import org.vmha.management.ManagementService;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link ScenarioSteps} is responsible for applying the events of a {@link Scenario} to a
 * {@link SimCluster} at their virtual times: host faults and lifecycle (power, network, storage, hangs,
 * agent pauses, hypervisor failures, maintenance), VM requests (power, migration, corrupt checkpoints) and
 * cluster faults (management service, broker). Each event is recorded as a {@code sim.*} event in the
 * {@link SimLog} with what it did or why it failed, and is followed by the {@link InvariantChecker}'s
 * {@code protected-vm-down-past-bound} check.
 * <p>
 * <b>Threading:</b> single-threaded, on the simulator's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class ScenarioSteps {

    private final SimCluster cluster;
    private final SimLog log;
    private final InvariantChecker invariants;

    /**
     * @param cluster the cluster the events act on
     * @param log where the events are recorded
     * @param invariants checked after every event
     */
    ScenarioSteps(SimCluster cluster, SimLog log, InvariantChecker invariants) {
        this.cluster = cluster;
        this.log = log;
        this.invariants = invariants;
    }

    /** Schedules every event of the scenario at its virtual time. */
    void scheduleAll() {
        for (Scenario.Event e : cluster.scenario.events()) {
            cluster.sched.schedule(e.atMillis(), () -> apply(e));
        }
    }

    /**
     * Applies one event now; a failure is recorded in its {@code sim.*} event's data.
     *
     * @param e the event
     */
    void apply(Scenario.Event e) {
        ObjectNode ev = log.record("sim." + (e.host() != null ? "host." : e.vm() != null ? "vm." : "cluster.")
                + e.action(), "scenario", e.host() != null ? e.host() : e.vm() != null ? e.vm() : "cluster");
        ObjectNode data = ev.putObject("data");
        data.put("event", e.index());
        try {
            if (e.host() != null) {
                hostEvent(e, data);
            } else if (e.vm() != null) {
                vmEvent(e, data);
            } else {
                clusterEvent(e);
            }
        } catch (RuntimeException ex) {
            data.put("error", String.valueOf(ex.getMessage()));
        }
        invariants.checkDown();
    }

    // ------------------------------------------------------------------ host events

    private void hostEvent(Scenario.Event e, ObjectNode data) {
        SimHost sh = cluster.hosts.get(e.host());
        if (sh == null && !e.action().equals("add")) {
            throw new IllegalStateException("host " + e.host() + " is not in the cluster yet: its 'add' comes later");
        }
        switch (e.action()) {
            case "add" -> addHost(e);
            case "power-off", "remove" -> powerOff(sh, e.action().equals("remove"));
            case "maintenance-on", "maintenance-off" -> maintenance(e, data);
            case "storage-hang" -> {
                sh.storage.hang(cluster.sched.nowMillis() + e.forMillis());
                data.put("until", sh.storage.hangUntil());
            }
            case "agent-pause" -> pauseAgent(sh, e, data);
            case "hypervisor-fail" -> {
                sh.faults.arm(e.op(), e.count());
                data.put("count", e.count());
                data.put("op", e.op());
            }
            case "power-on" -> powerOn(sh, data);
            case "network-off" -> setNetwork(sh, false);
            case "network-on" -> setNetwork(sh, true);
            case "storage-off" -> sh.storage.setUp(false);
            case "storage-on" -> sh.storage.setUp(true);
            default -> throw new IllegalStateException("unhandled host action " + e.action());
        }
    }

    private void addHost(Scenario.Event e) {
        SimHost n = new SimHost(e.host(), e.capacity(), cluster);
        cluster.hosts.put(n.name, n);
        // as ha:host-add: the agents accept a host's heartbeats once the management service names it
        ManagementService management = cluster.management;
        if (management != null && management.running()) {
            management.addHost(n.name, n.capacity);
        }
        n.startHypervisor();
        n.store.save(FailoverTable.EMPTY);
        n.startAgent();
    }

    private static void powerOff(SimHost sh, boolean remove) {
        if (sh.power == SimHost.Power.ON) {
            sh.crash();
        }
        sh.power = remove ? SimHost.Power.REMOVED : SimHost.Power.OFF;
    }

    private void maintenance(Scenario.Event e, ObjectNode data) {
        boolean on = e.action().equals("maintenance-on");
        MaintenanceResult r = cluster.requireManagement(e.action()).maintenance(e.host(), on);
        if (on) {
            cluster.maintenance.add(e.host());
        } else {
            cluster.maintenance.remove(e.host());
        }
        data.set("migrating", log.mapper().valueToTree(r.migrating()));
        data.set("stayed", log.mapper().valueToTree(r.stayed()));
    }

    private void pauseAgent(SimHost sh, Scenario.Event e, ObjectNode data) {
        if (sh.power != SimHost.Power.ON) {
            data.put("ignored", "host is off");
            return;
        }
        sh.runtime.pause(cluster.sched.nowMillis() + e.forMillis());
        data.put("until", sh.runtime.blockedUntil());
    }

    private static void powerOn(SimHost sh, ObjectNode data) {
        if (sh.power == SimHost.Power.ON) {
            data.put("ignored", "host is already on");
            return;
        }
        if (sh.power == SimHost.Power.REMOVED) {
            data.put("ignored", "host was removed");
            return;
        }
        sh.power = SimHost.Power.ON;
        sh.startHypervisor();
        sh.startAgent();
    }

    private void setNetwork(SimHost sh, boolean up) {
        sh.network = up;
        cluster.transport.setNetwork(sh.name, up);
    }

    // ------------------------------------------------------------------ VM events

    private void vmEvent(Scenario.Event e, ObjectNode data) {
        SimVm vm = cluster.vms.get(e.vm());
        switch (e.action()) {
            case "migrate" -> {
                // an operator's request: it goes through the management service, as in the product
                data.put("to", e.to());
                FailoverTableEntry m = cluster.requireManagement("migrate").migrate(vm.lun, e.to());
                data.put("from", m.currentHost());
            }
            case "corrupt-checkpoint" -> {
                OptionalLong seq = cluster.shared.corruptLatestCheckpoint(vm.lun);
                if (seq.isPresent()) {
                    data.put("sequence", seq.getAsLong());
                } else {
                    data.put("ignored", "no checkpoint yet");
                }
            }
            case "power-off" -> powerOffVm(vm, e, data);
            default -> powerOnVm(vm, e, data);
        }
    }

    private void powerOffVm(SimVm vm, Scenario.Event e, ObjectNode data) {
        vm.desiredOn = false;
        vm.downSince = -1;
        cluster.down.remove(vm.name);
        for (String h : new ArrayList<>(vm.runningOn)) {
            SimHost sh = cluster.hosts.get(h);
            if (sh.agent != null && sh.power == SimHost.Power.ON) {
                onAgent(sh, e, data, () -> {
                    sh.agent.powerOffVm(vm.lun);
                    vm.poweredOff = !vm.desiredOn;
                }, () -> {
                    // the agent could not power it off: it runs on, as the cluster knows
                    if (!vm.runningOn.isEmpty()) {
                        vm.desiredOn = true;
                    }
                });
            } else {
                sh.hv.powerOff(vm.lun);
            }
        }
    }

    private void powerOnVm(SimVm vm, Scenario.Event e, ObjectNode data) {
        if (!vm.runningOn.isEmpty()) {
            data.put("ignored", "already running on " + vm.runningOn.first());
            return;
        }
        String target = powerOnTarget(vm);
        if (target == null) {
            throw new IllegalStateException("no host is on to power " + vm.name + " on");
        }
        data.put("host", target);
        vm.desiredOn = true;
        vm.poweredOff = false;
        cluster.coldStart.put(vm.lun, "power-on");
        SimHost th = cluster.hosts.get(target);
        onAgent(th, e, data, () -> th.agent.powerOnVm(vm.lun), () -> {
        });
    }

    /** @return its inventory host if that is on and not in maintenance, else the lowest-named such host, or null */
    private String powerOnTarget(SimVm vm) {
        Inventory.InventoryVm iv = cluster.scenario.inventory().vms().stream().filter(v -> v.name().equals(vm.name))
                .findFirst().orElseThrow();
        if (iv.host() != null && cluster.hosts.containsKey(iv.host())
                && cluster.hosts.get(iv.host()).power == SimHost.Power.ON && !cluster.maintenance.contains(iv.host())) {
            return iv.host();
        }
        for (SimHost h : cluster.hosts.values()) {
            if (h.power == SimHost.Power.ON && !cluster.maintenance.contains(h.name)) {
                return h.name;
            }
        }
        return null;
    }

    /**
     * Runs a scenario request on a host's agent thread: now, or once the thread is free again (the request
     * waits in its queue, as an operator command would); a deferred request's failure is recorded then.
     */
    private void onAgent(SimHost sh, Scenario.Event e, ObjectNode data, Runnable request, Runnable onFailure) {
        AgentRuntime rt = sh.runtime;
        boolean[] now = {true};
        boolean ran = rt.execute(() -> {
            try {
                request.run();
            } catch (RuntimeException ex) {
                onFailure.run();
                if (now[0]) {
                    throw ex;
                }
                ObjectNode late = log.record("sim.vm." + e.action(), "scenario", e.vm());
                ObjectNode d = late.putObject("data");
                d.put("deferred", true);
                d.put("error", String.valueOf(ex.getMessage()));
                d.put("event", e.index());
            }
        });
        now[0] = false;
        if (!ran) {
            data.put("deferredUntil", rt.blockedUntil());
        }
    }

    // ------------------------------------------------------------------ cluster events

    private void clusterEvent(Scenario.Event e) {
        String action = e.action();
        switch (action) {
            case "management-off" -> {
                if (cluster.management != null) {
                    cluster.management.stop();
                    cluster.transport.endpoint(ManagementService.SOURCE).unsubscribe();
                }
            }
            case "management-on" -> {
                if (cluster.management == null || !cluster.management.running()) {
                    // fresh: as the product's service after a restart, from the inventory (version 1); else seeded
                    // with an agent's replica
                    FailoverTable t = e.fresh() ? cluster.inventoryTable : cluster.firstAgentTable();
                    cluster.maintenance.clear(); // a new service starts with no host in maintenance mode
                    cluster.startManagement(t);
                }
            }
            case "broker-off" -> cluster.transport.setBroker(false);
            case "broker-on" -> cluster.transport.setBroker(true);
            default -> throw new IllegalStateException("unhandled cluster action " + action);
        }
    }
}
