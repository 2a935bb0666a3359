/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.ClusterIndex;

/**
 * The {@link PowerRequests} is responsible for the operators' requests that move a VM: power on (the VM goes
 * {@code STARTING} on the requested host or on the connected host with most free memory that fits it and
 * that admission control accepts; that host's agent boots it under a new lease), power off (its agent stops
 * it and releases the lease) and migrate ({@code MIGRATING}: the source agent checkpoints, stops and releases
 * it, the destination resumes it from that checkpoint). Each is registered with HA as a table delta.
 * Refusals throw {@link CommandException} with a code and a sentence naming what was wrong.
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class PowerRequests {

    private final ClusterMembers members;
    private final TableCoordinator table;
    private final PlacementChecks checks;
    private final AdmissionDenials denials;
    private final LongSupplier clock;

    PowerRequests(ClusterMembers members, TableCoordinator table, PlacementChecks checks, AdmissionDenials denials,
            LongSupplier clock) {
        this.members = members;
        this.table = table;
        this.checks = checks;
        this.denials = denials;
        this.clock = clock;
    }

    /**
     * @param vm the VM's name or lun
     * @param host the host to start it on, or null to let the service choose
     * @return the entry as published
     * @throws CommandException NOT_FOUND, CONFLICT or ADMISSION_DENIED
     */
    FailoverTableEntry powerOn(String vm, String host) {
        FailoverTableEntry e = table.find(vm);
        if (e.state() instanceof VmState.RestartPending p) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is protected and waits for "
                    + "capacity (" + p.reason() + "); HA starts it as soon as a host has room");
        }
        if (e.state().consumesCapacity()) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is already "
                    + e.state().kind() + " on " + e.currentHost());
        }
        List<Host> hosts = members.hosts(clock.getAsLong());
        ClusterSnapshot snap = new ClusterSnapshot(members.admissionHosts(clock.getAsLong()), table.table());
        ClusterIndex index = ClusterIndex.of(snap);
        List<String> candidates = new ArrayList<>();
        if (host != null) {
            ClusterMembers.requireUsable(host, hosts, "power on VM " + e.vm());
            candidates.add(host);
        } else {
            candidates.addAll(PlacementChecks.byFreeMemory(index));
            if (candidates.isEmpty()) {
                throw denials.deny(e, "power-on", null, "no connected host outside maintenance mode");
            }
        }
        String reason = null;
        for (String c : candidates) {
            reason = checks.powerOnRefusal(e, c, index, snap);
            if (reason == null) {
                denials.clear(e.lun());
                return table.publishRequest(e.withPlacement(c, VmState.STARTING));
            }
        }
        throw denials.deny(e, "power-on", host, reason);
    }

    /**
     * @param vm the VM's name or lun
     * @return the entry as published
     * @throws CommandException NOT_FOUND or CONFLICT
     */
    FailoverTableEntry powerOff(String vm) {
        FailoverTableEntry e = table.find(vm);
        if (e.state() instanceof VmState.PoweredOff) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is already powered off");
        }
        if (e.state() instanceof VmState.Migrating m) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is migrating; power it off "
                    + "once it runs on " + m.dest());
        }
        return table.publishRequest(e.withPlacement(e.currentHost(), VmState.POWERED_OFF));
    }

    /**
     * @param vm the VM's name or lun
     * @param host the destination
     * @return the entry as published
     * @throws CommandException NOT_FOUND, CONFLICT or ADMISSION_DENIED
     */
    FailoverTableEntry migrate(String vm, String host) {
        FailoverTableEntry e = table.find(vm);
        if (!(e.state() instanceof VmState.Running)) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is " + e.state().kind()
                    + (e.currentHost() == null ? "" : " on " + e.currentHost()) + "; only a RUNNING VM can migrate");
        }
        List<Host> hosts = members.hosts(clock.getAsLong());
        ClusterMembers.requireUsable(host, hosts, "migrate VM " + e.vm());
        if (host.equals(e.currentHost())) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " already runs on " + host);
        }
        ClusterSnapshot snap = new ClusterSnapshot(members.admissionHosts(clock.getAsLong()), table.table());
        String refusal = checks.migrationRefusal(e, host, ClusterIndex.of(snap), snap);
        if (refusal != null) {
            throw denials.deny(e, "migrate", host, refusal);
        }
        return table.publishRequest(e.withPlacement(e.currentHost(), new VmState.Migrating(e.currentHost(), host)));
    }
}
