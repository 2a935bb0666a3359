/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.api.storage.StorageNames;
import org.vmha.core.plan.FailoverPlan;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.api.time.TaskScheduler;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link ManagementService} is responsible for the management side of the failover table: it
 * follows the agents' table updates and heartbeats, computes every protected VM's alternate host with
 * the {@link AlternateHostPlanner} over the hosts it hears, and publishes a full table with a new
 * version whenever the alternates change (and every {@code republishEvery} computations, so that a
 * host that was away catches up). It is optional: agents keep failing over without it, planning over
 * their replicas.
 * <p>
 * It also carries out the operators' requests, each admission-checked where it adds load to a host and
 * registered with HA by a table update the agents act on (the patent's power-on/off and migration
 * passages): {@link #powerOn power on} (the VM goes {@code STARTING} on the chosen host, whose agent boots
 * it under a new lease), {@link #powerOff power off} (the VM's agent stops it and releases the lease),
 * {@link #migrate migrate} ({@code MIGRATING}: the source agent checkpoints, stops and releases the VM, the
 * destination resumes it from that checkpoint), {@link #set HA settings}, {@link #addHost adding} and
 * {@link #removeHost removing} hosts and {@link #maintenance maintenance mode} (no new VMs, no alternates,
 * running VMs migrated away). Refusals throw {@link CommandException} with a code and a sentence naming
 * what was wrong.
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
    private final SortedSet<String> maintenance = new TreeSet<>();
    private final SortedSet<String> removedHosts = new TreeSet<>();
    private final SortedMap<String, ResourceVector> loads = new TreeMap<>();
    private final SortedMap<String, String> pins = new TreeMap<>();
    private final Map<String, RestartPriority> priorityBeforeDisable = new TreeMap<>();
    private final Map<String, String> lastDenials = new TreeMap<>();
    private Supplier<AdmissionPolicy> admission = () -> null;
    private long pinsVersion;
    private boolean maintenanceChanged;
    private long lastPinsVersion = -1;
    private long eventSeq;
    /** Requests published but not answered yet, by volume. */
    private final Map<String, Pending> pendingRequests = new TreeMap<>();
    /** Computations a request is published again at most. */
    private static final int REQUEST_REPUBLISH_ROUNDS = 60;
    /** The highest table version heard from anyone: a restarted service issues its next table above it. */
    private long heardVersion;

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
        transport.subscribe(org.vmha.core.security.InboundGate.forManagement(capacities::containsKey, transport, scheduler::nowMillis, this));
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
        List<Host> hosts = hostList(now);
        FailoverTable t;
        Map<String, String> alternates;
        if (hosts.equals(lastHosts) && replica.changes() == lastChanges && pinsVersion == lastPinsVersion) {
            // the planner is a deterministic function of the hosts and the table: same inputs, same result
            t = lastComputed;
            alternates = lastComputedAlternates;
        } else {
            lastHosts = hosts;
            lastChanges = replica.changes();
            lastPinsVersion = pinsVersion;
            t = planner.compute(new ClusterSnapshot(hosts, replica.table()), pins);
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
        republishPendingRequests();
        boolean changed = !alternates.equals(lastAlternates);
        // the agents hold a newer table than ours (we restarted from an older copy, or from the inventory): our
        // tables would be ignored until our version passes theirs, so the next one goes out above it at once
        boolean behind = heardVersion > replica.version();
        if (changed || maintenanceChanged || behind || computations % republishEvery == 0) {
            maintenanceChanged = false;
            lastAlternates = alternates;
            long version = Math.max(replica.version(), heardVersion) + 1;
            replica.applyFull(version, t.entries());
            transport.publishTable(new TableUpdate(SOURCE, version, true, replica.table().entries(), maintenance, new TreeSet<>(capacities.keySet())));
            published++;
            if (changed) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("version", version);
                d.put("entries", t.entries().size());
                d.put("alternates", alternates.size());
                emit(EventTypes.TABLE_UPDATED, Long.toString(version), d);
            }
        }
        timer = scheduler.schedule(intervalMillis, this::compute);
    }

    @Override
    public void onHeartbeat(HostHeartbeat heartbeat) {
        if (!running) {
            return;
        }
        if (removedHosts.contains(heartbeat.host())) {
            return; // removed by an operator: it takes no VMs until it is added again
        }
        capacities.put(heartbeat.host(), heartbeat.capacity());
        loads.put(heartbeat.host(), heartbeat.load());
        lastHeard.put(heartbeat.host(), scheduler.nowMillis());
    }

    @Override
    public void onTable(TableUpdate update) {
        if (!running) {
            return;
        }
        heardVersion = Math.max(heardVersion, update.version());
        if (update.full()) {
            replica.applyFull(update.version(), update.entries());
        } else {
            replica.applyDelta(update.source(), update.entries());
        }
    }

    // ------------------------------------------------------------------ operators' requests

    /**
     * @param policy supplies the admission policy in force, or null when none is configured (requests are
     *        then checked for fit only)
     */
    public void admission(Supplier<AdmissionPolicy> policy) {
        this.admission = policy == null ? () -> null : policy;
    }

    /**
     * The state of one host as the management service sees it.
     *
     * @param name the host
     * @param capacity what it offers
     * @param state CONNECTED, FAILED (not heard within the failure timeout) or MAINTENANCE
     * @param heardAgoMillis time since its last heartbeat, -1 if never heard
     * @param load the load it reported last
     * @param reserved the reservations of the VMs placed on it
     * @param vms how many VMs hold capacity on it
     * @author vmha - Initial contribution
     */
    public record HostView(String name, ResourceVector capacity, HostState state, long heardAgoMillis,
            ResourceVector load, ResourceVector reserved, int vms) {
    }

    /** @return the hosts with their capacities and states now (failed: not heard within the timeout) */
    public List<HostView> hosts() {
        long now = scheduler.nowMillis();
        List<HostView> out = new ArrayList<>();
        for (Host h : hostList(now)) {
            Long heard = lastHeard.get(h.name());
            ResourceVector reserved = ResourceVector.ZERO;
            int vms = 0;
            for (FailoverTableEntry e : replica.entries()) {
                if (h.name().equals(e.currentHost()) && e.state().consumesCapacity()) {
                    reserved = reserved.plus(e.reservation());
                    vms++;
                }
            }
            out.add(new HostView(h.name(), h.capacity(), h.state(), heard == null ? -1 : now - heard,
                    loads.getOrDefault(h.name(), ResourceVector.ZERO), reserved, vms));
        }
        return out;
    }

    /** @return the hosts and the table as admission control and the planner see them now */
    public ClusterSnapshot snapshot() {
        return new ClusterSnapshot(hostList(scheduler.nowMillis()), replica.table());
    }

    /** @return the operator-pinned alternate hosts, by lun */
    public SortedMap<String, String> pins() {
        return Collections.unmodifiableSortedMap(pins);
    }

    /**
     * Powers a VM on: admission-checked on the requested host, or on the connected host with the most free
     * memory that admission control accepts. The VM goes {@code STARTING} there; that host's agent boots it
     * under a new lease and announces {@code org.vmha.vm.powered-on}.
     *
     * @param vm the VM's name or lun
     * @param host the host to start it on, or null to let the service choose
     * @return the entry as published
     * @throws CommandException NOT_FOUND, CONFLICT or ADMISSION_DENIED
     */
    public FailoverTableEntry powerOn(String vm, String host) {
        FailoverTableEntry e = find(vm);
        if (e.state() instanceof VmState.RestartPending p) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is protected and waits for "
                    + "capacity (" + p.reason() + "); HA starts it as soon as a host has room");
        }
        if (e.state().consumesCapacity()) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is already "
                    + e.state().kind() + " on " + e.currentHost());
        }
        long now = scheduler.nowMillis();
        List<Host> hosts = hostList(now);
        ClusterSnapshot snap = new ClusterSnapshot(hosts, replica.table());
        List<String> candidates = new ArrayList<>();
        if (host != null) {
            requireUsable(host, hosts, "power on VM " + e.vm());
            candidates.add(host);
        } else {
            candidates.addAll(byFreeMemory(hosts));
            if (candidates.isEmpty()) {
                throw deny(e, "power-on", null, "no connected host outside maintenance mode");
            }
        }
        String reason = null;
        for (String c : candidates) {
            String misfit = misfit(c, e.reservation(), snap);
            if (misfit != null) {
                reason = misfit;
                continue;
            }
            AdmissionPolicy policy = admission.get();
            if (policy != null) {
                AdmissionDecision d = policy.admit(snap, new AdmissionRequest.PowerOn(e.vm(), c));
                if (!d.admitted()) {
                    reason = policy.type() + " policy: " + d.reason();
                    continue;
                }
            }
            lastDenials.remove(e.lun());
            return publish(e.withPlacement(c, VmState.STARTING));
        }
        throw deny(e, "power-on", host, reason);
    }

    /**
     * Powers a VM off: its agent stops it, releases the lease and announces {@code org.vmha.vm.powered-off};
     * a VM that waits for capacity or failed to restart is simply taken out of HA's hands.
     *
     * @param vm the VM's name or lun
     * @return the entry as published
     * @throws CommandException NOT_FOUND or CONFLICT
     */
    public FailoverTableEntry powerOff(String vm) {
        FailoverTableEntry e = find(vm);
        if (e.state() instanceof VmState.PoweredOff) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is already powered off");
        }
        if (e.state() instanceof VmState.Migrating) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is migrating; power it off "
                    + "once it runs on " + ((VmState.Migrating) e.state()).dest());
        }
        return publish(e.withPlacement(e.currentHost(), VmState.POWERED_OFF));
    }

    /**
     * Migrates a running VM, admission-checked on the destination. The VM goes {@code MIGRATING}: the source
     * agent checkpoints it, stops it and releases its lease; the destination's agent resumes it from that
     * checkpoint under a new lease and announces {@code org.vmha.vm.migrated}.
     *
     * @param vm the VM's name or lun
     * @param host the destination
     * @return the entry as published
     * @throws CommandException NOT_FOUND, CONFLICT or ADMISSION_DENIED
     */
    public FailoverTableEntry migrate(String vm, String host) {
        FailoverTableEntry e = find(vm);
        if (!(e.state() instanceof VmState.Running)) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " is " + e.state().kind()
                    + (e.currentHost() == null ? "" : " on " + e.currentHost()) + "; only a RUNNING VM can migrate");
        }
        List<Host> hosts = hostList(scheduler.nowMillis());
        requireUsable(host, hosts, "migrate VM " + e.vm());
        if (host.equals(e.currentHost())) {
            throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " already runs on " + host);
        }
        String refusal = migrationRefusal(e, host, new ClusterSnapshot(hosts, replica.table()));
        if (refusal != null) {
            throw deny(e, "migrate", host, refusal);
        }
        return publish(e.withPlacement(e.currentHost(), new VmState.Migrating(e.currentHost(), host)));
    }

    /**
     * Changes a VM's HA settings.
     *
     * @param vm the VM's name or lun
     * @param priority the new restart priority, or null to keep it
     * @param protect true to protect the VM (restoring the priority it had), false to disable HA for it, null
     *        to keep
     * @param alternate the host to pin as its alternate, "" to unpin, null to keep
     * @param isolation the VM's isolation response ({@code leave-powered-on}, {@code power-off},
     *        {@code shutdown}), {@code cluster} to follow the cluster's, null to keep
     * @return the entry as published
     * @throws CommandException NOT_FOUND, BAD_REQUEST or CONFLICT
     */
    public FailoverTableEntry set(String vm, RestartPriority priority, Boolean protect, String alternate,
            String isolation) {
        FailoverTableEntry e = find(vm);
        if (priority == null && protect == null && alternate == null && isolation == null) {
            throw new CommandException(CommandException.BAD_REQUEST, "nothing to change for VM " + e.vm()
                    + ": give a priority, ha on|off, an alternate host or an isolation response");
        }
        org.vmha.api.model.IsolationResponse response = e.isolationResponse();
        if (isolation != null) {
            if (isolation.trim().equalsIgnoreCase("cluster")) {
                response = null;
            } else {
                response = org.vmha.api.model.IsolationResponse.fromWireName(isolation).orElseThrow(
                        () -> new CommandException(CommandException.BAD_REQUEST, "isolation response '" + isolation
                                + "' is not one of leave-powered-on, power-off, shutdown, cluster"));
            }
        }
        if (Boolean.FALSE.equals(protect) && priority != null && priority != RestartPriority.DISABLED) {
            throw new CommandException(CommandException.BAD_REQUEST, "priority " + name(priority)
                    + " contradicts ha off for VM " + e.vm());
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        RestartPriority next = e.priority();
        if (Boolean.FALSE.equals(protect) || priority == RestartPriority.DISABLED) {
            if (e.priority() != RestartPriority.DISABLED) {
                priorityBeforeDisable.put(e.lun(), e.priority());
            }
            next = RestartPriority.DISABLED;
        } else if (priority != null) {
            next = priority;
        } else if (Boolean.TRUE.equals(protect) && e.priority() == RestartPriority.DISABLED) {
            next = priorityBeforeDisable.getOrDefault(e.lun(), RestartPriority.DEFAULT);
        }
        if (next != RestartPriority.DISABLED) {
            priorityBeforeDisable.remove(e.lun());
        }
        if (next != e.priority()) {
            changes.put("priority", name(next));
        }
        if (response != e.isolationResponse()) {
            changes.put("isolationResponse", response == null ? "cluster" : response.wireName());
        }
        String alt = e.alternateHost();
        if (alternate != null) {
            if (alternate.isEmpty()) {
                if (pins.remove(e.lun()) != null) {
                    pinsVersion++;
                    changes.put("alternate", null);
                }
            } else {
                List<Host> hosts = hostList(scheduler.nowMillis());
                Host h = requireHost(alternate, hosts);
                if (h.state() == HostState.MAINTENANCE) {
                    throw new CommandException(CommandException.CONFLICT, "host " + alternate
                            + " is in maintenance mode and cannot be an alternate");
                }
                if (alternate.equals(e.currentHost())) {
                    throw new CommandException(CommandException.CONFLICT, "VM " + e.vm() + " runs on " + alternate
                            + "; its alternate must be another host");
                }
                if (!alternate.equals(pins.put(e.lun(), alternate))) {
                    pinsVersion++;
                }
                alt = alternate;
                changes.put("alternate", alternate);
            }
        }
        FailoverTableEntry after = new FailoverTableEntry(e.vm(), e.lun(), e.currentHost(), alt, next,
                e.reservation(), e.state(), e.generation(), response, e.revision());
        if (!after.equals(e)) {
            // one revision later: every replica takes it over the entry it replaces
            after = new FailoverTableEntry(e.vm(), e.lun(), e.currentHost(), alt, next, e.reservation(), e.state(),
                    e.generation(), response, e.revision() + 1);
            publish(after);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("vm", e.vm());
        d.put("changes", changes);
        emit(EventTypes.CONFIGURATION_CHANGED, e.vm(), d);
        return after;
    }

    /**
     * Adds a host: it counts as failed until its agent's heartbeats arrive.
     *
     * @param host the host name
     * @param capacity what it offers
     * @return its view
     * @throws CommandException BAD_REQUEST or CONFLICT
     */
    public HostView addHost(String host, ResourceVector capacity) {
        if (host == null || !StorageNames.isValid(host)) {
            throw new CommandException(CommandException.BAD_REQUEST, "host name '" + host + "' must match "
                    + StorageNames.NAME_REGEX);
        }
        if (capacity == null || capacity.get(ResourceVector.CPU_MHZ) <= 0
                || capacity.get(ResourceVector.MEMORY_MB) <= 0) {
            throw new CommandException(CommandException.BAD_REQUEST, "host " + host + " needs a capacity with "
                    + "cpuMhz and memoryMb above 0, got " + capacity);
        }
        if (capacities.containsKey(host)) {
            throw new CommandException(CommandException.CONFLICT, "host " + host + " is already in the cluster");
        }
        removedHosts.remove(host);
        capacities.put(host, capacity);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("host", host);
        d.put("capacity", capacity.amounts());
        emit(EventTypes.HOST_ADDED, host, d);
        return view(host);
    }

    /**
     * Removes a host that runs no VM (put it in maintenance mode first) or that failed.
     *
     * @param host the host
     * @return its last view
     * @throws CommandException NOT_FOUND or CONFLICT
     */
    public HostView removeHost(String host) {
        List<Host> hosts = hostList(scheduler.nowMillis());
        Host h = requireHost(host, hosts);
        HostView v = view(host);
        if (h.state() != HostState.FAILED && v.vms() > 0) {
            List<String> names = new ArrayList<>();
            for (FailoverTableEntry e : replica.entries()) {
                if (host.equals(e.currentHost()) && e.state().consumesCapacity()) {
                    names.add(e.vm());
                }
            }
            throw new CommandException(CommandException.CONFLICT, "host " + host + " still runs " + names.size()
                    + " VM(s) (" + String.join(", ", names.subList(0, Math.min(5, names.size())))
                    + (names.size() > 5 ? ", …" : "") + "); put it in maintenance mode first");
        }
        capacities.remove(host);
        lastHeard.remove(host);
        loads.remove(host);
        maintenanceChanged |= maintenance.remove(host);
        removedHosts.add(host);
        if (pins.values().removeIf(host::equals)) {
            pinsVersion++;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("host", host);
        emit(EventTypes.HOST_REMOVED, host, d);
        return v;
    }

    /**
     * Puts a host in or out of maintenance mode. In maintenance a host gets no power-ons, migrations or
     * alternates, and its running VMs are migrated to the hosts with the most free memory that admission
     * control accepts; VMs that fit nowhere stay and are listed with the reason.
     *
     * @param host the host
     * @param on true to enter, false to leave
     * @return {@code host}, {@code maintenance}, {@code migrating} (VM to destination) and {@code stayed}
     *         (VM to reason)
     * @throws CommandException NOT_FOUND
     */
    public Map<String, Object> maintenance(String host, boolean on) {
        requireHost(host, hostList(scheduler.nowMillis()));
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, String> migrating = new TreeMap<>();
        Map<String, String> stayed = new TreeMap<>();
        maintenanceChanged = true;
        if (on) {
            maintenance.add(host);
            List<FailoverTableEntry> running = new ArrayList<>();
            for (FailoverTableEntry e : replica.entries()) {
                if (host.equals(e.currentHost()) && e.state() instanceof VmState.Running) {
                    running.add(e);
                }
            }
            running.sort(Comparator.comparing(FailoverTableEntry::priority).reversed()
                    .thenComparing(FailoverTableEntry::vm));
            for (FailoverTableEntry e : running) {
                List<Host> hosts = hostList(scheduler.nowMillis());
                ClusterSnapshot snap = new ClusterSnapshot(hosts, replica.table());
                String reason = "no connected host outside maintenance mode";
                String dest = null;
                for (String c : byFreeMemory(hosts)) {
                    reason = migrationRefusal(e, c, snap);
                    if (reason == null) {
                        dest = c;
                        break;
                    }
                }
                if (dest == null) {
                    stayed.put(e.vm(), reason);
                } else {
                    publish(e.withPlacement(host, new VmState.Migrating(host, dest)));
                    migrating.put(e.vm(), dest);
                }
            }
        } else {
            maintenance.remove(host);
        }
        result.put("host", host);
        result.put("maintenance", on);
        result.put("migrating", migrating);
        result.put("stayed", stayed);
        emit(EventTypes.HOST_MAINTENANCE, host, new LinkedHashMap<>(result));
        return result;
    }

    /**
     * Explains in sentences why a VM is where it is, or why it does not run.
     *
     * @param vm the VM's name or lun
     * @return {@code vm}, {@code entry} facts and {@code reasons} (sentences)
     * @throws CommandException NOT_FOUND
     */
    public Map<String, Object> why(String vm) {
        FailoverTableEntry e = find(vm);
        long now = scheduler.nowMillis();
        List<Host> hosts = hostList(now);
        List<String> reasons = new ArrayList<>();
        VmState st = e.state();
        if (st instanceof VmState.PoweredOff) {
            reasons.add("VM " + e.vm() + " is powered off; it holds no capacity and HA does not restart it.");
        } else if (st instanceof VmState.RestartPending p) {
            reasons.add("VM " + e.vm() + " could not be restarted after " + e.currentHost()
                    + " went down and waits for capacity: " + p.reason()
                    + ". It is retried when a host is added or returns, or VMs are powered off.");
        } else if (st instanceof VmState.Failed f) {
            reasons.add("VM " + e.vm() + " is FAILED: " + f.reason()
                    + ". Power it on again once the cause is fixed.");
        } else if (st instanceof VmState.Migrating m) {
            reasons.add("VM " + e.vm() + " is migrating from " + m.source() + " to " + m.dest() + ".");
        } else {
            reasons.add("VM " + e.vm() + " is " + st.kind() + " on " + e.currentHost() + " under lease generation "
                    + e.generation() + ".");
        }
        if (e.currentHost() != null && st.consumesCapacity()) {
            for (Host h : hosts) {
                if (h.name().equals(e.currentHost()) && h.state() != HostState.CONNECTED) {
                    reasons.add("Its host " + h.name() + " is " + h.state() + " in the management service's view.");
                }
            }
        }
        if (!e.isProtected()) {
            reasons.add("HA is off for it (priority disabled): nobody restarts it if its host fails.");
        } else {
            String pin = pins.get(e.lun());
            if (e.alternateHost() != null) {
                reasons.add("Its alternate host is " + e.alternateHost() + (e.alternateHost().equals(pin)
                        ? ", pinned by an operator." : ", computed from the hosts' free capacity and restart order."));
            } else if (st.consumesCapacity()) {
                reasons.add("It has no alternate host yet: no surviving host has room for it in the precomputed plan.");
            }
            if (e.currentHost() != null && st.consumesCapacity()) {
                FailoverPlan plan = new FailoverPlanner().plan(new ClusterSnapshot(hosts, replica.table()),
                        List.of(e.currentHost()));
                for (FailoverPlan.Placement p : plan.placements()) {
                    if (p.lun().equals(e.lun())) {
                        reasons.add("If " + e.currentHost() + " failed now, " + p.host()
                                + " would restart it (priority " + name(e.priority()) + ").");
                    }
                }
                for (FailoverPlan.Unplaced u : plan.unplaced()) {
                    if (u.lun().equals(e.lun())) {
                        reasons.add("If " + e.currentHost() + " failed now, it could not be restarted: " + u.reason()
                                + ".");
                    }
                }
            }
        }
        String denial = lastDenials.get(e.lun());
        if (denial != null) {
            reasons.add("The last admission decision refused it: " + denial + ".");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vm", e.vm());
        out.put("lun", e.lun());
        out.put("state", st.kind());
        out.put("host", e.currentHost());
        out.put("alternate", e.alternateHost());
        out.put("pinned", pins.containsKey(e.lun()));
        out.put("priority", name(e.priority()));
        out.put("generation", e.generation());
        out.put("lastDenial", denial);
        out.put("reasons", reasons);
        return out;
    }

    /**
     * @param vm a VM name or lun
     * @return its entry
     * @throws CommandException NOT_FOUND
     */
    public FailoverTableEntry find(String vm) {
        if (vm == null || vm.isBlank()) {
            throw new CommandException(CommandException.BAD_REQUEST, "a VM name is required");
        }
        for (FailoverTableEntry e : replica.entries()) {
            if (e.vm().equals(vm) || e.lun().equals(vm)) {
                return e;
            }
        }
        throw new CommandException(CommandException.NOT_FOUND, "unknown VM '" + vm + "'");
    }

    private List<Host> hostList(long now) {
        List<Host> hosts = new ArrayList<>();
        for (Map.Entry<String, ResourceVector> c : capacities.entrySet()) {
            boolean alive = now - lastHeard.getOrDefault(c.getKey(), Long.MIN_VALUE / 2) <= failureTimeoutMillis;
            HostState state = maintenance.contains(c.getKey()) ? HostState.MAINTENANCE
                    : alive ? HostState.CONNECTED : HostState.FAILED;
            hosts.add(new Host(c.getKey(), c.getValue(), state, false));
        }
        return hosts;
    }

    private HostView view(String host) {
        for (HostView v : hosts()) {
            if (v.name().equals(host)) {
                return v;
            }
        }
        throw new CommandException(CommandException.NOT_FOUND, "unknown host '" + host + "'");
    }

    private Host requireHost(String host, List<Host> hosts) {
        for (Host h : hosts) {
            if (h.name().equals(host)) {
                return h;
            }
        }
        List<String> known = new ArrayList<>();
        hosts.forEach(h -> known.add(h.name()));
        throw new CommandException(CommandException.NOT_FOUND, "unknown host '" + host + "'; known: "
                + String.join(", ", known));
    }

    private void requireUsable(String host, List<Host> hosts, String what) {
        Host h = requireHost(host, hosts);
        if (h.state() != HostState.CONNECTED) {
            throw new CommandException(CommandException.CONFLICT, "cannot " + what + " on " + host + ": the host is "
                    + (h.state() == HostState.FAILED ? "not heard from (FAILED)" : "in maintenance mode"));
        }
    }

    /** Connected hosts, most free memory first, then by name. */
    private List<String> byFreeMemory(List<Host> hosts) {
        Map<String, Long> free = new TreeMap<>();
        for (Host h : hosts) {
            if (h.state() == HostState.CONNECTED) {
                free.put(h.name(), h.capacity().get(ResourceVector.MEMORY_MB));
            }
        }
        for (FailoverTableEntry e : replica.entries()) {
            if (e.currentHost() != null && free.containsKey(e.currentHost()) && e.state().consumesCapacity()) {
                free.merge(e.currentHost(), -e.reservation().get(ResourceVector.MEMORY_MB), Long::sum);
            }
        }
        List<String> out = new ArrayList<>(free.keySet());
        out.sort(Comparator.comparing((String h) -> -free.get(h)).thenComparing(h -> h));
        return out;
    }

    /** @return why {@code reservation} does not fit on {@code host}, or null */
    private static String misfit(String host, ResourceVector reservation, ClusterSnapshot snap) {
        ResourceVector used = ResourceVector.ZERO;
        for (FailoverTableEntry e : snap.table().entries()) {
            if (host.equals(e.currentHost()) && e.state().consumesCapacity()) {
                used = used.plus(e.reservation());
            }
        }
        for (Host h : snap.hosts()) {
            if (h.name().equals(host)) {
                for (String r : reservation.amounts().keySet()) {
                    long free = h.capacity().get(r) - used.get(r);
                    if (reservation.get(r) > free) {
                        return "host " + host + " has " + free + " " + r + " free, the VM needs " + reservation.get(r);
                    }
                }
            }
        }
        return null;
    }

    private String migrationRefusal(FailoverTableEntry e, String dest, ClusterSnapshot snap) {
        String misfit = misfit(dest, e.reservation(), snap);
        if (misfit != null) {
            return misfit;
        }
        AdmissionPolicy policy = admission.get();
        if (policy == null) {
            return null;
        }
        // the cluster without the VM, then the VM arriving on the destination
        List<FailoverTableEntry> without = new ArrayList<>();
        for (FailoverTableEntry x : snap.table().entries()) {
            if (!x.lun().equals(e.lun())) {
                without.add(x);
            }
        }
        ClusterSnapshot rest = new ClusterSnapshot(snap.hosts(), new FailoverTable(snap.table().version(), without));
        AdmissionDecision d = policy.admit(rest,
                new AdmissionRequest.MigrateIn(e.withPlacement(dest, VmState.RUNNING)));
        return d.admitted() ? null : policy.type() + " policy: " + d.reason();
    }

    private CommandException deny(FailoverTableEntry e, String request, String host, String reason) {
        String r = reason == null ? "no host accepted it" : reason;
        lastDenials.put(e.lun(), r);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("vm", e.vm());
        d.put("request", request);
        d.put("host", host);
        AdmissionPolicy policy = admission.get();
        d.put("policy", policy == null ? "none" : policy.type());
        d.put("reason", r);
        emit(EventTypes.ADMISSION_DENIED, e.vm(), d);
        return new CommandException(CommandException.ADMISSION_DENIED, request + " of VM " + e.vm() + " refused: " + r);
    }

    private FailoverTableEntry publish(FailoverTableEntry e) {
        replica.put(e);
        transport.publishTable(new TableUpdate(SOURCE, replica.version(), false, List.of(e)));
        pendingRequests.put(e.lun(), new Pending(e, 0));
        return e;
    }

    /**
     * Publishes again, at every computation, the requests no agent has answered yet (the entry is still the one
     * this service wrote), so that a request whose delta was lost is carried out within one computation interval;
     * after {@link #REQUEST_REPUBLISH_ROUNDS} rounds the periodic full tables carry it on.
     */
    private void republishPendingRequests() {
        if (pendingRequests.isEmpty()) {
            return;
        }
        List<FailoverTableEntry> again = new ArrayList<>();
        for (java.util.Iterator<Map.Entry<String, Pending>> it = pendingRequests.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Pending> p = it.next();
            FailoverTableEntry now = replica.entry(p.getKey()).orElse(null);
            if (now == null || !HostAgent.samePlacement(now, p.getValue().entry())
                    || p.getValue().rounds() >= REQUEST_REPUBLISH_ROUNDS) {
                it.remove();
            } else {
                again.add(now);
                p.setValue(new Pending(now, p.getValue().rounds() + 1));
            }
        }
        if (!again.isEmpty()) {
            transport.publishTable(new TableUpdate(SOURCE, replica.version(), false, again));
        }
    }

    private record Pending(FailoverTableEntry entry, int rounds) {
    }

    private void emit(String type, String subject, Map<String, Object> data) {
        transport.publishEvent(new CloudEvent("management-" + (++eventSeq), "/vmha/management", type,
                Instant.ofEpochMilli(scheduler.nowMillis()), subject, Collections.unmodifiableMap(data)));
    }

    private static String name(RestartPriority p) {
        return p.name().toLowerCase(Locale.ROOT);
    }
}
