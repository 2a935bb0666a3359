/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.inventory;

import java.util.ArrayList;
import java.util.List;

import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.admission.PolicySettings;

/**
 * The {@link Inventory} is responsible for a validated ha-plan inventory: hosts, VMs, the policy and
 * the requests to try in order.
 *
 * @param hosts hosts in input order
 * @param vms VMs in input order
 * @param policy the policy settings
 * @param requests the requests, in order
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record Inventory(List<Host> hosts, List<InventoryVm> vms, PolicySettings policy, List<Request> requests) {

    public Inventory {
        hosts = List.copyOf(hosts);
        vms = List.copyOf(vms);
        requests = List.copyOf(requests);
    }

    /**
     * One VM of the inventory.
     *
     * @param name unique name
     * @param lun volume id (defaults to the name)
     * @param reservation reservation
     * @param host current or registered host, may be {@code null} when powered off
     * @param poweredOn whether it runs
     * @param priority restart priority
     * @param ha whether HA protects it
     * @author vmha - Initial contribution
     */
    public record InventoryVm(String name, String lun, ResourceVector reservation, String host, boolean poweredOn,
            RestartPriority priority, boolean ha) {

        /** @return the failover table entry; an unprotected VM gets priority {@code DISABLED} */
        public FailoverTableEntry toEntry() {
            return new FailoverTableEntry(name, lun, host, null, ha ? priority : RestartPriority.DISABLED,
                    reservation, poweredOn ? VmState.RUNNING : VmState.POWERED_OFF, 0);
        }
    }

    /**
     * One request with its input form for the report.
     *
     * @param request the request
     * @param echo a short description, for example {@code {"powerOn":"VM6"}} as given
     * @author vmha - Initial contribution
     */
    public record Request(AdmissionRequest request, com.fasterxml.jackson.databind.JsonNode echo) {
    }

    /** @return the cluster snapshot the inventory describes */
    public ClusterSnapshot snapshot() {
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (InventoryVm vm : vms) {
            entries.add(vm.toEntry());
        }
        return new ClusterSnapshot(hosts, new FailoverTable(0, entries));
    }
}
