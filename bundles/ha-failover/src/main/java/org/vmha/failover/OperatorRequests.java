/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;

/**
 * The {@link OperatorRequests} is responsible for carrying out the operators' requests that the table carries for
 * VMs this host runs (a power-off, or a migration whose source is this host), however they arrive: a delta, a full
 * table, another agent's anti-entropy round. A request whose delta was lost is therefore acted on as soon as any
 * copy of it arrives. It also tells the retry queue which VMs a delta settled.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class OperatorRequests {

    private final String host;
    private final LeaseKeeper leases;
    private final FailoverTableReplica replica;
    private final VmStops stops;
    private final Set<String> inFlight;
    private final PowerOperations power;
    private final HandOvers handOvers;
    private final RetryQueue retries;
    private final ScanEpochs epochs;
    private long actedAtChanges = -1;
    private int actedAtLeases = -1;

    /**
     * @param agent this host and the epochs moved when free capacity may have changed
     * @param leases this host's leases
     * @param replica the table replica
     * @param stops VMs being stopped
     * @param inFlight the volumes whose restart is in flight (read only)
     * @param power carries out power-offs
     * @param handOvers carries out migrations' source side
     * @param retries told which VMs a delta settled
     */
    OperatorRequests(AgentContext agent, LeaseKeeper leases, FailoverTableReplica replica, VmStops stops,
            Set<String> inFlight, PowerOperations power, HandOvers handOvers, RetryQueue retries) {
        this.host = agent.host();
        this.leases = leases;
        this.replica = replica;
        this.stops = stops;
        this.inFlight = inFlight;
        this.power = power;
        this.handOvers = handOvers;
        this.retries = retries;
        this.epochs = agent.epochs();
    }

    /** Carries out the requests the replica holds for VMs this host runs, if anything changed since the last look. */
    void actOnRequests() {
        if (leases.isEmpty() || (replica.changes() == actedAtChanges && leases.size() == actedAtLeases)) {
            return; // nothing new in the replica (or in what we hold) since the last look
        }
        actedAtChanges = replica.changes();
        actedAtLeases = leases.size();
        List<FailoverTableEntry> todo = null;
        for (String lun : leases.luns()) {
            FailoverTableEntry e = replica.entry(lun).orElse(null);
            if (e != null && host.equals(e.currentHost()) && (e.state() instanceof VmState.PoweredOff
                    || (e.state() instanceof VmState.Migrating m && host.equals(m.source())))
                    && !inFlight.contains(lun) && !stops.contains(lun)) {
                if (todo == null) {
                    todo = new ArrayList<>();
                }
                todo.add(e);
            }
        }
        if (todo == null) {
            return;
        }
        for (FailoverTableEntry e : todo) {
            if (!leases.holds(e.lun())) {
                continue;
            }
            if (e.state() instanceof VmState.Migrating m) {
                handOvers.handOver(e, m);
            } else {
                requestedPowerOff(e);
            }
        }
    }

    /**
     * Acts on the entries a delta changed in the replica.
     *
     * @param changed the entries the delta changed, in its order
     */
    void deltaApplied(List<FailoverTableEntry> changed) {
        for (FailoverTableEntry e : changed) {
            if (!(e.state() instanceof VmState.RestartPending)) {
                // a VM moved, stopped or started: free capacity may have changed
                epochs.capacityChanged();
            }
            if (host.equals(e.currentHost()) && leases.holds(e.lun()) && !inFlight.contains(e.lun())
                    && !stops.contains(e.lun())) {
                if (e.state() instanceof VmState.PoweredOff) {
                    requestedPowerOff(e);
                    continue;
                }
                if (e.state() instanceof VmState.Migrating m && host.equals(m.source())) {
                    handOvers.handOver(e, m);
                    continue;
                }
            }
            if (!host.equals(e.currentHost()) && leases.holds(e.lun()) && !inFlight.contains(e.lun())) {
                // someone else claims a VM we think we run: the lease decides at the next renewal
                continue;
            }
            if (!(e.state() instanceof VmState.RestartPending)) {
                retries.done(e.lun());
            }
        }
    }

    private void requestedPowerOff(FailoverTableEntry e) {
        // an operator's power-off through the management service: announced once the VM is gone
        power.powerOff(e.lun(), true);
    }
}
