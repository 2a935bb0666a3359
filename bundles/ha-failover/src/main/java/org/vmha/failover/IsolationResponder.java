/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.event.data.HostIsolated;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.StorageException;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.core.event.HostEvents;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link IsolationResponder} is responsible for this host's own isolation: it is isolated when no peer is heard
 * and neither the broker nor the isolation address is reachable. After the isolation delay it applies each VM's
 * isolation response (leave powered on, power off, shut down); a VM powered off or shut down gives its lease back
 * once the hypervisor confirms it gone, and once every stop completed the isolation marker naming the released VMs
 * is written and {@code HostIsolated} is published. When the isolation ends the marker is cleared.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class IsolationResponder {

    private final String host;
    private final AgentConfig config;
    private final PeerStates peers;
    private final ClusterTransport transport;
    private final GuardedAdapters adapters;
    private final LeaseKeeper leases;
    private final FailoverTableReplica replica;
    private final VmStops stops;
    private final ScanEpochs epochs;
    private final HostEvents events;
    /** The isolation response in progress: VMs still being stopped, and those whose lease was given back. */
    private final Set<String> stopping = new TreeSet<>();
    private final List<String> releasedLuns = new ArrayList<>();
    private final Map<String, String> actions = new TreeMap<>();
    private boolean reported;
    private boolean markerWritten;
    private long isolatedSince = -1;
    private boolean applied;

    /**
     * @param agent this host, its settings (isolation delay and responses), the peers' states (whether any peer is
     *        heard) and the epochs moved when this host's VMs change
     * @param transport whether the broker and the isolation address are reachable
     * @param adapters the datastore (isolation marker), behind the guard
     * @param leases the leases to give back
     * @param replica the VMs' own isolation responses
     * @param stops VMs being stopped
     * @param events where {@code HostIsolated} goes
     */
    IsolationResponder(AgentContext agent, ClusterTransport transport, GuardedAdapters adapters, LeaseKeeper leases,
            FailoverTableReplica replica, VmStops stops, HostEvents events) {
        this.host = agent.host();
        this.config = agent.config();
        this.peers = agent.peers();
        this.transport = transport;
        this.adapters = adapters;
        this.leases = leases;
        this.replica = replica;
        this.stops = stops;
        this.epochs = agent.epochs();
        this.events = events;
    }

    /** @return true while this host is isolated (before or after responding) */
    boolean isolated() {
        return isolatedSince >= 0;
    }

    /** @return true once this host applied its isolation response and is still isolated */
    boolean applied() {
        return applied;
    }

    /**
     * Detects the isolation, responds to it after the delay, reports it once the response completed, and clears
     * the marker when it ends.
     *
     * @param now current time
     */
    void check(long now) {
        boolean isolated = !peers.anyPeerHeard(now) && !transport.brokerReachable()
                && !transport.isolationAddressReachable();
        if (!isolated) {
            if (applied) {
                applied = false;
                epochs.localChanged();
                try {
                    adapters.runStorage("clearIsolationMarker", host,
                            () -> adapters.storage().clearIsolationMarker(host));
                } catch (StorageException | AdapterCallException e) {
                    // peers drop markers of alive hosts anyway
                }
            }
            isolatedSince = -1;
            return;
        }
        if (isolatedSince < 0) {
            isolatedSince = now;
        }
        if (!applied && now - isolatedSince >= config.isolationDelayMillis()) {
            respond(now);
        }
        if (applied && !reported && stopping.isEmpty()) {
            report(now);
        }
    }

    private void report(long now) {
        if (!releasedLuns.isEmpty() && !markerWritten) {
            String action = config.isolationResponse().wireName();
            List<String> luns = List.copyOf(new TreeSet<>(releasedLuns));
            try {
                adapters.runStorage("writeIsolationMarker", host,
                        () -> adapters.storage().writeIsolationMarker(new IsolationMarker(host, now, action, luns)));
                markerWritten = true;
            } catch (StorageException | AdapterCallException e) {
                // tried again at the next check: without the marker the peers would never restart the VMs
                // whose leases we gave back (if the datastore is gone for good they see us FAILED instead)
                return;
            }
        }
        reported = true;
        events.emit(host, new HostIsolated(host, List.copyOf(new TreeSet<>(releasedLuns)), new TreeMap<>(actions)));
    }

    /**
     * Applies each VM's isolation response. A VM that is powered off or shut down gives its lease back only once
     * the hypervisor confirms it is gone (a slow guest shutdown keeps its lease, and is powered off after the
     * shutdown timeout); the isolation marker naming the released VMs is written once every stop completed.
     */
    private void respond(long now) {
        applied = true;
        reported = false;
        markerWritten = false;
        releasedLuns.clear();
        actions.clear();
        stopping.clear();
        for (Lease l : new ArrayList<>(leases.held())) {
            FailoverTableEntry entry = replica.entry(l.lun()).orElse(null);
            String vm = entry == null ? l.lun() : entry.vm();
            // the VM's own setting (ha:vm-set --isolation-response, in the table) wins over the configuration
            IsolationResponse r = entry != null && entry.isolationResponse() != null ? entry.isolationResponse()
                    : config.isolationResponseFor(vm);
            actions.put(vm, r.wireName());
            if (r == IsolationResponse.LEAVE_POWERED_ON) {
                continue;
            }
            String lun = l.lun();
            stopping.add(lun);
            boolean began = stops.request(lun, VmStops.Purpose.ISOLATION, r == IsolationResponse.SHUTDOWN, now, 0,
                    () -> {
                        stopping.remove(lun);
                        Lease held = leases.remove(lun);
                        leases.disarm(lun);
                        epochs.localChanged();
                        if (held != null && leases.release(held)) {
                            releasedLuns.add(lun);
                        }
                    });
            if (!began) {
                stopping.remove(lun); // already being stopped for another reason, which completes it
            }
        }
    }
}
