/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.ArrayList;
import java.util.List;

import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.core.inventory.Inventory;
import org.vmha.hypervisor.sim.SimulatedHypervisor;

/**
 * The {@link ClusterSetup} is responsible for building a {@link SimCluster} from its scenario's inventory at
 * time 0: a {@link SimHost} with its hypervisor per host, a volume with its hardware and lease per VM (the VMs
 * that are on start cold on their host), the inventory's failover table (version 1) in every host's replica
 * store, an agent on every host that is on, and the management service if the scenario has one.
 * <p>
 * <b>Threading:</b> single-threaded, on the simulator's thread; {@link #build()} once.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class ClusterSetup {

    private final SimCluster cluster;

    /** @param cluster the cluster to build, empty */
    ClusterSetup(SimCluster cluster) {
        this.cluster = cluster;
    }

    /** @return the lun used on the datastore for an inventory lun (the storage naming rule) */
    static String storageLun(String lun) {
        return lun.startsWith("lun-") ? lun : "lun-" + lun;
    }

    /** Builds the cluster of the inventory and starts its agents (and management service). */
    void build() {
        Inventory inv = cluster.scenario.inventory();
        for (Host h : inv.hosts()) {
            SimHost sh = new SimHost(h.name(), h.capacity(), cluster);
            sh.power = h.state() == HostState.REMOVED ? SimHost.Power.REMOVED : SimHost.Power.ON;
            cluster.hosts.put(h.name(), sh);
            sh.startHypervisor();
        }
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (Inventory.InventoryVm v : inv.vms()) {
            entries.add(provision(v));
        }
        FailoverTable table = new FailoverTable(1, entries);
        cluster.inventoryTable = table;
        for (SimHost sh : cluster.hosts.values()) {
            sh.store.save(table);
        }
        for (SimHost sh : cluster.hosts.values()) {
            if (sh.power == SimHost.Power.ON) {
                sh.startAgent();
            }
        }
        if (cluster.cfg.management()) {
            cluster.startManagement(table);
        }
    }

    /**
     * Puts a VM of the inventory on the datastore and, if it is on, starts it on its host.
     *
     * @return its entry in the inventory's table
     */
    private FailoverTableEntry provision(Inventory.InventoryVm v) {
        String vmId = storageLun(v.lun()).substring("lun-".length());
        // the datastore's own name object from here on: its lookups by name then compare references
        String lun = cluster.shared.provisionVolume(vmId).lun();
        SimVm sv = new SimVm(v.name(), lun, v.reservation(), v.ha() && v.toEntry().isProtected(), v.poweredOn());
        sv.poweredOff = !v.poweredOn();
        cluster.vms.put(v.name(), sv);
        cluster.byLun.put(lun, sv);
        Vmx vmx = vmx(v);
        String owner = v.poweredOn() ? v.host() : "provisioner";
        Lease lease = cluster.shared.acquireLease(lun, owner);
        cluster.shared.writeHardware(lun, lease.generation(), vmx);
        if (v.poweredOn()) {
            SimHost sh = cluster.hosts.get(v.host());
            cluster.coldStart.put(lun, "initial power-on");
            sh.hv.start(new StartRequest(v.name(), lun, vmx, lease.generation(), false));
        } else {
            cluster.shared.releaseLease(lease);
        }
        FailoverTableEntry e = v.toEntry();
        // the entry names its host by the host's own String object (equal text, one object): the
        // agents compare and hash these names millions of times, a shared object stays in cache
        SimHost current = e.currentHost() == null ? null : cluster.hosts.get(e.currentHost());
        return new FailoverTableEntry(e.vm(), lun, current == null ? e.currentHost() : current.name, null,
                e.priority(), e.reservation(), e.state(), lease.generation());
    }

    /** The VMX of a simulated VM: memory from the reservation, the simulated hypervisor's load equal to it. */
    private static Vmx vmx(Inventory.InventoryVm v) {
        return Vmx.builder()
                .memoryMb(Math.max(1, v.reservation().get(ResourceVector.MEMORY_MB)))
                .property(SimulatedHypervisor.LOAD_CPU_MHZ, Long.toString(v.reservation().get(ResourceVector.CPU_MHZ)))
                .property(SimulatedHypervisor.LOAD_MEMORY_MB,
                        Long.toString(v.reservation().get(ResourceVector.MEMORY_MB)))
                .build();
    }
}
