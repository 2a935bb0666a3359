/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Supplier;

import org.vmha.api.command.reply.Explanation;
import org.vmha.api.command.reply.HostExplanation;
import org.vmha.api.command.reply.MaintenanceResult;
import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.core.security.InboundGate;
import org.vmha.api.time.TaskScheduler;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link ManagementService} is responsible for starting, ticking and stopping the management side of the
 * failover table, and for being its one entry point. It follows the agents' heartbeats ({@link ClusterMembers})
 * and table updates, and every interval lets the {@link TableCoordinator} compute every protected VM's
 * alternate host over the hosts it hears and publish the table when due, and the {@link ToleranceWatch} announce
 * when the admission policy's configured tolerance stops or starts being met. It is optional: agents keep failing
 * over without it, planning over their replicas.
 * <p>
 * It also carries out the operators' requests, each admission-checked where it adds load to a host
 * ({@link PlacementChecks}) and registered with HA by a table update the agents act on (the patent's
 * power-on/off and migration passages): {@link #powerOn power on}, {@link #powerOff power off} and
 * {@link #migrate migrate} ({@link PowerRequests}), {@link #set HA settings} ({@link HaSettings}),
 * {@link #addHost adding} and {@link #removeHost removing} hosts and {@link #maintenance maintenance mode}
 * ({@link HostRequests}), and explains placements ({@link #why}, {@link Explainer}). Refusals throw
 * {@link CommandException} with a code and a sentence naming what was wrong.
 * <p>
 * Given a {@link ManagementStateStore} it keeps what a restart must not lose ({@link ManagementState}: operators'
 * host changes, maintenance mode, pins, its table and the highest table version) and starts from it; without one (the
 * simulator) it starts from the inventory each time.
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
    private final long intervalMillis;
    private final ClusterMembers members;
    private final TableCoordinator table;
    private final PlacementChecks checks = new PlacementChecks();
    private final PowerRequests power;
    private final HaSettings settings;
    private final HostRequests hostRequests;
    private final Explainer explainer;
    private final ToleranceWatch tolerance;
    private final StateKeeper keeper;
    private TaskScheduler.Cancellable timer;
    private boolean running;

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
        this(transport, scheduler, planner, intervalMillis, failureTimeoutMillis, republishEvery, initial, hosts,
                StateKeeper.none());
    }

    /**
     * A service that keeps its {@link ManagementState} through {@code keeper}: it starts from what it kept (the hosts
     * operators added and removed, maintenance mode, pins, its table and the highest table version, above which its
     * first full table goes out), merged with {@code initial} ({@link ManagementState#restore}), and saves it again
     * whenever it changed. A state that cannot be read is reported in one line and ignored: the
     * service starts from {@code initial} and the versions it hears, as one without a store.
     *
     * @param transport its network endpoint
     * @param scheduler time
     * @param planner computes alternates
     * @param intervalMillis period of the computation
     * @param failureTimeoutMillis a host not heard for this long is left out of the alternates
     * @param republishEvery publish even an unchanged table every this many computations
     * @param initial the table to start from (the inventory's, with the leases)
     * @param hosts the configured hosts with their capacities
     * @param keeper where its state is kept, and who hears of a state that could not be read or written
     */
    public ManagementService(ClusterTransport transport, TaskScheduler scheduler, AlternateHostPlanner planner,
            long intervalMillis, long failureTimeoutMillis, int republishEvery, FailoverTable initial,
            Map<String, ResourceVector> hosts, StateKeeper keeper) {
        if (intervalMillis < 1 || republishEvery < 1) {
            throw new IllegalArgumentException("management needs intervalMillis and republishEvery >= 1, was "
                    + intervalMillis + "/" + republishEvery);
        }
        this.transport = transport;
        this.scheduler = scheduler;
        this.intervalMillis = intervalMillis;
        this.keeper = keeper;
        ManagementState kept = keeper.load();
        FailoverTable start = kept == null ? initial : kept.restore(initial);
        ManagementEvents events = new ManagementEvents(transport, scheduler::nowMillis);
        members = new ClusterMembers(failureTimeoutMillis, kept == null ? hosts : kept.hosts(hosts));
        table = new TableCoordinator(SOURCE, transport, planner, republishEvery, start, members, events);
        if (kept != null) {
            members.restore(kept);
            kept.pins().forEach(table::pin);
        }
        if (keeper.keeps()) {
            table.onIssuing(this::persist);
        }
        AdmissionDenials denials = new AdmissionDenials(events, checks::policy);
        power = new PowerRequests(members, table, checks, denials, scheduler::nowMillis);
        settings = new HaSettings(members, table, events, scheduler::nowMillis);
        hostRequests = new HostRequests(members, table, checks, events, scheduler::nowMillis);
        explainer = new Explainer(members, table, denials, scheduler::nowMillis);
        tolerance = new ToleranceWatch(checks::policy, this::snapshot, events);
    }

    /** Saves the state when it changed since the last save ({@link StateKeeper}). */
    private void persist() {
        if (keeper.keeps()) {
            keeper.keep(new ManagementState(table.version(), members.added(), members.removed(),
                    members.maintenanceSince(), table.pins(), table.table()));
        }
    }

    /** @return {@code result}, after keeping the state an operator's request changed */
    private <T> T persisted(T result) {
        persist();
        return result;
    }

    /** Starts computing and publishing (hosts count as heard from now). */
    public void start() {
        members.heardAllAt(scheduler.nowMillis());
        running = true;
        transport.subscribe(InboundGate.forManagement(members::contains, transport, scheduler::nowMillis, this));
        timer = scheduler.schedule(0, this::compute);
    }

    /** Stops; agents keep working on their replicas. */
    public void stop() {
        if (running) {
            persist();
        }
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
        return table.published();
    }

    private void compute() {
        if (!running) {
            return;
        }
        table.compute(scheduler.nowMillis());
        tolerance.check();
        persist();
        timer = scheduler.schedule(intervalMillis, this::compute);
    }

    @Override
    public void onHeartbeat(HostHeartbeat heartbeat) {
        if (running) {
            members.onHeartbeat(heartbeat, scheduler.nowMillis());
        }
    }

    @Override
    public void onTable(TableUpdate update) {
        if (running) {
            table.onTable(update);
        }
    }

    /**
     * @param policy supplies the admission policy in force, or null when none is configured (requests are
     *        then checked for fit only)
     */
    public void admission(Supplier<AdmissionPolicy> policy) {
        checks.admission(policy);
    }

    /** @return the hosts with their capacities and states now (failed: not heard within the timeout) */
    public List<HostView> hosts() {
        return members.views(scheduler.nowMillis(), table.entries());
    }

    /**
     * @return the hosts and the table as admission control sees them now: a failed host never heard (added, no
     *         heartbeat yet) is left out
     */
    public ClusterSnapshot snapshot() {
        return new ClusterSnapshot(members.admissionHosts(scheduler.nowMillis()), table.table());
    }

    /** @return the operator-pinned alternate hosts, by lun */
    public SortedMap<String, String> pins() {
        return table.pins();
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
        return persisted(power.powerOn(vm, host));
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
        return persisted(power.powerOff(vm));
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
        return persisted(power.migrate(vm, host));
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
        return persisted(settings.set(vm, priority, protect, alternate, isolation));
    }

    /**
     * Adds a host: it counts as failed, and not for admission, until its agent's heartbeats arrive.
     *
     * @param host the host name
     * @param capacity what it offers
     * @return its view
     * @throws CommandException BAD_REQUEST or CONFLICT
     */
    public HostView addHost(String host, ResourceVector capacity) {
        return persisted(hostRequests.add(host, capacity));
    }

    /**
     * Removes a host that runs no VM (put it in maintenance mode first) or that failed.
     *
     * @param host the host
     * @return its last view
     * @throws CommandException NOT_FOUND or CONFLICT
     */
    public HostView removeHost(String host) {
        return persisted(hostRequests.remove(host));
    }

    /**
     * Puts a host in or out of maintenance mode. In maintenance a host gets no power-ons, migrations or
     * alternates, and its running VMs are migrated to the hosts with the most free memory that admission
     * control accepts; VMs that fit nowhere stay and are listed with the reason.
     *
     * @param host the host
     * @param on true to enter, false to leave
     * @return the VMs migrating (VM to destination) and those that stayed (VM to reason)
     * @throws CommandException NOT_FOUND
     */
    public MaintenanceResult maintenance(String host, boolean on) {
        return persisted(hostRequests.maintenance(host, on));
    }

    /**
     * Explains in sentences why a VM is where it is, or why it does not run.
     *
     * @param vm the VM's name or lun
     * @return its facts and the sentences
     * @throws CommandException NOT_FOUND
     */
    public Explanation why(String vm) {
        return explainer.why(vm);
    }

    /**
     * Tells whether {@code why} asks about a VM or a host: a VM's name or lun first, then a host's name.
     *
     * @param name the name asked about
     * @param hostOnly look among the hosts only
     * @return true for a VM, false for a host
     * @throws CommandException NOT_FOUND naming it, with the closest VM or host name when one is close
     */
    public boolean isVm(String name, boolean hostOnly) {
        return explainer.isVm(name, hostOnly);
    }

    /** @return the volumes of the table, in table order: what {@link DatastoreEvidence#read} inspects */
    public List<String> luns() {
        List<String> out = new java.util.ArrayList<>();
        for (FailoverTableEntry e : table.entries()) {
            out.add(e.lun());
        }
        return out;
    }

    /**
     * Explains a host: its state, since when, who declared it, and the evidence.
     *
     * @param host the host
     * @param datastore what the datastore says of it, read off this service's thread
     * @return the facts and the sentences
     * @throws CommandException NOT_FOUND
     */
    public HostExplanation whyHost(String host, DatastoreEvidence datastore) {
        return explainer.whyHost(host, datastore);
    }

    /**
     * @param vm a VM name or lun
     * @return its entry
     * @throws CommandException BAD_REQUEST or NOT_FOUND
     */
    public FailoverTableEntry find(String vm) {
        return table.find(vm);
    }
}
