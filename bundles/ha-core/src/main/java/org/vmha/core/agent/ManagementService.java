/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.core.time.TaskScheduler;
import org.vmha.core.transport.ClusterListener;
import org.vmha.core.transport.ClusterTransport;
import org.vmha.core.transport.TableUpdate;

/**
 * The {@link ManagementService} is responsible for the management side of the failover table: it
 * follows the agents' table updates and heartbeats, computes every protected VM's alternate host with
 * the {@link AlternateHostPlanner} over the hosts it hears, and publishes a full table with a new
 * version whenever the alternates change (and every {@code republishEvery} computations, so that a
 * host that was away catches up). It is optional: agents keep failing over without it, planning over
 * their replicas.
 * <p>
 * <b>Threading:</b> not thread-safe; like the agents, it runs on one serial thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ManagementService implements ClusterListener {

    /** The source name of its table updates. */
    public static final String SOURCE = "management";

    private final ClusterTransport transport;
    private final TaskScheduler scheduler;
    private final AlternateHostPlanner planner;
    private final long intervalMillis;
    private final long failureTimeoutMillis;
    private final int republishEvery;
    private final FailoverTableReplica replica = new FailoverTableReplica(ReplicaStore.inMemory());
    private final SortedMap<String, ResourceVector> capacities = new TreeMap<>();
    private final SortedMap<String, Long> lastHeard = new TreeMap<>();
    private TaskScheduler.Cancellable timer;
    private boolean running;
    private long computations;
    private long published;
    private Map<String, String> lastAlternates = Map.of();
    private List<Host> lastHosts;
    private long lastChanges = -1;
    private FailoverTable lastComputed;
    private Map<String, String> lastComputedAlternates;

    /**
     * @param transport its network endpoint
     * @param scheduler time
     * @param planner computes alternates
     * @param intervalMillis period of the computation
     * @param failureTimeoutMillis a host not heard for this long is left out of the alternates
     * @param republishEvery publish even an unchanged table every this many computations
     * @param initial the table to start from
     * @param hosts the configured hosts with their capacities
     */
    public ManagementService(ClusterTransport transport, TaskScheduler scheduler, AlternateHostPlanner planner,
            long intervalMillis, long failureTimeoutMillis, int republishEvery, FailoverTable initial,
            Map<String, ResourceVector> hosts) {
        if (intervalMillis < 1 || republishEvery < 1) {
            throw new IllegalArgumentException("management needs intervalMillis and republishEvery >= 1, was "
                    + intervalMillis + "/" + republishEvery);
        }
        this.transport = transport;
        this.scheduler = scheduler;
        this.planner = planner;
        this.intervalMillis = intervalMillis;
        this.failureTimeoutMillis = failureTimeoutMillis;
        this.republishEvery = republishEvery;
        replica.applyFull(Math.max(1, initial.version()), initial.entries());
        capacities.putAll(hosts);
    }

    /** Starts computing and publishing (hosts count as heard from now). */
    public void start() {
        long now = scheduler.nowMillis();
        for (String h : capacities.keySet()) {
            lastHeard.put(h, now);
        }
        running = true;
        transport.subscribe(this);
        timer = scheduler.schedule(0, this::compute);
    }

    /** Stops; agents keep working on their replicas. */
    public void stop() {
        running = false;
        if (timer != null) {
            timer.cancel();
        }
    }

    /** @return whether it runs */
    public boolean running() {
        return running;
    }

    /** @return full tables published */
    public long published() {
        return published;
    }

    private void compute() {
        if (!running) {
            return;
        }
        long now = scheduler.nowMillis();
        List<Host> hosts = new ArrayList<>();
        for (Map.Entry<String, ResourceVector> c : capacities.entrySet()) {
            boolean alive = now - lastHeard.getOrDefault(c.getKey(), Long.MIN_VALUE / 2) <= failureTimeoutMillis;
            hosts.add(new Host(c.getKey(), c.getValue(), alive ? HostState.CONNECTED : HostState.FAILED, false));
        }
        FailoverTable t;
        Map<String, String> alternates;
        if (hosts.equals(lastHosts) && replica.changes() == lastChanges) {
            // the planner is a deterministic function of the hosts and the table: same inputs, same result
            t = lastComputed;
            alternates = lastComputedAlternates;
        } else {
            lastHosts = hosts;
            lastChanges = replica.changes();
            t = planner.compute(new ClusterSnapshot(hosts, replica.table()), Map.of());
            alternates = new TreeMap<>();
            for (FailoverTableEntry e : t.entries()) {
                if (e.alternateHost() != null) {
                    alternates.put(e.lun(), e.alternateHost());
                }
            }
            lastComputed = t;
            lastComputedAlternates = alternates;
        }
        computations++;
        if (!alternates.equals(lastAlternates) || computations % republishEvery == 0) {
            lastAlternates = alternates;
            long version = replica.version() + 1;
            replica.applyFull(version, t.entries());
            transport.publishTable(new TableUpdate(SOURCE, version, true, replica.table().entries()));
            published++;
        }
        timer = scheduler.schedule(intervalMillis, this::compute);
    }

    @Override
    public void onHeartbeat(HostHeartbeat heartbeat) {
        if (!running) {
            return;
        }
        capacities.put(heartbeat.host(), heartbeat.capacity());
        lastHeard.put(heartbeat.host(), scheduler.nowMillis());
    }

    @Override
    public void onTable(TableUpdate update) {
        if (!running) {
            return;
        }
        if (update.full()) {
            replica.applyFull(update.version(), update.entries());
        } else {
            replica.applyDelta(update.source(), update.entries());
        }
    }
}
