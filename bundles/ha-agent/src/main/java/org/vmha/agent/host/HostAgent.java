/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;

import org.vmha.api.event.data.HostStopping;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.StorageException;
import org.vmha.api.time.TaskScheduler;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.PeerStatus;
import org.vmha.api.transport.PeerView;
import org.vmha.api.transport.TableUpdate;
import org.vmha.core.event.HostEvents;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.core.security.InboundGate;
import org.vmha.failover.AgentConfig;
import org.vmha.failover.FailoverService;
import org.vmha.failover.FailoverTableReplica;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.ReplicaStore;
import org.vmha.failover.RetryQueue;
import org.vmha.heartbeat.FailureDetector;
import org.vmha.heartbeat.HeartbeatService;

/**
 * The {@link HostAgent} is responsible for high availability on one host, with no master, by starting, ticking and
 * stopping its two functions in a fixed order:
 * <ul>
 * <li>the {@link HeartbeatService}: this host's heartbeats on the network and the datastore, the peers' on both
 * channels, the {@link FailureDetector} (checked four times per heartbeat interval) and the peers' state changes;</li>
 * <li>the {@link FailoverService}: leases and self-fencing, isolation responses, the failover scan and planning, the
 * bounded restart pipeline, power operations and hand-overs, the table replica.</li>
 * </ul>
 * A tick runs: every heartbeat interval the heartbeat and the failover side's heartbeat round (lease renewal, strays,
 * requests, anti-entropy); then the fenced VMs and stops, the detector's refresh, the isolation check, the peers'
 * changes, and the failover scan; then the replica is flushed. The order is part of the behaviour (ha-sim replays it
 * byte for byte).
 * <p>
 * <b>Threading:</b> not thread-safe. All methods, the scheduler's tasks and the listener callbacks must run on one
 * serial thread (the wiring hands transport messages to the agent's serial executor; the simulator is
 * single-threaded). Restarts run on the runtime's restart executor; their results come back through the scheduler.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class HostAgent implements ClusterListener {

    private static final int CHECKS_PER_INTERVAL = 4;

    private final String host;
    private final AgentConfig config;
    private final HostRuntime runtime;
    private final ReplicaStore store;
    private final HeartbeatService heartbeats;
    private final FailoverService failover;
    private final HostEvents events;
    private TaskScheduler.Cancellable timer;
    private boolean running;
    private long tick;
    private long tickFailures;
    private String lastTickFailure;
    private Consumer<RuntimeException> tickFailureListener = e -> {
    };

    /**
     * @param host this host's name
     * @param capacity what this host offers
     * @param config settings
     * @param runtime what the agent runs on (clock, transport, adapters, guard, watchdog, restart executor)
     * @param store where the table replica is persisted
     * @param planner the deterministic failover planner
     * @param peers the cluster's hosts known from configuration, with their capacities (may be empty:
     *        peers are learned from heartbeats)
     */
    public HostAgent(String host, ResourceVector capacity, AgentConfig config, HostRuntime runtime, ReplicaStore store,
            FailoverPlanner planner, Map<String, ResourceVector> peers) {
        this(host, capacity, config, runtime, store, planner, peers, HostFunctions.DEFAULT);
    }

    /**
     * The agent on the functions its bundles offer (the distribution's wiring).
     *
     * @param host this host's name
     * @param capacity what this host offers
     * @param config settings
     * @param runtime what the agent runs on (clock, transport, adapters, guard, watchdog, restart executor)
     * @param store where the table replica is persisted
     * @param planner the deterministic failover planner
     * @param peers the cluster's hosts known from configuration, with their capacities (may be empty)
     * @param functions make the heartbeat and the failover services
     */
    public HostAgent(String host, ResourceVector capacity, AgentConfig config, HostRuntime runtime, ReplicaStore store,
            FailoverPlanner planner, Map<String, ResourceVector> peers, HostFunctions functions) {
        ResourceVector offered = capacity == null ? ResourceVector.ZERO : capacity;
        this.host = host;
        this.config = config;
        this.runtime = runtime;
        this.store = store;
        this.events = new HostEvents(host, runtime.scheduler()::nowMillis, runtime.transport());
        this.heartbeats = functions.heartbeat().create(host, offered, peers, config.failureTimeoutMillis(),
                runtime.scheduler()::nowMillis, runtime.transport(), runtime.adapters(host), events);
        this.failover = functions.failover().create(host, offered, config, runtime, events, heartbeats,
                heartbeats::onHeartbeat, planner);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts the agent (once): recovers the replica from the persisted copy and the leases, adopts the VMs the
     * hypervisor runs under a lease this host still holds (fencing the others), subscribes and starts ticking.
     *
     * @throws IllegalArgumentException if the settings do not fit the datastore's lease duration, naming them
     */
    public void start() {
        long now = runtime.scheduler().nowMillis();
        List<String> problems = config.problemsWith(runtime.storage().leaseDurationMillis(), 0);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("agent " + host + " cannot start: " + String.join("; ", problems));
        }
        heartbeats.start(now);
        failover.start(now, store);
        heartbeats.addListener(failover.peerListener());
        running = true;
        ClusterTransport transport = runtime.transport();
        transport.subscribe(InboundGate.forAgent(host, heartbeats.members().keySet(), transport,
                runtime.scheduler()::nowMillis, failover.inbox()));
        heartbeat(now);
        timer = runtime.scheduler().schedule(0, this::onTick);
    }

    /**
     * Stops ticking and ignores further messages; VMs keep running (a crash is the hypervisor's). Their leases
     * are no longer renewed, so the watchdog, which outlives the agent, kills them at their deadlines unless the
     * hypervisor is closed first.
     */
    public void stop() {
        running = false;
        if (timer != null) {
            timer.cancel();
        }
        failover.stop();
    }

    // ------------------------------------------------------------------ planned stop

    /**
     * A planned stop of another host of this node begins: this agent restarts no VM of a peer any more (it stops
     * too, soon). Call on the agent's thread.
     */
    public void standDown() {
        failover.standDown();
    }

    /**
     * A planned stop of this host begins (call on the agent's thread): it stands down, announces
     * {@code host.stopping} naming its VMs, and powers them off, giving each lease back once the VM is gone; the
     * agent keeps ticking (heartbeats, renewals of the leases not given back yet) until {@link #finishLeave()}.
     *
     * @param handOver what becomes of the VMs: {@code survivors} or {@code with-node} ({@link HostStopping})
     */
    public void beginLeave(String handOver) {
        long now = runtime.scheduler().nowMillis();
        failover.standDown();
        events.emit(host, new HostStopping(host, List.copyOf(failover.leasedVms()), handOver, "planned stop"));
        failover.handOver(now);
    }

    /** @return true once every VM of this host is stopped and its lease given back */
    public boolean handedOverAll() {
        return failover.handedOverAll();
    }

    /**
     * Ends a planned stop (call on the agent's thread): stops ticking, then sends the leave message, this host's
     * last heartbeat, after which the peers take it as gone at once and resume its VMs.
     */
    public void finishLeave() {
        stop();
        heartbeats.leave(runtime.scheduler().nowMillis());
    }

    // ------------------------------------------------------------------ ticking

    private void onTick() {
        if (!running) {
            return;
        }
        try {
            long now = runtime.scheduler().nowMillis();
            if (tick % CHECKS_PER_INTERVAL == 0 && tick > 0) {
                heartbeat(now);
            }
            tick++;
            evaluate(now);
            failover.flush();
        } catch (RuntimeException e) {
            // a failing adapter or replica file must not end this host's heartbeats: peers would fail it over
            tickFailures++;
            lastTickFailure = e.toString();
            tickFailureListener.accept(e);
        } finally {
            if (running) {
                long every = Math.max(1, config.heartbeatIntervalMillis() / CHECKS_PER_INTERVAL);
                timer = runtime.scheduler().schedule(every, this::onTick);
            }
        }
    }

    private void heartbeat(long now) {
        heartbeats.beat(now);
        failover.heartbeatRound(now);
    }

    private void evaluate(long now) {
        failover.beforeRefresh(now);
        List<FailureDetector.Transition> changes = heartbeats.refresh(now);
        failover.afterRefresh(now);
        heartbeats.announce(changes, now, failover.isolated());
        failover.failover(now);
    }

    /**
     * @param listener told about each tick that failed with an exception (the agent goes on ticking), for a
     *        deployment's log; call before {@link #start()}
     */
    public void onTickFailure(Consumer<RuntimeException> listener) {
        this.tickFailureListener = listener;
    }

    /** @return how many ticks failed with an exception (the agent goes on ticking) */
    public long tickFailures() {
        return tickFailures;
    }

    /** @return the last exception a tick failed with, or null */
    public String lastTickFailure() {
        return lastTickFailure;
    }

    // ------------------------------------------------------------------ VM power operations

    /**
     * Powers a VM of this host off on request: the power-off is tried until the hypervisor confirms the VM is
     * gone, and only then is its lease released and the entry published as powered off (its capacity becomes
     * free). A VM that keeps running keeps its lease renewed.
     *
     * @param lun the VM's volume
     * @return true if it ran here
     */
    public boolean powerOffVm(String lun) {
        return failover.powerOffVm(lun);
    }

    /**
     * Powers a VM on here: acquires its lease and boots it fresh (a powered-off VM has no memory state
     * to resume).
     *
     * @param lun the VM's volume
     * @throws StorageException or {@link HypervisorException} if it cannot start, naming the VM
     */
    public void powerOnVm(String lun) {
        failover.powerOnVm(lun);
    }

    // ------------------------------------------------------------------ transport callbacks

    @Override
    public void onHeartbeat(HostHeartbeat hb) {
        failover.inbox().onHeartbeat(hb);
    }

    @Override
    public void onTable(TableUpdate update) {
        failover.inbox().onTable(update);
    }

    /**
     * @param a an entry
     * @param b another entry of the same VM
     * @return true if both entries are the same write: generation, revision, host and state (alternates aside)
     * @deprecated use {@link FailoverTableEntry#samePlacement(FailoverTableEntry)}
     */
    @Deprecated
    static boolean samePlacement(FailoverTableEntry a, FailoverTableEntry b) {
        return a.samePlacement(b);
    }

    // ------------------------------------------------------------------ views (tests, simulator)

    /** @return this host */
    public String host() {
        return host;
    }

    /** @return the replica */
    public FailoverTableReplica replica() {
        return failover.replica();
    }

    /** @return the retry queue */
    public RetryQueue retries() {
        return failover.retries();
    }

    /**
     * @param peer a peer
     * @return what this agent thinks of it
     */
    public PeerStatus peerStatus(String peer) {
        return heartbeats.status(peer, runtime.scheduler().nowMillis());
    }

    /** @return every peer's status and heartbeat age on each channel, by name */
    public List<PeerView> peerViews() {
        return heartbeats.views(runtime.scheduler().nowMillis());
    }

    /** @return the hosts in maintenance mode as of the management service's last full table */
    public Set<String> maintenanceHosts() {
        return failover.maintenanceHosts();
    }

    /** @return true once this host applied its isolation response and is still isolated */
    public boolean isolationApplied() {
        return failover.isolationApplied();
    }

    /** @return true while this host is isolated (before or after responding) */
    public boolean isolated() {
        return failover.isolated();
    }

    /** @return the volumes this agent holds leases on */
    public Set<String> leasedLuns() {
        return failover.leasedLuns();
    }

    /** @return restarts dispatched so far */
    public long restartsIssued() {
        return failover.restartsIssued();
    }

    /** @return true while the last datastore heartbeat write succeeded */
    public boolean storageReachable() {
        return heartbeats.storageReachable();
    }

    /** @return the hosts this agent knows, with their capacities */
    public SortedMap<String, ResourceVector> members() {
        return heartbeats.members();
    }
}
