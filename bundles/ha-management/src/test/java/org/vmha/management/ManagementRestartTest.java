/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.TableUpdate;
import org.vmha.agent.host.HostAgent;
import org.vmha.core.guard.DirectGuard;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.failover.AgentConfig;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.failover.ReplicaStore;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.testkit.VirtualScheduler;

/**
 * A management service restarted on the state it kept ({@link ManagementStateStore}), with real agents over the
 * in-memory transport in virtual time: the hosts operators added and removed, maintenance mode and the VMs' settings
 * stay, and its first full table goes out above the last version it issued.
 */
class ManagementRestartTest {

    private static final List<String> HOSTS = List.of("H1", "H2", "H3", "H4");

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), 3000);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final Map<String, SimulatedHypervisor> hvs = new TreeMap<>();
    private final Map<String, HostAgent> agents = new TreeMap<>();
    private final Map<String, ResourceVector> inventoryHosts = new TreeMap<>();
    private final List<TableUpdate> fulls = new ArrayList<>();
    private final ManagementStateStore store = ManagementStateStore.inMemory();
    private final List<String> errors = new ArrayList<>();
    private final Vmx vmx = new Vmx(1, 512, null, null, null, null);
    private FailoverTable inventory;
    private ManagementService mgmt;

    /** H1-H3 in the inventory, H4 runs an agent but is added by an operator; vm0..vm2 run on H1. */
    private void cluster() {
        Map<String, ResourceVector> caps = new TreeMap<>();
        for (String h : HOSTS) {
            caps.put(h, ResourceVector.of(4000, 4096));
            hvs.put(h, new SimulatedHypervisor(h, caps.get(h), storage, sched,
                    new SimulatedHypervisor.Settings(500, 2000, 100), null));
        }
        inventoryHosts.putAll(caps);
        inventoryHosts.remove("H4");
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String vm = "vm" + i;
            storage.provisionVolume(vm);
            Lease l = storage.acquireLease("lun-" + vm, "H1");
            storage.writeHardware("lun-" + vm, l.generation(), vmx);
            hvs.get("H1").start(new StartRequest(vm, "lun-" + vm, vmx, l.generation(), false));
            entries.add(new FailoverTableEntry(vm, "lun-" + vm, "H1", null, RestartPriority.MEDIUM,
                    ResourceVector.of(1000, 1200), VmState.RUNNING, l.generation()));
        }
        inventory = new FailoverTable(1, entries);
        for (String h : HOSTS) {
            ReplicaStore replica = ReplicaStore.inMemory();
            replica.save(inventory);
            HostAgent a = new HostAgent(h, caps.get(h), AgentConfig.DEFAULTS,
                    new HostRuntime(sched, transport.endpoint(h), storage, hvs.get(h), new DirectGuard(),
                            LeaseWatchdog.started(h, sched, hvs.get(h), 250), Runnable::run),
                    replica, new FailoverPlanner(), caps);
            agents.put(h, a);
            a.start();
        }
        transport.endpoint("watch").subscribe(new ClusterListener() {
            @Override
            public void onHeartbeat(HostHeartbeat heartbeat) {
            }

            @Override
            public void onTable(TableUpdate update) {
                if (update.full()) {
                    fulls.add(update);
                }
            }
        });
        mgmt = start();
        sched.runUntil(5_000);
    }

    /** @return a service on the inventory and the store, started */
    private ManagementService start() {
        ManagementService s = new ManagementService(transport.endpoint("management"), sched,
                new AlternateHostPlanner(32), 1000, 2500, 5, inventory, inventoryHosts, new StateKeeper(store, errors::add));
        s.start();
        return s;
    }

    private void restart() {
        mgmt.stop();
        transport.endpoint("management").unsubscribe();
        mgmt = start();
    }

    private long lastVersion() {
        return fulls.get(fulls.size() - 1).version();
    }

    private static List<String> names(List<HostView> hosts) {
        return hosts.stream().map(HostView::name).toList();
    }

    @Test
    void aRestartedServiceKeepsAddedAndRemovedHostsMaintenanceAndSettingsAndIssuesAboveItsLastVersion() {
        cluster();
        mgmt.addHost("H4", ResourceVector.of(4000, 4096));
        mgmt.removeHost("H3");
        mgmt.maintenance("H2", true);
        mgmt.set("vm1", RestartPriority.HIGH, null, null, null);
        mgmt.set("vm2", null, null, "H4", null);
        sched.runUntil(30_000);
        long before = lastVersion();
        int published = fulls.size();
        assertThat(before).isGreaterThan(5);

        restart();
        sched.runUntil(30_100);
        assertThat(fulls).as("the restarted service's first table").hasSizeGreaterThan(published);
        assertThat(fulls.get(published).version()).isEqualTo(before + 1);
        sched.runUntil(60_000);

        assertThat(errors).isEmpty();
        assertThat(names(mgmt.hosts())).as("H4 added, H3 removed, though H3's agent still sends heartbeats")
                .containsExactly("H1", "H2", "H4");
        assertThat(mgmt.hosts()).filteredOn(h -> h.name().equals("H2")).singleElement()
                .satisfies(h -> assertThat(h.state()).isEqualTo(HostState.MAINTENANCE));
        assertThat(mgmt.hosts()).filteredOn(h -> h.name().equals("H4")).singleElement()
                .satisfies(h -> assertThat(h.state()).isEqualTo(HostState.CONNECTED));
        assertThat(mgmt.pins()).containsEntry("lun-vm2", "H4");
        assertThat(mgmt.find("vm1").priority()).isEqualTo(RestartPriority.HIGH);
        for (String h : List.of("H1", "H2", "H4")) {
            HostAgent a = agents.get(h);
            assertThat(a.maintenanceHosts()).as("%s: maintenance mode survives", h).containsExactly("H2");
            assertThat(a.replica().entry("lun-vm1").orElseThrow().priority()).as(h).isEqualTo(RestartPriority.HIGH);
            assertThat(a.replica().entry("lun-vm2").orElseThrow().alternateHost()).as(h).isEqualTo("H4");
        }
        for (int i = 1; i < fulls.size(); i++) {
            assertThat(fulls.get(i).version()).as("table versions only increase").isGreaterThan(
                    fulls.get(i - 1).version());
        }
        assertThat(fulls.get(fulls.size() - 1).hosts()).containsExactly("H1", "H2", "H4");
    }

    @Test
    void aServiceRestartedWithoutAStateStartsAsItAlwaysDidAndCatchesUpWithTheAgents() {
        cluster();
        sched.runUntil(30_000);
        long before = lastVersion();
        mgmt.stop();
        transport.endpoint("management").unsubscribe();
        int published = fulls.size();
        mgmt = new ManagementService(transport.endpoint("management"), sched, new AlternateHostPlanner(32), 1000,
                2500, 5, inventory, inventoryHosts);
        mgmt.start();
        sched.runUntil(40_000);
        assertThat(fulls.get(published).version()).as("no state: from the inventory's version, as before")
                .isEqualTo(2);
        assertThat(lastVersion()).as("then above the agents'").isGreaterThan(before);
    }
}
