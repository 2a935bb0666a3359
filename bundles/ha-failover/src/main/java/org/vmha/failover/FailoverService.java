/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.heartbeat.PeerStateListener;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.transport.ClusterListener;
import org.vmha.core.event.HostEvents;
import org.vmha.core.guard.GuardedAdapters;
import org.vmha.core.plan.FailoverPlanner;

/**
 * The {@link FailoverService} is responsible for the failover executor of one host: it builds its parts and calls
 * them in the order one tick needs. Its parts, one job each:
 * <ul>
 * <li>{@link LeaseKeeper}: the leases held and their watchdog deadlines (fenced VMs);</li>
 * <li>{@link LeaseRenewer}, {@link StrayReconciler}, {@link LeaseLearner}: renewing them, adopting and stopping what
 * the hypervisor runs, learning the other hosts' leases;</li>
 * <li>{@link IsolationResponder}: this host's isolation and its response;</li>
 * <li>{@link PeerIsolationMarkers}, {@link PeerChanges}: the peers' isolation markers and state changes;</li>
 * <li>{@link FailoverScan} with {@link OrphanCollector}, {@link LeaseAudit}, {@link FailoverPlanning} and
 * {@link OrphanClaims}: what to restart and where;</li>
 * <li>{@link RestartPipeline} with {@link RestartAttempt} and {@link RestartCompletion}: the bounded restarts;</li>
 * <li>{@link PowerOperations}, {@link HandOvers}, {@link OperatorRequests}: operators' requests;</li>
 * <li>{@link ReplicaPublisher}, {@link AgentInbox}: the table replica out and in.</li>
 * </ul>
 * Most parts take this host, its settings, the peers' states and the scan epochs together, as one
 * {@link AgentContext}.
 * <p>
 * <b>Threading:</b> not thread-safe; every method runs on the agent's serial thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class FailoverService {

    private final String host;
    private final ResourceVector capacity;
    private final AgentConfig config;
    private final HostRuntime runtime;
    private final GuardedAdapters adapters;
    private final HostEvents events;
    private final PeerStates heartbeats;
    private final Consumer<HostHeartbeat> ingest;
    private final FailoverPlanner planner;
    private final ScanEpochs epochs = new ScanEpochs();
    private final AgentContext agent;
    private final VmStops stops;
    private final Set<String> inFlight = new HashSet<>();
    private final Set<String> inFlightView = Collections.unmodifiableSet(inFlight);
    private FailoverTableReplica replica;
    private RetryQueue retries;
    private ReplicaPublisher publisher;
    private LeaseKeeper leases;
    private LeaseLearner learner;
    private LeaseRenewer renewer;
    private StrayReconciler strays;
    private IsolationResponder isolation;
    private PeerIsolationMarkers markers;
    private PeerChanges peerChanges;
    private OperatorRequests requests;
    private HandOvers handOvers;
    private PowerOperations power;
    private AgentInbox inbox;
    private RestartPipeline pipeline;
    private FailoverScan scan;
    private boolean running;
    private PlannedStop plannedStop;
    private boolean leaving;

    /**
     * @param host this host
     * @param capacity what this host offers
     * @param config settings
     * @param runtime what the agent runs on
     * @param events where this host's events go
     * @param heartbeats the peers' states (the heartbeat function's service)
     * @param ingest takes the peers' network heartbeats, which the inbox hands over to the heartbeat function
     * @param planner the deterministic failover planner
     */
    public FailoverService(String host, ResourceVector capacity, AgentConfig config, HostRuntime runtime,
            HostEvents events, PeerStates heartbeats, Consumer<HostHeartbeat> ingest, FailoverPlanner planner) {
        this.host = host;
        this.capacity = capacity;
        this.config = config;
        this.runtime = runtime;
        this.adapters = runtime.adapters(host);
        this.events = events;
        this.heartbeats = heartbeats;
        this.ingest = ingest;
        this.planner = planner;
        this.agent = new AgentContext(host, config, heartbeats, epochs);
        this.stops = new VmStops(host, runtime.hypervisor(), runtime.guard(), adapters.hypervisorName(),
                config.shutdownTimeoutMillis());
    }

    /**
     * Builds the executor over the recovered replica and adopts the VMs the hypervisor runs under a lease this
     * host still holds (fencing the others).
     *
     * @param now the agent's start time
     * @param store where the table replica is persisted; it is recovered from there and from the leases (empty if
     *        that fails)
     */
    public void start(long now, ReplicaStore store) {
        retries = new RetryQueue(config.retryBaseMillis(), config.retryMaxMillis(), config.retryBudget());
        try {
            replica = adapters.storage("recover replica", host,
                    () -> FailoverTableReplica.recover(store, runtime.storage(), now));
        } catch (RuntimeException e) {
            replica = new FailoverTableReplica(store);
        }
        publisher = new ReplicaPublisher(host, replica, runtime.transport(), heartbeats, () -> leases.luns(),
                epochs::status);
        leases = new LeaseKeeper(config, adapters, runtime.watchdog(), epochs);
        learner = new LeaseLearner(adapters, replica, publisher, epochs);
        renewer = new LeaseRenewer(host, config, adapters, leases, learner, stops, epochs, inFlightView);
        strays = new StrayReconciler(host, config, adapters, leases, stops, epochs, inFlightView);
        isolation = new IsolationResponder(agent, runtime.transport(), adapters, leases, replica, stops, events);
        markers = new PeerIsolationMarkers(host, heartbeats, adapters, epochs);
        peerChanges = new PeerChanges(now, isolation::isolated, heartbeats, markers, publisher, epochs);
        handOvers = new HandOvers(host, adapters, leases, replica, publisher, epochs, heartbeats::heartbeatSeq);
        power = new PowerOperations(agent, runtime.scheduler()::nowMillis, adapters, leases, replica, publisher, stops,
                events);
        requests = new OperatorRequests(agent, leases, replica, stops, inFlightView, power, handOvers, retries);
        inbox = new AgentInbox(() -> running, ingest, heartbeats, replica, publisher, requests, epochs);
        wireRestarts();
        plannedStop = new PlannedStop(leases, stops, replica, publisher, epochs, inFlightView);
        strays.adopt(now);
        running = true;
    }

    private void wireRestarts() {
        RestartCompletion completion = new RestartCompletion(agent, leases, learner, publisher, retries, stops,
                events);
        RestartPipeline.Threads threads = new RestartPipeline.Threads(runtime.scheduler(), runtime.restartExecutor());
        pipeline = new RestartPipeline(agent, threads, replica, new RestartAttempt(host, adapters, leases), completion,
                leases, () -> running, inFlight);
        LeaseAudit audit = new LeaseAudit(host, config, heartbeats, adapters, learner);
        OrphanCollector collector = new OrphanCollector(host, heartbeats, replica, markers, audit, inFlightView,
                stops, adapters);
        FailoverPlanning planning = new FailoverPlanning(agent, planner, inbox::maintenanceHosts, replica, publisher,
                pipeline, retries, events);
        OrphanClaims claims = new OrphanClaims(agent, capacity, inbox::maintenanceHosts, replica, pipeline, retries);
        scan = new FailoverScan(agent, replica, audit, collector, planning, claims, pipeline, retries);
    }

    /** Stops acting on messages and completions, and flushes the replica; VMs keep running under their leases. */
    public void stop() {
        running = false;
        if (replica != null) {
            replica.flush();
        }
    }

    /** @return what the failover side does when a peer's state changes */
    public PeerStateListener peerListener() {
        return peerChanges;
    }

    /** @return what the transport delivers to this host */
    public ClusterListener inbox() {
        return inbox;
    }

    /**
     * The failover side of a heartbeat: renew the leases that are due, stop strays, carry out the operators'
     * requests, publish the hand-overs again and, every anti-entropy round, the replica's entries.
     *
     * @param now current time
     */
    public void heartbeatRound(long now) {
        renewer.renewDue(now);
        if (!renewer.everyRunningVmLeased()) {
            strays.stopStrays(now);
        }
        if (!plannedStop.standingDown()) {
            requests.actOnRequests();
        }
        handOvers.republish();
        if (heartbeats.heartbeatSeq() % config.antiEntropyHeartbeats() == 0) {
            publisher.antiEntropy();
        }
    }

    /**
     * Before the failure detector's refresh: take note of the fenced VMs and drive the stops in progress.
     *
     * @param now current time
     */
    public void beforeRefresh(long now) {
        leases.collectFenced();
        if (leaving) {
            plannedStop.handOver(now);
        }
        if (!stops.isEmpty()) {
            stops.drive(now, adapters.runningLuns());
        }
    }

    /**
     * After the refresh: this host's isolation, and whether a datastore path came back or went.
     *
     * @param now current time
     */
    public void afterRefresh(long now) {
        isolation.check(now);
        peerChanges.datastorePathsChecked();
    }

    /**
     * After the peers' changes were published: unless isolated (its view of the peers is worthless), read the
     * partitioned peers' isolation markers and run the failover scan.
     *
     * @param now current time
     */
    public void failover(long now) {
        if (isolation.isolated() || plannedStop.standingDown()) {
            return;
        }
        markers.read();
        scan.run(now);
    }

    /** Writes the replica to its store if it changed. */
    public void flush() {
        replica.flush();
    }

    // ------------------------------------------------------------------ planned stop

    /**
     * A planned stop begins: from now on this host restarts no VM of a peer and acts on no operator request; its own
     * VMs keep running until {@link #handOver(long)}.
     */
    public void standDown() {
        plannedStop.standDown();
    }

    /**
     * Powers off every VM this host runs under a lease and gives each lease back once the VM is gone, so that the
     * survivors resume it from its latest checkpoint at once; driven again at every tick until
     * {@link #handedOverAll()}.
     *
     * @param now current time
     */
    public void handOver(long now) {
        leaving = true;
        plannedStop.handOver(now);
    }

    /** @return true once no VM runs here under a lease and no start is in flight */
    public boolean handedOverAll() {
        return plannedStop.handedOverAll();
    }

    /** @return the VMs this host runs under a lease now, by name (a planned stop hands these over) */
    public java.util.SortedSet<String> leasedVms() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (String lun : leases.luns()) {
            out.add(replica.entry(lun).map(org.vmha.api.model.FailoverTableEntry::vm).orElse(lun));
        }
        return out;
    }

    // ------------------------------------------------------------------ operations

    /**
     * @param lun a VM's volume
     * @return true if it ran here
     * @see HostAgent#powerOffVm(String)
     */
    public boolean powerOffVm(String lun) {
        return power.powerOff(lun, false);
    }

    /**
     * @param lun a VM's volume
     * @see HostAgent#powerOnVm(String)
     */
    public void powerOnVm(String lun) {
        power.powerOn(lun);
    }

    // ------------------------------------------------------------------ views

    /** @return true while this host is isolated (before or after responding) */
    public boolean isolated() {
        return isolation.isolated();
    }

    /** @return true once this host applied its isolation response and is still isolated */
    public boolean isolationApplied() {
        return isolation.applied();
    }

    /** @return the replica */
    public FailoverTableReplica replica() {
        return replica;
    }

    /** @return the retry queue */
    public RetryQueue retries() {
        return retries;
    }

    /** @return the volumes this host holds leases on */
    public Set<String> leasedLuns() {
        return leases.luns();
    }

    /** @return restarts dispatched so far */
    public long restartsIssued() {
        return pipeline.restartsIssued();
    }

    /** @return the hosts in maintenance mode as of the management service's last full table */
    public Set<String> maintenanceHosts() {
        return inbox.maintenanceHosts();
    }
}
