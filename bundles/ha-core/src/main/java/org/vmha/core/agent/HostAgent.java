/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.agent;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseException;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.storage.LeaseRenewal;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageException;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.core.fence.LeaseWatchdog;
import org.vmha.core.guard.AdapterGuard;
import org.vmha.core.heartbeat.FailureDetector;
import org.vmha.api.transport.PeerStatus;
import org.vmha.core.plan.FailoverPlan;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.api.time.TaskScheduler;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link HostAgent} is responsible for high availability on one host, with no master:
 * <ol>
 * <li>every heartbeat interval it publishes a {@link HostHeartbeat} on the transport, writes a
 * datastore heartbeat, reads the peers' datastore heartbeats and renews the leases of its VMs;</li>
 * <li>it follows every peer on both channels with a {@link FailureDetector} (checked four times per
 * interval) and declares a peer failed when both are silent, partitioned when only the network
 * is;</li>
 * <li>it detects its own isolation (no peer heard, broker and isolation address unreachable) and,
 * after the isolation delay, applies each VM's isolation response; after power-off or shutdown it
 * releases the leases and writes an isolation marker;</li>
 * <li>it restarts the protected VMs of failed hosts (and those released by isolated hosts) that the
 * deterministic {@link FailoverPlanner} assigns to it over its table replica, highest priority first,
 * with bounded concurrency: acquire the lease (new generation), start from the VMX and the latest
 * complete checkpoint, publish {@code VmRestarted} and the table update;</li>
 * <li>VMs that fit nowhere become {@code RESTART_PENDING(reason)} and are retried through the
 * {@link RetryQueue} when capacity appears;</li>
 * <li>it keeps its {@link FailoverTableReplica} (full tables from the management service, deltas from
 * agents), persists it and recovers it with the leases when it starts again.</li>
 * </ol>
 * Every call into the storage and hypervisor adapters goes through the {@link AdapterGuard}.
 * <p>
 * <b>Threading:</b> not thread-safe. All methods, the scheduler's tasks and the listener callbacks
 * must run on one serial thread (the wiring hands transport messages to the agent's serial executor;
 * the simulator is single-threaded). Restarts run on the injected {@link Executor}; their results come
 * back through the scheduler.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class HostAgent implements ClusterListener {

    /** Name of the virtual host that holds the VMs to place during planning. */
    static final String ORPHANS = "~orphans";

    private static final int CHECKS_PER_INTERVAL = 4;

    /**
     * Heartbeat intervals between two failover scans when nothing the scan depends on changed: a safety net
     * only, since every input of the scan is in its change key.
     */
    private static final int SAFETY_SCAN_INTERVALS = 120;

    private final String host;
    private final ResourceVector capacity;
    private final AgentConfig config;
    private final TaskScheduler scheduler;
    private final ClusterTransport transport;
    private final StorageAdapter storage;
    private final HypervisorAdapter hypervisor;
    private final AdapterGuard guard;
    private final ReplicaStore store;
    private final FailoverPlanner planner;
    private final Executor restartExecutor;
    private final String storageName;
    private final String hvName;
    private final LeaseWatchdog watchdog;

    private final SortedMap<String, ResourceVector> members = new TreeMap<>();
    /** The same capacities for lookups on every received heartbeat (a hash lookup, not a tree walk). */
    private final Map<String, ResourceVector> memberIndex = new HashMap<>();
    private final SortedMap<String, Lease> leases = new TreeMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Deque<FailoverPlan.Placement> queue = new ArrayDeque<>();
    private long markersVersion;
    private long localVersion;
    private String lastScanKey = "";
    private long nextScanAt;
    private final Map<String, Set<String>> released = new TreeMap<>();
    /** VMs being stopped until the hypervisor confirms they are gone; their leases stay held (and renewed) meanwhile. */
    private final VmStops stops;
    /**
     * Leases acquired by restarts still in flight, by volume: the restart thread puts them as soon as it holds them,
     * the agent renews them while the VM starts, and the completion takes them over.
     */
    private final Map<String, Lease> inFlightLeases = new java.util.concurrent.ConcurrentHashMap<>();
    /** Volumes whose lease was lost while their start was in flight: the completion stops what started. */
    private final Set<String> lostWhileStarting = new HashSet<>();
    /** The isolation response in progress: VMs still being stopped, and those whose lease was given back. */
    private final Set<String> isolationStopping = new TreeSet<>();
    private final List<String> isolationReleased = new ArrayList<>();
    private final Map<String, Object> isolationActions = new TreeMap<>();
    private boolean isolationReported;
    private boolean isolationMarkerWritten;
    private long lastDatastoreEpoch;
    private boolean lastStorageReachable = true;
    private long nextLeaseAuditAt;
    private long staleFullAnswered = -1;
    private long unheldKey = -1;
    private long actedAtChanges = -1;
    private int actedAtLeases = -1;
    /**
     * Hand-overs this host made as a migration's source, by volume: published again at every heartbeat until the
     * replica shows the destination's new generation, because nobody else holds the VM meanwhile and a lost
     * hand-over would leave it down.
     */
    private final Map<String, HandOver> handOvers = new TreeMap<>();
    /** When each current orphan was first seen, by volume (see claimStuckOrphans). */
    private final Map<String, Long> orphanSince = new HashMap<>();

    private record HandOver(FailoverTableEntry entry, long sinceHeartbeat) {
    }

    /** Heartbeats a hand-over is published again at most (the destination failing is a failover by then). */
    private static final int HAND_OVER_REPUBLISH_HEARTBEATS = 300;
    private boolean noStrays;
    private List<FailoverTableEntry> unheldEntries;
    /** Hosts the management service has in maintenance mode (from its last full table). */
    private Set<String> maintenanceHosts = Set.of();
    private FailureDetector detector;
    private FailoverTableReplica replica;
    private RetryQueue retries;
    private TaskScheduler.Cancellable timer;
    private boolean running;
    private long tick;
    private long heartbeatSeq;
    private long tickFailures;
    private String lastTickFailure;
    private java.util.function.Consumer<RuntimeException> tickFailureListener = e -> {
    };
    private ResourceVector lastLoad = ResourceVector.ZERO;
    private long eventSeq;
    private long capacityEpoch;
    private long statusEpoch;
    private String planKey = "";
    private List<FailoverTableEntry> lastOwnEntries = List.of();
    private List<FailoverPlan.Placement> myPlacements = List.of();
    private long isolatedSince = -1;
    private boolean isolationApplied;
    private boolean storageReachable = true;
    private long restartsIssued;
    private long startedAt;

    /**
     * @param host this host's name
     * @param capacity what this host offers
     * @param config settings
     * @param scheduler time and timers
     * @param transport network channel (heartbeats, table, events)
     * @param storage the datastore (leases, checkpoints, datastore heartbeats, isolation markers)
     * @param hypervisor this host's hypervisor
     * @param guard every adapter call goes through it
     * @param store where the table replica is persisted
     * @param planner the deterministic failover planner
     * @param restartExecutor runs restarts (adapter calls); {@code Runnable::run} in the simulator
     * @param peers the cluster's hosts known from configuration, with their capacities (may be empty:
     *        peers are learned from heartbeats)
     * @param watchdog kills this host's VMs whose lease deadlines pass; runs on its own clock and thread, and
     *        its owner starts and stops it (it must outlive the agent while the hypervisor runs VMs)
     */
    public HostAgent(String host, ResourceVector capacity, AgentConfig config, TaskScheduler scheduler,
            ClusterTransport transport, StorageAdapter storage, HypervisorAdapter hypervisor, AdapterGuard guard,
            ReplicaStore store, FailoverPlanner planner, Executor restartExecutor, Map<String, ResourceVector> peers,
            LeaseWatchdog watchdog) {
        this.host = host;
        this.capacity = capacity == null ? ResourceVector.ZERO : capacity;
        this.config = config;
        this.scheduler = scheduler;
        this.transport = transport;
        this.storage = storage;
        this.hypervisor = hypervisor;
        this.guard = guard;
        this.store = store;
        this.planner = planner;
        this.restartExecutor = restartExecutor;
        this.watchdog = watchdog;
        this.storageName = "storage " + storage.type() + "@" + host;
        this.hvName = "hypervisor " + hypervisor.type() + "@" + host;
        this.stops = new VmStops(host, hypervisor, guard, hvName, config.shutdownTimeoutMillis());
        if (peers != null) {
            members.putAll(peers);
        }
        members.put(host, this.capacity);
        memberIndex.putAll(members);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts the agent: recovers the replica from the persisted copy and the leases, adopts the VMs
     * the hypervisor runs under a lease this host still holds (fencing the others), subscribes and
     * starts ticking.
     */
    public void start() {
        long now = scheduler.nowMillis();
        List<String> problems = config.problemsWith(storage.leaseDurationMillis(), 0);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("agent " + host + " cannot start: " + String.join("; ", problems));
        }
        startedAt = now;
        detector = new FailureDetector(host, config.failureTimeoutMillis());
        retries = new RetryQueue(config.retryBaseMillis(), config.retryMaxMillis(), config.retryBudget());
        try {
            replica = guard.call(storageName, "recover replica", host,
                    () -> FailoverTableReplica.recover(store, storage, now));
        } catch (RuntimeException e) {
            replica = new FailoverTableReplica(store);
        }
        for (String m : members.keySet()) {
            detector.track(m, now);
        }
        for (RunningVm vm : guard.call(hvName, "listRunning", host, hypervisor::listRunning)) {
            Optional<LeaseState> l = inspect(vm.lun());
            if (l.isPresent() && l.get().owner().equals(host) && l.get().generation() == vm.generation()
                    && l.get().isLive(now)) {
                leases.put(vm.lun(), new Lease(vm.lun(), host, vm.generation(), l.get().acquiredAtMillis(),
                        l.get().expiresAtMillis()));
                // what is left of the lease, on the watchdog's clock
                watchdog.arm(vm.lun(), vm.generation(),
                        watchdog.nowMillis() + l.get().expiresAtMillis() - now - config.fenceMarginMillis());
            } else {
                // not ours (any more): stopped, and tried again until the hypervisor confirms it is gone
                stops.request(vm.lun(), VmStops.Purpose.STRAY, false, now, 0, () -> localVersion++);
            }
        }
        running = true;
        transport.subscribe(org.vmha.core.security.InboundGate.forAgent(host, members.keySet(), transport, scheduler::nowMillis, this));
        heartbeat(now);
        timer = scheduler.schedule(0, this::onTick);
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
        if (replica != null) {
            replica.flush();
        }
    }

    // ------------------------------------------------------------------ ticking

    private void onTick() {
        if (!running) {
            return;
        }
        try {
            long now = scheduler.nowMillis();
            if (tick % CHECKS_PER_INTERVAL == 0 && tick > 0) {
                heartbeat(now);
            }
            tick++;
            evaluate(now);
            replica.flush();
        } catch (RuntimeException e) {
            // a failing adapter or replica file must not end this host's heartbeats: peers would fail it over
            tickFailures++;
            lastTickFailure = e.toString();
            tickFailureListener.accept(e);
        } finally {
            if (running) {
                timer = scheduler.schedule(Math.max(1, config.heartbeatIntervalMillis() / CHECKS_PER_INTERVAL),
                        this::onTick);
            }
        }
    }

    /**
     * @param listener told about each tick that failed with an exception (the agent goes on ticking), for a
     *        deployment's log; call before {@link #start()}
     */
    public void onTickFailure(java.util.function.Consumer<RuntimeException> listener) {
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

    private void heartbeat(long now) {
        heartbeatSeq++;
        ResourceVector load;
        try {
            load = guard.call(hvName, "usage", host, hypervisor::usage).used();
            lastLoad = load;
        } catch (RuntimeException e) {
            load = lastLoad; // a hypervisor that cannot report its load must not silence the heartbeat
        }
        transport.publishHeartbeat(new HostHeartbeat(host, heartbeatSeq, now, load, capacity));
        try {
            guard.call(storageName, "writeHeartbeat", host, () -> storage.writeHeartbeat(host, heartbeatSeq));
            List<HeartbeatRecord> beats = guard.call(storageName, "readHeartbeats", host, storage::readHeartbeats);
            for (HeartbeatRecord r : beats) {
                if (!r.host().equals(host)) {
                    detector.datastoreHeartbeat(r.host(), r.sequence(), now);
                }
            }
            storageReachable = true;
        } catch (StorageException | AdapterCallException e) {
            storageReachable = false;
        }
        renewLeases(now);
        reconcileStrays(now);
        actOnRequests();
        republishHandOvers();
        if (heartbeatSeq % config.antiEntropyHeartbeats() == 0) {
            publishOwnEntries();
            if (reporter(null)) {
                publishUnheldEntries();
            }
        }
    }

    /**
     * Stops every VM the hypervisor runs here that this agent holds no lease for, is not starting and is not
     * stopping already: a start that completed after its timeout, a VM left over from before a restart of the
     * agent, or one whose lease was taken over. Tried again until the hypervisor confirms it is gone.
     */
    private void reconcileStrays(long now) {
        if (noStrays) {
            return;
        }
        for (String lun : runningLuns()) {
            if (!leases.containsKey(lun) && !inFlight.contains(lun) && !inFlightLeases.containsKey(lun)
                    && !stops.contains(lun)) {
                stops.request(lun, VmStops.Purpose.STRAY, false, now, 0, () -> localVersion++);
            }
        }
    }

    /**
     * Carries out the operators' requests the replica holds for VMs this host runs (a power-off, or a migration
     * whose source is this host), however they arrived: a delta, a full table, another agent's anti-entropy
     * round. A request whose delta was lost is therefore acted on as soon as any copy of it arrives.
     */
    private void actOnRequests() {
        if (leases.isEmpty() || (replica.changes() == actedAtChanges && leases.size() == actedAtLeases)) {
            return; // nothing new in the replica (or in what we hold) since the last look
        }
        actedAtChanges = replica.changes();
        actedAtLeases = leases.size();
        List<FailoverTableEntry> todo = null;
        for (String lun : leases.keySet()) {
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
            if (!leases.containsKey(e.lun())) {
                continue;
            }
            if (e.state() instanceof VmState.Migrating m) {
                handOver(e, m);
            } else {
                requestedPowerOff(e);
            }
        }
    }

    private void republishHandOvers() {
        if (handOvers.isEmpty()) {
            return;
        }
        List<FailoverTableEntry> again = new ArrayList<>();
        for (java.util.Iterator<Map.Entry<String, HandOver>> it = handOvers.entrySet().iterator(); it.hasNext();) {
            HandOver h = it.next().getValue();
            FailoverTableEntry now = replica.entry(h.entry().lun()).orElse(null);
            if (now == null || !samePlacement(now, h.entry())
                    || heartbeatSeq - h.sinceHeartbeat() > HAND_OVER_REPUBLISH_HEARTBEATS) {
                it.remove(); // taken over by the destination (or changed by somebody else since)
            } else {
                again.add(now); // with whatever alternate the management service gave it since
            }
        }
        if (!again.isEmpty()) {
            transport.publishTable(new TableUpdate(host, replica.version(), false, again));
        }
    }

    /** @return true if both entries are the same write: generation, revision, host and state (alternates aside) */
    static boolean samePlacement(FailoverTableEntry a, FailoverTableEntry b) {
        return a.generation() == b.generation() && a.revision() == b.revision()
                && java.util.Objects.equals(a.currentHost(), b.currentHost()) && a.state().equals(b.state());
    }

    /**
     * @param excluded a host not to count (one that just returned, whose table is stale), or null
     * @return true if this host is the lowest-named alive host, {@code excluded} left out, and its datastore is
     *         reachable: the one that reports RESTART_PENDING and sends the whole replica to others
     */
    private boolean reporter(String excluded) {
        if (!storageReachable) {
            return false;
        }
        if (excluded == null) {
            return detector.noAlivePeerBefore(host);
        }
        for (String m : members.headMap(host).keySet()) {
            if (!m.equals(excluded) && detector.lastStatus(m) == PeerStatus.ALIVE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Publishes the whole replica as a delta: every receiver keeps, entry by entry, the newer of its own and this
     * one ({@link FailoverTableEntry#newerThan}), so entries nobody holds a lease for (powered off, pending,
     * failed) converge too. While the replica does not change the same immutable list goes out, which receivers
     * skip cheaply.
     */
    private void publishReplica() {
        List<FailoverTableEntry> all = replica.entries();
        if (!all.isEmpty()) {
            transport.publishTable(new TableUpdate(host, replica.version(), false, all));
        }
    }

    /**
     * The anti-entropy round of the reporter: the entries no lease holder re-publishes, those not running on an
     * alive host (powered off, pending, failed, moving, or placed on a host that is not alive), so that lost
     * updates of VMs nobody holds converge too. While neither the replica nor the peers' states change the same
     * immutable list goes out again, which receivers skip cheaply.
     */
    private void publishUnheldEntries() {
        long key = replica.changes() * 31 + statusEpoch;
        if (key != unheldKey || unheldEntries == null) {
            List<FailoverTableEntry> out = new ArrayList<>();
            for (FailoverTableEntry e : replica.entries()) {
                String h = e.currentHost();
                boolean held = e.state() instanceof VmState.Running && h != null
                        && (h.equals(host) || detector.lastStatus(h) == PeerStatus.ALIVE);
                if (!held) {
                    out.add(e);
                }
            }
            unheldEntries = List.copyOf(out);
            unheldKey = key;
        }
        if (!unheldEntries.isEmpty()) {
            transport.publishTable(new TableUpdate(host, replica.version(), false, unheldEntries));
        }
    }

    /**
     * Renews the leases that are due, and gives back those whose VM the hypervisor lost. A lease is due
     * when less than {@link #renewAheadMillis()} of it is left. Every successful renewal moves the lease's
     * watchdog deadline to {@code start + lease - fenceMargin}, {@code start} being the watchdog's clock read
     * <em>before</em> the call (the datastore's expiry is at least that late, however long the call took). A
     * renewal that fails or hangs moves nothing: the {@link LeaseWatchdog} kills the VM at the deadline on its own
     * thread, so self-fencing never waits on storage or on this thread. Leases of restarts still in flight are
     * renewed too. A lease refused because another host took the volume over is lost: its VM is stopped until the
     * hypervisor confirms it gone.
     */
    private void renewLeases(long now) {
        Set<String> runningHere = runningLuns();
        long renewAhead = renewAheadMillis();
        List<Lease> batch = new ArrayList<>(leases.size());
        List<Map.Entry<String, Lease>> slots = new ArrayList<>(leases.size());
        int leasedRunning = 0;
        for (Map.Entry<String, Lease> slot : leases.entrySet()) {
            Lease l = slot.getValue();
            String lun = slot.getKey();
            boolean runs = runningHere.contains(lun);
            if (runs) {
                leasedRunning++;
            }
            // the hypervisor-lost check runs every heartbeat: such a lease goes into the batch at once
            if (!inFlight.contains(lun) && (l.expiresAtMillis() - now <= renewAhead || (!runs && !stops.contains(lun)))) {
                batch.add(l);
                slots.add(slot);
            }
        }
        // every VM the hypervisor runs is one we hold a lease for: no stray to look for this heartbeat
        noStrays = leasedRunning == runningHere.size() && inFlight.isEmpty() && inFlightLeases.isEmpty();
        int owned = batch.size();
        if (!inFlightLeases.isEmpty()) {
            for (Lease l : new TreeMap<>(inFlightLeases).values()) {
                if (l.expiresAtMillis() - now <= renewAhead) {
                    batch.add(l);
                }
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        long started = watchdog.nowMillis();
        long deadlineAfter = storage.leaseDurationMillis() - config.fenceMarginMillis();
        // one datastore call for all of this host's leases; each lease's outcome is handled on its own
        List<LeaseRenewal> results = null;
        try {
            results = guard.call(storageName, "renewLeases", host, () -> storage.renewLeases(batch));
            if (results.size() != batch.size()) {
                results = null; // a broken answer counts as none: the deadlines stand
            }
        } catch (StorageException | AdapterCallException e) {
            // datastore unreachable or hung: nothing moves, the watchdog fences at the deadlines
        }
        if (results == null) {
            return;
        }
        // the renewed leases replace the old ones in place, before any removal below changes the map's structure (a
        // removal may move a tree entry, so the slots are only valid until then)
        for (int i = 0; i < owned; i++) {
            Lease renewed = results.get(i).renewed();
            if (renewed != null) {
                slots.get(i).setValue(renewed);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            Lease l = batch.get(i);
            boolean starting = i >= owned;
            Lease renewed = results.get(i).renewed();
            RuntimeException failure = results.get(i).failure();
            if (renewed != null) {
                watchdog.arm(l.lun(), renewed.generation(), started + deadlineAfter);
                if (starting) {
                    inFlightLeases.replace(l.lun(), l, renewed);
                    continue;
                }
                if (!runningHere.contains(l.lun()) && !stops.contains(l.lun())) {
                    // the hypervisor lost the VM (fenced or crashed guest): give the VM back to the cluster
                    releaseQuietly(renewed);
                    leases.remove(l.lun());
                    watchdog.disarm(l.lun());
                    localVersion++;
                }
            } else if (failure instanceof LeaseException) {
                // another host took the volume over: we were fenced off; stop our copy (the deadline stays armed
                // as the backstop) and learn where it runs now
                if (starting) {
                    inFlightLeases.remove(l.lun(), l);
                    lostWhileStarting.add(l.lun());
                } else {
                    leaseLost(l.lun(), now);
                }
                inspect(l.lun()).ifPresent(st -> learn(l.lun(), st, now));
            }
            // any other failure: the datastore is unreachable for this lease; the deadline stands
        }
    }

    /** A lease of ours was taken over: our copy of the VM goes, confirmed, and is no longer ours to renew. */
    private void leaseLost(String lun, long now) {
        leases.remove(lun);
        localVersion++;
        stops.request(lun, VmStops.Purpose.LEASE_LOST, false, now, 0, () -> {
            watchdog.disarm(lun);
            localVersion++;
        });
    }

    /**
     * {@link FailoverTableReplica#learnLease}, and more capacity may be free if the entry moved. The learned entry
     * is published: the lease's holder must know that the table says it runs the VM, so that it restarts the VM
     * itself if it does not (its start may have failed and its lease be on the way back).
     */
    private void learn(String lun, LeaseState lease, long now) {
        if (replica.learnLease(lun, lease, now)) {
            capacityEpoch++;
            replica.entry(lun).ifPresent(e -> transport.publishTable(new TableUpdate(host, replica.version(), false,
                    List.of(e))));
        }
    }

    /** Takes note of the VMs the watchdog killed because their deadlines passed. */
    private void collectFenced() {
        for (LeaseWatchdog.Fenced f : watchdog.drainFenced()) {
            Lease l = leases.get(f.lun());
            if (l != null && l.generation() == f.generation()) {
                // not released: the watchdog kills before the expiry, and the lease expires on its own; a release
                // would read to a peer like a deliberate stop (a powered-off VM is not restarted)
                leases.remove(f.lun());
                localVersion++;
                capacityEpoch++;
            }
        }
    }

    /**
     * @return how much of a lease may be left for it to be renewed: half the datastore's lease duration,
     *         but at least two heartbeat intervals. With 1 s heartbeats a 10 s lease is renewed when 4 s are
     *         left (four attempts before self-fencing, one datastore write per lease every 6 s instead of
     *         every second); ha-sim's default 3 s lease every other second, at the last heartbeat before
     *         the self-fencing point (one attempt); a lease of two intervals or less every heartbeat
     */
    private long renewAheadMillis() {
        return Math.max(storage.leaseDurationMillis() / 2, 2 * config.heartbeatIntervalMillis());
    }

    private void publishOwnEntries() {
        List<FailoverTableEntry> mine = new ArrayList<>();
        for (String lun : leases.keySet()) {
            replica.entry(lun).filter(e -> host.equals(e.currentHost())).ifPresent(mine::add);
        }
        if (!mine.isEmpty()) {
            // the same entries as last round go out as the same immutable list object, which lets the
            // receivers skip a list they already applied without effect (FailoverTableReplica.applyDelta)
            if (!sameObjects(mine, lastOwnEntries)) {
                lastOwnEntries = List.copyOf(mine);
            }
            transport.publishTable(new TableUpdate(host, replica.version(), false, lastOwnEntries));
        }
    }

    private static boolean sameObjects(List<FailoverTableEntry> a, List<FailoverTableEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ detection and isolation

    private void evaluate(long now) {
        collectFenced();
        if (!stops.isEmpty()) {
            stops.drive(now, runningLuns());
        }
        List<FailureDetector.Transition> changes = detector.refresh(now);
        checkIsolation(now);
        long datastoreEpoch = detector.datastoreEpoch();
        if (datastoreEpoch != lastDatastoreEpoch || storageReachable != lastStorageReachable) {
            // a datastore path came back (or went): room may have appeared for VMs waiting for capacity
            lastDatastoreEpoch = datastoreEpoch;
            lastStorageReachable = storageReachable;
            capacityEpoch++;
        }
        for (FailureDetector.Transition t : changes) {
            statusEpoch++;
            if (isolatedSince >= 0) {
                // an isolated host's view of its peers is worthless: no events about them
                continue;
            }
            if (t.after() == PeerStatus.FAILED) {
                if (storageReachable) {
                    // with our own datastore path down every peer's datastore channel looks silent: we cannot tell
                    // a failed peer from a partitioned one, so we say nothing
                    emit(EventTypes.HOST_FAILED, t.peer(), data("host", t.peer(), "by", host));
                }
            } else if (t.after() == PeerStatus.PARTITIONED) {
                emit(EventTypes.HOST_PARTITIONED, t.peer(), data("host", t.peer(), "by", host));
            } else if (t.before() != null || now > startedAt) {
                // a peer came back or joined: more capacity, and it may have missed table updates
                if (t.before() == PeerStatus.FAILED || t.before() == PeerStatus.PARTITIONED) {
                    Map<String, Object> d = data("host", t.peer(), "by", host);
                    d.put("was", t.before().name());
                    emit(EventTypes.HOST_RETURNED, t.peer(), d);
                }
                capacityEpoch++;
                released.remove(t.peer());
                // the lowest-named alive host other than the one that came back sends it the current table (the
                // returning host may be the lowest-named itself, and its table is the stale one)
                if (reporter(t.peer())) {
                    publishReplica();
                }
            }
        }
        if (isolatedSince >= 0) {
            // an isolated host restarts nothing: its view of the peers is worthless
            return;
        }
        readIsolationMarkers();
        failover(now);
    }

    private void checkIsolation(long now) {
        boolean isolated = !detector.anyPeerHeard(now) && !transport.brokerReachable()
                && !transport.isolationAddressReachable();
        if (!isolated) {
            if (isolationApplied) {
                isolationApplied = false;
                localVersion++;
                try {
                    guard.run(storageName, "clearIsolationMarker", host, () -> storage.clearIsolationMarker(host));
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
        if (!isolationApplied && now - isolatedSince >= config.isolationDelayMillis()) {
            respondToIsolation(now);
        }
        if (isolationApplied && !isolationReported && isolationStopping.isEmpty()) {
            if (!isolationReleased.isEmpty() && !isolationMarkerWritten) {
                String action = config.isolationResponse().wireName();
                List<String> luns = List.copyOf(new TreeSet<>(isolationReleased));
                try {
                    guard.run(storageName, "writeIsolationMarker", host,
                            () -> storage.writeIsolationMarker(new IsolationMarker(host, now, action, luns)));
                    isolationMarkerWritten = true;
                } catch (StorageException | AdapterCallException e) {
                    // tried again at the next check: without the marker the peers would never restart the VMs
                    // whose leases we gave back (if the datastore is gone for good they see us FAILED instead)
                    return;
                }
            }
            isolationReported = true;
            Map<String, Object> d = data("host", host, "released", List.copyOf(new TreeSet<>(isolationReleased)));
            d.put("responses", new TreeMap<>(isolationActions));
            emit(EventTypes.HOST_ISOLATED, host, d);
        }
    }

    /**
     * Applies each VM's isolation response. A VM that is powered off or shut down gives its lease back only once
     * the hypervisor confirms it is gone (a slow guest shutdown keeps its lease, and is powered off after the
     * shutdown timeout); the isolation marker naming the released VMs is written once every stop completed.
     */
    private void respondToIsolation(long now) {
        isolationApplied = true;
        isolationReported = false;
        isolationMarkerWritten = false;
        isolationReleased.clear();
        isolationActions.clear();
        isolationStopping.clear();
        for (Lease l : new ArrayList<>(leases.values())) {
            FailoverTableEntry entry = replica.entry(l.lun()).orElse(null);
            String vm = entry == null ? l.lun() : entry.vm();
            // the VM's own setting (ha:vm-set --isolation-response, in the table) wins over the configuration
            IsolationResponse r = entry != null && entry.isolationResponse() != null ? entry.isolationResponse()
                    : config.isolationResponseFor(vm);
            isolationActions.put(vm, r.wireName());
            if (r == IsolationResponse.LEAVE_POWERED_ON) {
                continue;
            }
            String lun = l.lun();
            isolationStopping.add(lun);
            boolean began = stops.request(lun, VmStops.Purpose.ISOLATION, r == IsolationResponse.SHUTDOWN, now, 0,
                    () -> {
                        isolationStopping.remove(lun);
                        Lease held = leases.remove(lun);
                        watchdog.disarm(lun);
                        localVersion++;
                        if (held != null && releaseQuietly(held)) {
                            isolationReleased.add(lun);
                        }
                    });
            if (!began) {
                isolationStopping.remove(lun); // already being stopped for another reason, which completes it
            }
        }
    }

    private void readIsolationMarkers() {
        if (!detector.anyPartitioned() && released.isEmpty()) {
            return;
        }
        for (String peer : members.keySet()) {
            if (peer.equals(host)) {
                continue;
            }
            if (detector.lastStatus(peer) != PeerStatus.PARTITIONED) {
                if (released.remove(peer) != null) {
                    markersVersion++;
                }
                continue;
            }
            try {
                Optional<IsolationMarker> m = guard.call(storageName, "readIsolationMarker", peer,
                        () -> storage.readIsolationMarker(peer));
                if (m.isPresent()) {
                    Set<String> luns = new TreeSet<>(m.get().releasedLuns());
                    if (!luns.equals(released.put(peer, luns))) {
                        markersVersion++;
                    }
                }
            } catch (StorageException | AdapterCallException ex) {
                // try next tick
            }
        }
    }

    // ------------------------------------------------------------------ failover

    private void failover(long now) {
        if (!storageReachable) {
            // without the datastore this host can take no lease, and its view of the peers' datastore channels is
            // blind: it plans nothing (and parks nothing) until its path comes back
            drain();
            return;
        }
        // the scan over the whole table runs only when something it depends on changed, when a timed
        // retry is due, and every SAFETY_SCAN_INTERVALS heartbeat intervals as a safety net
        String scanKey = replica.changes() + ":" + statusEpoch + ":" + capacityEpoch + ":" + markersVersion + ":"
                + localVersion + ":" + storageReachable + ":" + inFlight.size() + ":" + detector.datastoreEpoch();
        if (scanKey.equals(lastScanKey) && now < nextScanAt) {
            drain();
            return;
        }
        lastScanKey = scanKey;
        nextScanAt = now + SAFETY_SCAN_INTERVALS * config.heartbeatIntervalMillis();
        // entries placed on partitioned hosts are checked against their leases now and then: the lease, not the
        // table, says who holds a VM, and a lost update may leave the table pointing at a host that does not run it
        boolean audit = detector.anyPartitioned() && now >= nextLeaseAuditAt;
        if (audit) {
            nextLeaseAuditAt = now + config.antiEntropyHeartbeats() * config.heartbeatIntervalMillis();
        }
        if (detector.anyPartitioned()) {
            nextScanAt = Math.min(nextScanAt, Math.max(nextLeaseAuditAt, now + 1));
        }
        Map<String, Boolean> orphaning = new HashMap<>();
        Set<String> runningHere = null;
        List<FailoverTableEntry> orphans = new ArrayList<>();
        List<FailoverTableEntry> mineDown = new ArrayList<>();
        for (FailoverTableEntry e : replica.entries()) {
            if (!e.isProtected() || e.currentHost() == null || (!inFlight.isEmpty() && inFlight.contains(e.lun()))
                    || (!stops.isEmpty() && stops.contains(e.lun()))
                    || !(e.state() instanceof VmState.Running || e.state() instanceof VmState.Starting
                            || e.state() instanceof VmState.FailingOver || e.state() instanceof VmState.Migrating
                            || e.state() instanceof VmState.RestartPending)) {
                continue;
            }
            String h = e.currentHost();
            if (h.equals(host)) {
                if (runningHere == null) {
                    runningHere = runningLuns();
                }
                if (!runningHere.contains(e.lun())) {
                    mineDown.add(e);
                }
                continue;
            }
            Boolean hostGone = orphaning.get(h);
            if (hostGone == null) {
                PeerStatus ps = detector.lastStatus(h);
                hostGone = ps == PeerStatus.FAILED || ps == null
                        || (ps == PeerStatus.ALIVE && storageReachable && detector.datastoreSilent(h, now));
                orphaning.put(h, hostGone);
            }
            Set<String> rel = released.isEmpty() ? null : released.get(h);
            if (hostGone || (rel != null && rel.contains(e.lun())) || e.state() instanceof VmState.RestartPending) {
                // the last case: the peer lost its datastore; its leases expire and it fences itself,
                // the lease acquisition below waits for that
                orphans.add(e);
            } else if (audit && detector.lastStatus(h) == PeerStatus.PARTITIONED && heldElsewhereByTheGone(e, now)) {
                orphans.add(e);
            }
        }
        for (FailoverTableEntry e : mineDown) {
            retries.get(e.lun()).filter(r -> r.capacityEpoch() < 0 && !r.gaveUp())
                    .ifPresent(r -> nextScanAt = Math.min(nextScanAt, r.notBeforeMillis()));
            if (retries.eligible(e.lun(), now, capacityEpoch)) {
                queue.add(new FailoverPlan.Placement(e.vm(), e.lun(), host, e.priority().name(), 0));
                inFlight.add(e.lun());
            }
        }
        boolean due = false;
        for (FailoverTableEntry e : orphans) {
            if (retries.eligible(e.lun(), now, capacityEpoch)) {
                due = true;
            }
            retries.get(e.lun()).filter(r -> r.capacityEpoch() < 0 && !r.gaveUp())
                    .ifPresent(r -> nextScanAt = Math.min(nextScanAt, r.notBeforeMillis()));
        }
        if (due) {
            String key = replica.changes() + ":" + capacityEpoch + ":" + statusEpoch + ":" + orphans.size();
            if (key.equals(planKey)) {
                for (FailoverPlan.Placement p : myPlacements) {
                    if (!inFlight.contains(p.lun()) && retries.eligible(p.lun(), now, capacityEpoch)
                            && replica.entry(p.lun()).map(e -> !host.equals(e.currentHost())).orElse(false)) {
                        queue.add(p);
                        inFlight.add(p.lun());
                    }
                }
            } else {
                planKey = key;
                plan(now, orphans);
            }
        }
        claimStuckOrphans(now, orphans);
        drain();
    }

    /**
     * The deterministic plan gives every orphan to one survivor, but only if all survivors see the same cluster;
     * under message loss their views differ for a while and an orphan may fall between two plans. An orphan still
     * not restarted after twice the failure timeout (plus one heartbeat interval per survivor ranked before this
     * host, so that they do not all try at once) is claimed by this host if it has room for it: the lease decides,
     * the others learn the winner from it.
     */
    private void claimStuckOrphans(long now, List<FailoverTableEntry> orphans) {
        if (orphans.isEmpty()) {
            orphanSince.clear();
            return;
        }
        int rank = 0;
        for (String m : members.headMap(host).keySet()) {
            if (detector.lastStatus(m) == PeerStatus.ALIVE && !detector.datastoreSilent(m, now)) {
                rank++;
            }
        }
        long patience = 2 * config.failureTimeoutMillis() + rank * config.heartbeatIntervalMillis();
        Set<String> current = new HashSet<>();
        List<FailoverTableEntry> stuck = new ArrayList<>();
        for (FailoverTableEntry e : orphans) {
            current.add(e.lun());
            long since = orphanSince.computeIfAbsent(e.lun(), k -> now);
            if (inFlight.contains(e.lun()) || !retries.eligible(e.lun(), now, capacityEpoch)) {
                continue;
            }
            if (now - since >= patience) {
                stuck.add(e);
            } else {
                nextScanAt = Math.min(nextScanAt, since + patience);
            }
        }
        orphanSince.keySet().retainAll(current);
        if (stuck.isEmpty() || maintenanceHosts.contains(host)) {
            return;
        }
        ResourceVector free = capacity;
        for (FailoverTableEntry e : replica.entries()) {
            boolean mine = host.equals(e.currentHost()) && (e.state() instanceof VmState.Running
                    || e.state() instanceof VmState.Starting || e.state() instanceof VmState.FailingOver
                    || e.state() instanceof VmState.Migrating);
            if (mine || inFlight.contains(e.lun())) {
                free = free.minus(e.reservation());
            }
        }
        stuck.sort((a, b) -> a.priority() != b.priority() ? b.priority().compareTo(a.priority())
                : a.lun().compareTo(b.lun()));
        for (FailoverTableEntry e : stuck) {
            if (e.reservation().fitsIn(free)) {
                free = free.minus(e.reservation());
                queue.add(new FailoverPlan.Placement(e.vm(), e.lun(), host, e.priority().name(), 0));
                inFlight.add(e.lun());
            }
        }
    }

    /**
     * @return true if the entry's lease is held, or was last held, by a host other than the entry's, and that
     *         host is failed or unknown (a lost update left the table pointing at a partitioned host while the VM
     *         ran elsewhere and died with that host); a live lease of an alive host is learned instead
     */
    private boolean heldElsewhereByTheGone(FailoverTableEntry e, long now) {
        Optional<LeaseState> l = inspect(e.lun());
        if (l.isEmpty() || l.get().owner().equals(e.currentHost()) || l.get().generation() < e.generation()) {
            return false;
        }
        LeaseState st = l.get();
        if (st.owner().equals(host)) {
            return false; // ours: the lease renewal and the stray check handle it
        }
        PeerStatus holder = detector.lastStatus(st.owner());
        if (holder == PeerStatus.ALIVE || holder == PeerStatus.PARTITIONED) {
            learn(e.lun(), st, now);
            return false;
        }
        return !st.released(); // released: its holder stopped it on purpose
    }

    private void plan(long now, List<FailoverTableEntry> orphans) {
        Set<String> orphanLuns = new HashSet<>();
        for (FailoverTableEntry e : orphans) {
            orphanLuns.add(e.lun());
        }
        List<Host> hosts = new ArrayList<>();
        for (Map.Entry<String, ResourceVector> m : members.entrySet()) {
            boolean alive = m.getKey().equals(host) ? storageReachable
                    : detector.lastStatus(m.getKey()) == PeerStatus.ALIVE
                            && !detector.datastoreSilent(m.getKey(), now);
            HostState state = !alive ? HostState.FAILED
                    : maintenanceHosts.contains(m.getKey()) ? HostState.MAINTENANCE : HostState.CONNECTED;
            hosts.add(new Host(m.getKey(), m.getValue(), state, false));
        }
        hosts.add(new Host(ORPHANS, ResourceVector.ZERO, HostState.CONNECTED, false));
        List<FailoverTableEntry> entries = new ArrayList<>(replica.entries().size());
        for (FailoverTableEntry e : replica.entries()) {
            if (orphanLuns.contains(e.lun())) {
                entries.add(new FailoverTableEntry(e.vm(), e.lun(), ORPHANS, e.alternateHost(), e.priority(),
                        e.reservation(), VmState.RUNNING, e.generation()));
            } else if (inFlight.contains(e.lun())) {
                entries.add(e.withPlacement(host, VmState.STARTING));
            } else {
                entries.add(e);
            }
        }
        FailoverPlan plan = planner.plan(new ClusterSnapshot(hosts, new FailoverTable(replica.version(), entries)),
                List.of(ORPHANS));
        boolean reporter = detector.noAlivePeerBefore(host);
        List<FailoverPlan.Placement> mine = new ArrayList<>();
        for (FailoverPlan.Placement p : plan.placements()) {
            if (!p.host().equals(host)) {
                continue;
            }
            mine.add(p);
            if (!inFlight.contains(p.lun()) && retries.eligible(p.lun(), now, capacityEpoch)) {
                queue.add(p);
                inFlight.add(p.lun());
            }
        }
        myPlacements = mine;
        for (FailoverPlan.Unplaced u : plan.unplaced()) {
            retries.waitForCapacity(u.lun(), u.reason(), capacityEpoch);
            FailoverTableEntry e = replica.entry(u.lun()).orElse(null);
            if (reporter && storageReachable && e != null && !(e.state() instanceof VmState.RestartPending)) {
                FailoverTableEntry pending = e.withPlacement(e.currentHost(), new VmState.RestartPending(u.reason()));
                replica.put(pending);
                transport.publishTable(new TableUpdate(host, replica.version(), false, List.of(pending)));
                emit(EventTypes.VM_RESTART_PENDING, u.vm(), data("vm", u.vm(), "reason", u.reason()));
            }
        }
    }

    private int active;
    private boolean draining;

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (active < config.maxConcurrentRestarts() && !queue.isEmpty()) {
                FailoverPlan.Placement p = queue.poll();
                FailoverTableEntry e = replica.entry(p.lun()).orElse(null);
                if (e == null) {
                    inFlight.remove(p.lun());
                    continue;
                }
                active++;
                restartsIssued++;
                restartExecutor.execute(() -> {
                    Outcome o = restart(e);
                    scheduler.schedule(0, () -> completed(e, o));
                });
            }
        } finally {
            draining = false;
        }
    }

    /** What a restart attempt came to; computed off the agent thread (adapter calls only). */
    private record Outcome(Lease lease, RunningVm vm, LeaseHeldException held, String failure, boolean spend,
            boolean stoppedOnPurpose) {

        static Outcome of(Lease lease, RunningVm vm) {
            return new Outcome(lease, vm, null, null, false, false);
        }

        static Outcome failed(Lease lease, String failure, boolean spend) {
            return new Outcome(lease, null, null, failure, spend, false);
        }
    }

    private Outcome restart(FailoverTableEntry e) {
        if (stoppedOnPurpose(e)) {
            return new Outcome(null, null, null, null, false, true);
        }
        long started = watchdog.nowMillis();
        Lease lease;
        try {
            lease = guard.call(storageName, "acquireLease", e.lun(), () -> storage.acquireLease(e.lun(), host));
        } catch (LeaseHeldException ex) {
            return new Outcome(null, null, ex, null, false, false);
        } catch (RuntimeException ex) {
            // datastore unreachable: not the VM's fault, so the budget is not spent
            return Outcome.failed(null, "acquire lease: " + ex.getMessage(), false);
        }
        // from here the VM may run: its deadline is armed and the agent renews the lease while it starts
        watchdog.arm(e.lun(), lease.generation(), started + storage.leaseDurationMillis() - config.fenceMarginMillis());
        inFlightLeases.put(e.lun(), lease);
        try {
            Vmx vmx = guard.call(storageName, "readHardware", e.lun(), () -> storage.readHardware(e.lun()))
                    .orElseGet(() -> fallbackVmx(e));
            // a power-on boots; a failover or a migration resumes from the latest complete checkpoint
            boolean resume = !(e.state() instanceof VmState.Starting);
            RunningVm vm = guard.call(hvName, "start", e.lun(),
                    () -> hypervisor.start(new StartRequest(e.vm(), e.lun(), vmx, lease.generation(), resume)));
            return Outcome.of(lease, vm);
        } catch (RuntimeException ex) {
            // the lease is kept until the hypervisor confirms the VM is not running: a start that timed out may
            // still complete (the completion stops it, then gives the lease back)
            return Outcome.failed(lease, "start: " + ex.getMessage(), true);
        }
    }

    /**
     * @return true if the entry's own host stopped the VM on purpose (a power-off or a hand-over gave the lease
     *         back at the entry's generation) and did not release it in an isolation response: a stale table (a
     *         host that returns with an old replica) must not restart a VM an operator powered off
     */
    private boolean stoppedOnPurpose(FailoverTableEntry e) {
        if (e.currentHost() == null || host.equals(e.currentHost()) || e.state() instanceof VmState.Migrating
                || e.state() instanceof VmState.Starting) {
            return false;
        }
        Optional<LeaseState> st = inspect(e.lun());
        if (st.isEmpty() || !st.get().released() || !st.get().owner().equals(e.currentHost())
                || st.get().generation() != e.generation()) {
            return false;
        }
        try {
            Optional<IsolationMarker> m = guard.call(storageName, "readIsolationMarker", e.currentHost(),
                    () -> storage.readIsolationMarker(e.currentHost()));
            return m.isEmpty() || !m.get().releasedLuns().contains(e.lun());
        } catch (StorageException | AdapterCallException ex) {
            return false; // cannot tell: the restart goes on, the lease still decides
        }
    }

    private static Vmx fallbackVmx(FailoverTableEntry e) {
        long mem = Math.max(1, e.reservation().get(ResourceVector.MEMORY_MB));
        return new Vmx(1, mem, null, null, null);
    }

    private void completed(FailoverTableEntry before, Outcome o) {
        active--;
        localVersion++;
        inFlight.remove(before.lun());
        long now = scheduler.nowMillis();
        // the lease as the agent last renewed it while the VM started
        Lease lease = o.lease() == null ? null : inFlightLeases.getOrDefault(before.lun(), o.lease());
        inFlightLeases.remove(before.lun());
        boolean lost = lostWhileStarting.remove(before.lun());
        if (!running) {
            if (lease != null) {
                // stopped meanwhile: leave the VM to the lease and its watchdog deadline
                leases.put(before.lun(), lease);
            }
            return;
        }
        if (o.stoppedOnPurpose()) {
            // our table was stale: the VM's host powered it off or handed it over; nobody restarts it for that
            retries.done(before.lun());
            replica.put(before.withPlacement(before.currentHost(), VmState.POWERED_OFF));
            capacityEpoch++;
        } else if (o.held() != null) {
            LeaseHeldException h = o.held();
            PeerStatus holder = detector.status(h.holder(), now);
            if (h.holder().equals(host)) {
                // our own lease: still held for a VM the hypervisor lost (given back at the next heartbeat), or left
                // to expire after the watchdog killed its VM (ours to take again after the expiry)
                long at = leases.containsKey(before.lun()) ? now + config.heartbeatIntervalMillis()
                        : h.expiresAtMillis() + 1;
                retries.notBefore(before.lun(), "own lease of generation " + h.generation() + " not yet free", at);
            } else if (holder != PeerStatus.FAILED && !detector.datastoreSilent(h.holder(), now)) {
                // someone alive runs it now: learn, do not restart
                retries.done(before.lun());
                inspect(before.lun()).ifPresent(s -> learn(before.lun(), s, now));
            } else {
                retries.notBefore(before.lun(), "lease of " + h.holder() + " expires at " + h.expiresAtMillis(),
                        h.expiresAtMillis() + 1);
            }
        } else if (o.failure() != null) {
            if (lease != null) {
                // a failed (or timed-out) start: whatever it may have left running goes, confirmed gone for one
                // heartbeat interval, before the lease is given back; the lease stays ours and renewed meanwhile
                leases.put(before.lun(), lease);
                Lease l = lease;
                stops.request(before.lun(), VmStops.Purpose.START_FAILED, false, now, config.heartbeatIntervalMillis(),
                        () -> {
                            Lease held = leases.remove(l.lun());
                            releaseQuietly(held != null ? held : l);
                            watchdog.disarm(l.lun());
                            localVersion++;
                        });
            }
            if (!o.spend()) {
                retries.notBefore(before.lun(), o.failure(), now + config.retryBaseMillis());
            } else {
                RetryQueue.Retry r = retries.failed(before.lun(), o.failure(), now);
                if (r.gaveUp()) {
                    FailoverTableEntry failed = before.withPlacement(before.currentHost(),
                            new VmState.Failed("restart failed " + r.attempts() + " times, last: " + o.failure()));
                    replica.put(failed);
                    transport.publishTable(new TableUpdate(host, replica.version(), false, List.of(failed)));
                    Map<String, Object> d = data("vm", before.vm(), "lun", before.lun());
                    d.put("host", host);
                    d.put("attempts", r.attempts());
                    d.put("reason", o.failure());
                    emit(EventTypes.VM_RESTART_FAILED, before.vm(), d);
                }
            }
        } else if (lost) {
            // another host took the volume over while our copy started: ours goes
            stops.request(before.lun(), VmStops.Purpose.LEASE_LOST, false, now, 0, () -> {
                watchdog.disarm(before.lun());
                localVersion++;
            });
            inspect(before.lun()).ifPresent(s -> learn(before.lun(), s, now));
        } else {
            retries.done(before.lun());
            leases.put(before.lun(), lease);
            FailoverTableEntry now1 = new FailoverTableEntry(before.vm(), before.lun(), host, before.alternateHost(),
                    before.priority(), before.reservation(), VmState.RUNNING, lease.generation(),
                    before.isolationResponse());
            replica.put(now1);
            transport.publishTable(new TableUpdate(host, replica.version(), false, List.of(now1)));
            Map<String, Object> d = data("vm", before.vm(), "lun", before.lun());
            d.put("host", host);
            String type = EventTypes.VM_RESTARTED;
            if (before.state() instanceof VmState.Starting) {
                type = EventTypes.VM_POWERED_ON;
            } else if (before.state() instanceof VmState.Migrating m && !m.source().equals(before.currentHost())) {
                // handed over by its source: a migration; a VM whose source died before the hand-over fails over
                type = EventTypes.VM_MIGRATED;
                d.put("from", m.source());
            } else {
                d.put("from", before.currentHost());
            }
            d.put("generation", lease.generation());
            d.put("resumedFromCheckpoint", o.vm().resumedFromCheckpoint());
            if (type.equals(EventTypes.VM_RESTARTED) && before.currentHost() != null
                    && !before.currentHost().equals(host)) {
                // the fencing token moved from a host that did not give it back
                Map<String, Object> t = data("vm", before.vm(), "lun", before.lun());
                t.put("from", before.currentHost());
                t.put("to", host);
                t.put("generation", lease.generation());
                emit(EventTypes.LEASE_TAKEN_OVER, before.vm(), t);
            }
            emit(type, before.vm(), d);
        }
        drain();
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
        return powerOff(lun, false);
    }

    private boolean powerOff(String lun, boolean announce) {
        long now = scheduler.nowMillis();
        boolean was = runningLuns().contains(lun);
        Lease at = leases.get(lun);
        long generation = at == null ? -1 : at.generation();
        stops.request(lun, VmStops.Purpose.REQUESTED, false, now, 0, () -> {
            Lease l = leases.remove(lun);
            if (l != null) {
                releaseQuietly(l);
            }
            watchdog.disarm(lun);
            localVersion++;
            replica.entry(lun).ifPresent(e -> {
                FailoverTableEntry off = e.withPlacement(host, VmState.POWERED_OFF);
                replica.put(off);
                transport.publishTable(new TableUpdate(host, replica.version(), false, List.of(off)));
            });
            if (announce) {
                FailoverTableEntry e = replica.entry(lun).orElse(null);
                String vm = e == null ? lun : e.vm();
                Map<String, Object> d = data("vm", vm, "lun", lun);
                d.put("host", host);
                d.put("generation", generation);
                emit(EventTypes.VM_POWERED_OFF, vm, d);
            }
        });
        stops.drive(now, runningLuns());
        VmStops.Stop pending = stops.view().get(lun);
        if (pending != null && pending.lastError != null) {
            // the hypervisor refused: the VM still runs here under its lease, and the power-off is tried again at
            // every check; say so to everyone meanwhile
            replica.entry(lun).ifPresent(e -> {
                FailoverTableEntry still = e.withPlacement(host, VmState.RUNNING);
                replica.put(still);
                transport.publishTable(new TableUpdate(host, replica.version(), false, List.of(still)));
            });
        }
        return was;
    }

    /**
     * Powers a VM on here: acquires its lease and boots it fresh (a powered-off VM has no memory state
     * to resume).
     *
     * @param lun the VM's volume
     * @throws StorageException or {@link HypervisorException} if it cannot start, naming the VM
     */
    public void powerOnVm(String lun) {
        FailoverTableEntry e = replica.entry(lun)
                .orElseThrow(() -> new IllegalArgumentException("VM volume " + lun + " is not in the table of " + host));
        long started = watchdog.nowMillis();
        Lease lease = guard.call(storageName, "acquireLease", lun, () -> storage.acquireLease(lun, host));
        watchdog.arm(lun, lease.generation(), started + storage.leaseDurationMillis() - config.fenceMarginMillis());
        try {
            Vmx vmx = guard.call(storageName, "readHardware", lun, () -> storage.readHardware(lun))
                    .orElseGet(() -> fallbackVmx(e));
            guard.call(hvName, "start", lun,
                    () -> hypervisor.start(new StartRequest(e.vm(), lun, vmx, lease.generation(), false)));
        } catch (RuntimeException ex) {
            // whatever the failed start left running goes before the lease is given back
            leases.put(lun, lease);
            stops.request(lun, VmStops.Purpose.START_FAILED, false, scheduler.nowMillis(),
                    config.heartbeatIntervalMillis(), () -> {
                        Lease held = leases.remove(lun);
                        releaseQuietly(held != null ? held : lease);
                        watchdog.disarm(lun);
                        localVersion++;
                    });
            throw ex;
        }
        leases.put(lun, lease);
        FailoverTableEntry on = new FailoverTableEntry(e.vm(), lun, host, e.alternateHost(), e.priority(),
                e.reservation(), VmState.RUNNING, lease.generation(), e.isolationResponse());
        replica.put(on);
        transport.publishTable(new TableUpdate(host, replica.version(), false, List.of(on)));
    }

    private void requestedPowerOff(FailoverTableEntry e) {
        // an operator's power-off through the management service: announced once the VM is gone
        powerOff(e.lun(), true);
    }

    /**
     * The source side of a migration: checkpoint the VM's memory into its volume, stop it, release the lease
     * and hand the VM to the destination, which resumes it from that checkpoint. If the checkpoint or the
     * stop fails, or the hypervisor still lists the VM after the power-off, the VM keeps running here under its
     * lease and the entry goes back to RUNNING.
     */
    private void handOver(FailoverTableEntry e, VmState.Migrating m) {
        Lease l = leases.get(e.lun());
        String failure = null;
        try {
            guard.call(hvName, "checkpoint", e.lun(), () -> hypervisor.checkpoint(e.lun(), l.generation()));
            guard.call(hvName, "powerOff", e.lun(), () -> hypervisor.powerOff(e.lun()));
            if (runningLuns().contains(e.lun())) {
                failure = "the hypervisor still runs it after the power-off";
            }
        } catch (RuntimeException ex) {
            failure = ex.getMessage();
        }
        if (failure != null) {
            FailoverTableEntry back = e.withPlacement(host, VmState.RUNNING);
            replica.put(back);
            transport.publishTable(new TableUpdate(host, replica.version(), false, List.of(back)));
            return;
        }
        leases.remove(e.lun());
        watchdog.disarm(e.lun());
        localVersion++;
        releaseQuietly(l);
        FailoverTableEntry moving = e.withPlacement(m.dest(), m);
        replica.put(moving);
        transport.publishTable(new TableUpdate(host, replica.version(), false, List.of(moving)));
        handOvers.put(e.lun(), new HandOver(moving, heartbeatSeq));
    }

    // ------------------------------------------------------------------ transport callbacks

    @Override
    public void onHeartbeat(HostHeartbeat hb) {
        if (!running || hb.host().equals(host)) {
            return;
        }
        ResourceVector before = memberIndex.get(hb.host());
        if (before != hb.capacity() && (before == null || !before.equals(hb.capacity()))) {
            members.put(hb.host(), hb.capacity());
            memberIndex.put(hb.host(), hb.capacity());
            capacityEpoch++;
        }
        detector.networkHeartbeat(hb.host(), hb.sequence(), scheduler.nowMillis());
    }

    @Override
    public void onTable(TableUpdate update) {
        if (!running) {
            return;
        }
        if (update.full()) {
            if (replica.applyFull(update.version(), update.entries())) {
                capacityEpoch++;
                if (!update.maintenance().equals(maintenanceHosts)) {
                    // hosts in maintenance mode are no restart targets
                    maintenanceHosts = update.maintenance();
                }
                // a full table may carry a request whose delta we missed
                actOnRequests();
            } else if (update.version() != staleFullAnswered && reporter(null)) {
                // a full table older than ours: a management service that restarted from an old copy. The reporter
                // answers with its whole replica, whose version the service then issues its next table above, and
                // whose placements it learns
                staleFullAnswered = update.version();
                publishReplica();
            }
            return;
        }
        for (FailoverTableEntry e : replica.applyDelta(update.source(), update.entries())) {
            if (!(e.state() instanceof VmState.RestartPending)) {
                // a VM moved, stopped or started: free capacity may have changed
                capacityEpoch++;
            }
            if (host.equals(e.currentHost()) && leases.containsKey(e.lun()) && !inFlight.contains(e.lun())
                    && !stops.contains(e.lun())) {
                if (e.state() instanceof VmState.PoweredOff) {
                    // an operator powered it off through the management service
                    requestedPowerOff(e);
                    continue;
                }
                if (e.state() instanceof VmState.Migrating m && host.equals(m.source())) {
                    handOver(e, m);
                    continue;
                }
            }
            if (!host.equals(e.currentHost()) && leases.containsKey(e.lun()) && !inFlight.contains(e.lun())) {
                // someone else claims a VM we think we run: the lease decides at the next renewal
                continue;
            }
            if (!(e.state() instanceof VmState.RestartPending)) {
                retries.done(e.lun());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private Set<String> runningLuns() {
        return guard.call(hvName, "runningLuns", host, hypervisor::runningLuns);
    }

    private Optional<LeaseState> inspect(String lun) {
        try {
            return guard.call(storageName, "inspectLease", lun, () -> storage.inspectLease(lun));
        } catch (StorageException | AdapterCallException e) {
            return Optional.empty();
        }
    }

    private boolean releaseQuietly(Lease l) {
        try {
            guard.run(storageName, "releaseLease", l.lun(), () -> storage.releaseLease(l));
            return true;
        } catch (StorageException | AdapterCallException e) {
            return false;
        }
    }

    private static Map<String, Object> data(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private void emit(String type, String subject, Map<String, Object> data) {
        long now = scheduler.nowMillis();
        transport.publishEvent(new CloudEvent(host + "-" + (++eventSeq), "/vmha/agent/" + host, type,
                Instant.ofEpochMilli(now), subject, Collections.unmodifiableMap(data)));
    }

    // ------------------------------------------------------------------ views (tests, simulator)

    /** @return this host */
    public String host() {
        return host;
    }

    /** @return the replica */
    public FailoverTableReplica replica() {
        return replica;
    }

    /** @return the retry queue */
    public RetryQueue retries() {
        return retries;
    }

    /**
     * @param peer a peer
     * @return what this agent thinks of it
     */
    public PeerStatus peerStatus(String peer) {
        return detector.status(peer, scheduler.nowMillis());
    }

    /** @return every peer's status and heartbeat age on each channel, by name */
    public List<org.vmha.api.transport.PeerView> peerViews() {
        return detector.views(scheduler.nowMillis());
    }

    /** @return the hosts in maintenance mode as of the management service's last full table */
    public Set<String> maintenanceHosts() {
        return maintenanceHosts;
    }

    /** @return true once this host applied its isolation response and is still isolated */
    public boolean isolationApplied() {
        return isolationApplied;
    }

    /** @return true while this host is isolated (before or after responding) */
    public boolean isolated() {
        return isolatedSince >= 0;
    }

    /** @return the volumes this agent holds leases on */
    public Set<String> leasedLuns() {
        return Collections.unmodifiableSet(leases.keySet());
    }

    /** @return restarts dispatched so far */
    public long restartsIssued() {
        return restartsIssued;
    }

    /** @return true while the last datastore heartbeat write succeeded */
    public boolean storageReachable() {
        return storageReachable;
    }

    /** @return the hosts this agent knows, with their capacities */
    public SortedMap<String, ResourceVector> members() {
        return Collections.unmodifiableSortedMap(members);
    }
}
