/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.CorruptDataException;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.StorageException;
import org.vmha.failover.AgentConfig;
import org.vmha.agent.host.HostAgent;
import org.vmha.api.command.reply.MaintenanceResult;
import org.vmha.management.ManagementService;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.ReplicaStore;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.hypervisor.sim.GuestImage;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.core.inventory.Inventory;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.testkit.FaultyHypervisor;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.VirtualScheduler;
import org.vmha.testkit.InMemoryTransport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link Simulation} is responsible for running one {@link Scenario} deterministically with the
 * production classes: one {@link HostAgent} per host (detector, isolation, failover executor,
 * replica, retry queue), the {@link FailoverPlanner}, the optional {@link ManagementService}, the
 * {@link SimulatedHypervisor}, the {@link InMemoryStorageAdapter} and the {@link InMemoryTransport},
 * all on one {@link VirtualScheduler}. It checks the invariants of ARCHITECTURE.md at every step:
 * <ol>
 * <li>{@code vm-on-two-hosts}: checked at every VM start;</li>
 * <li>{@code protected-vm-down-past-bound}: a protected VM that should run has been down longer than
 * {@code restartBoundMs} while some reachable host had room for it; checked every heartbeat interval
 * and after every scenario event;</li>
 * <li>{@code resume-not-latest-checkpoint}: a failover restart resumed from anything but the newest
 * intact complete checkpoint; checked at every VM start;</li>
 * <li>{@code powered-off-vm-restarted}: a VM that was powered off (by the scenario, through its agent)
 * starts again without a power-on; checked at every VM start;</li>
 * <li>{@code vm-started-in-maintenance}: a VM starts on a host in maintenance mode; checked at every VM
 * start;</li>
 * <li>{@code restart-thrash}: a VM restarted more than {@value #THRASH_RESTARTS} times within
 * {@value #THRASH_WINDOW_MS} ms without a failure of a host it ran on in that window; checked at every
 * restart.</li>
 * </ol>
 * Each agent runs on its own {@link AgentRuntime} (its serial thread: paused by {@code agent-pause},
 * stalled by hung storage calls of a {@code storage-hang} through its {@link SimGuard}); its hypervisor is
 * wrapped by a {@link FaultyHypervisor} ({@code hypervisor-fail}); its lease watchdog runs on the global
 * scheduler, apart from the agent.
 * Same scenario and seed give byte-identical output: every collection is ordered, every random draw
 * comes from the seed, and time is virtual.
 * <p>
 * <b>Threading:</b> single-threaded; {@link #run()} once.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class Simulation {

    /** {@code restart-thrash}: more restarts than this within {@link #THRASH_WINDOW_MS} is thrash. */
    public static final int THRASH_RESTARTS = InvariantChecker.THRASH_RESTARTS;
    /** {@code restart-thrash}: the window of virtual time the restarts are counted in. */
    public static final long THRASH_WINDOW_MS = InvariantChecker.THRASH_WINDOW_MS;

    private final Scenario scenario;
    private final Scenario.Config cfg;
    private final SimCluster cluster;
    private final VirtualScheduler sched;
    private final InMemoryStorageAdapter shared;
    private final InMemoryTransport transport;
    private final SortedMap<String, SimHost> hosts;
    private final SortedMap<String, SimVm> vms;
    private final Map<String, SimVm> byLun;
    private final SortedMap<String, SimVm> down;
    private final SimLog log;
    private final InvariantChecker invariants;
    private final ObjectMapper mapper;
    private final Map<String, String> coldStart;
    private final TreeSet<String> maintenance;
    private boolean ran;

    /**
     * Observes agent events with the wall-clock time they were published (benchmarks).
     *
     * @author vmha - Initial contribution
     */
    @FunctionalInterface
    public interface EventProbe {

        /**
         * @param type the CloudEvent type
         * @param nanoTime {@link System#nanoTime()} when it was published
         */
        void published(String type, long nanoTime);
    }

    /** @param sink sees every agent event as published; call before {@link #run()} */
    public void onCloudEvent(java.util.function.Consumer<CloudEvent> sink) {
        log.onCloudEvent(sink);
    }

    /** Sees what the simulated hypervisors do (tests). */
    @FunctionalInterface
    interface HypervisorProbe {
        /**
         * @param atMillis virtual time
         * @param host the host
         * @param what {@code start}, {@code stop} or {@code checkpoint}
         * @param lun the VM's volume
         * @param detail the checkpoint resumed from (-1 cold), the stop reason, or the checkpoint's sequence
         */
        void seen(long atMillis, String host, String what, String lun, String detail);
    }

    /** @param probe sees every VM start, stop and checkpoint of every simulated hypervisor; call before {@link #run()} */
    void onHypervisor(HypervisorProbe probe) {
        invariants.onHypervisor(probe);
    }

    /**
     * For tests of the invariants: at a virtual time, starts a VM on a host's hypervisor behind HA's back (as an
     * operator with the hypervisor's own tools would), resuming from its latest checkpoint, under the volume's
     * current lease generation.
     *
     * @param atMillis when
     * @param host a host that is on then
     * @param vm the VM's name
     */
    void startBehindTheAgents(long atMillis, String host, String vm) {
        sched.schedule(atMillis - sched.nowMillis(), () -> {
            SimVm v = vms.get(vm);
            long generation = shared.inspectLease(v.lun).map(l -> l.generation()).orElse(0L);
            Vmx vmx = shared.readHardware(v.lun).orElseThrow();
            hosts.get(host).hv.start(new org.vmha.api.hypervisor.StartRequest(vm, v.lun, vmx, generation, true));
        });
    }

    /**
     * For tests of the invariants: at a virtual time, the guest of a VM dies on its host (a guest crash, not a host
     * failure): the hypervisor stops it without HA asking.
     *
     * @param atMillis when
     * @param host the host it runs on then
     * @param vm the VM's name
     */
    void crashGuestBehindTheAgents(long atMillis, String host, String vm) {
        sched.schedule(atMillis - sched.nowMillis(), () -> hosts.get(host).hv.powerOff(vms.get(vm).lun));
    }

    /** @param probe sees every agent event with its wall-clock publication time; call before {@link #run()} */
    public void onEvent(EventProbe probe) {
        log.onEvent(probe);
    }

    /** @param scenario the scenario */
    public Simulation(Scenario scenario) {
        this.scenario = scenario;
        this.cfg = scenario.config();
        this.cluster = new SimCluster(scenario);
        this.sched = cluster.sched;
        this.shared = cluster.shared;
        this.transport = cluster.transport;
        this.hosts = cluster.hosts;
        this.vms = cluster.vms;
        this.byLun = cluster.byLun;
        this.down = cluster.down;
        this.coldStart = cluster.coldStart;
        this.maintenance = cluster.maintenance;
        this.log = new SimLog(sched);
        this.mapper = log.mapper();
        this.invariants = new InvariantChecker(cluster, log);
        cluster.watchHypervisors(invariants, (host, op, lun, left) -> {
            log.hypervisorFailed(host, op, lun, left);
            invariants.hostFailed(host);
        });
        transport.observeEvents(e -> {
            log.published(e);
            invariants.published(e);
        });
    }

    /** @return the lun used on the datastore for an inventory lun (the storage naming rule) */
    static String storageLun(String lun) {
        return lun.startsWith("lun-") ? lun : "lun-" + lun;
    }

    /**
     * Runs the scenario to its end time.
     *
     * @return the output document (vms, hosts, events, violations)
     */
    public ObjectNode run() {
        if (ran) {
            throw new IllegalStateException("a simulation runs once");
        }
        ran = true;
        setUp();
        for (Scenario.Event e : scenario.events()) {
            sched.schedule(e.atMillis(), () -> apply(e));
        }
        sched.schedule(cfg.heartbeatIntervalMs(), invariants::periodicCheck);
        sched.runUntil(scenario.untilMillis());
        return output();
    }

    // ------------------------------------------------------------------ set-up

    private void setUp() {
        Inventory inv = scenario.inventory();
        for (Host h : inv.hosts()) {
            SimHost sh = new SimHost(h.name(), h.capacity(), cluster);
            sh.power = h.state() == HostState.REMOVED ? SimHost.Power.REMOVED : SimHost.Power.ON;
            hosts.put(h.name(), sh);
            sh.startHypervisor();
        }
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (Inventory.InventoryVm v : inv.vms()) {
            String vmId = storageLun(v.lun()).substring("lun-".length());
            // the datastore's own name object from here on: its lookups by name then compare references
            String lun = shared.provisionVolume(vmId).lun();
            SimVm sv = new SimVm(v.name(), lun, v.reservation(), v.ha() && v.toEntry().isProtected(), v.poweredOn());
            sv.poweredOff = !v.poweredOn();
            vms.put(v.name(), sv);
            byLun.put(lun, sv);
            Vmx vmx = vmx(v);
            String owner = v.poweredOn() ? v.host() : "provisioner";
            Lease lease = shared.acquireLease(lun, owner);
            shared.writeHardware(lun, lease.generation(), vmx);
            if (v.poweredOn()) {
                SimHost sh = hosts.get(v.host());
                coldStart.put(lun, "initial power-on");
                sh.hv.start(new org.vmha.api.hypervisor.StartRequest(v.name(), lun, vmx, lease.generation(), false));
            } else {
                shared.releaseLease(lease);
            }
            FailoverTableEntry e = v.toEntry();
            // the entry names its host by the host's own String object (equal text, one object): the
            // agents compare and hash these names millions of times, a shared object stays in cache
            SimHost current = e.currentHost() == null ? null : hosts.get(e.currentHost());
            entries.add(new FailoverTableEntry(e.vm(), lun, current == null ? e.currentHost() : current.name, null,
                    e.priority(), e.reservation(), e.state(), lease.generation()));
        }
        FailoverTable table = new FailoverTable(1, entries);
        cluster.inventoryTable = table;
        for (SimHost sh : hosts.values()) {
            sh.store.save(table);
        }
        for (SimHost sh : hosts.values()) {
            if (sh.power == SimHost.Power.ON) {
                sh.startAgent();
            }
        }
        if (cfg.management()) {
            cluster.startManagement(table);
        }
    }

    /** The VMX of a simulated VM: memory from the reservation, the simulated hypervisor's load equal to it. */
    private static Vmx vmx(Inventory.InventoryVm v) {
        return Vmx.builder()
                .memoryMb(Math.max(1, v.reservation().get(ResourceVector.MEMORY_MB)))
                .property(SimulatedHypervisor.LOAD_CPU_MHZ, Long.toString(v.reservation().get(ResourceVector.CPU_MHZ)))
                .property(SimulatedHypervisor.LOAD_MEMORY_MB,
                        Long.toString(v.reservation().get(ResourceVector.MEMORY_MB)))
                .build();
    }

    /**
     * Runs a scenario request on a host's agent thread: now, or once the thread is free again (the request
     * waits in its queue, as an operator command would); a deferred request's failure is recorded then.
     */
    private void onAgent(SimHost sh, Scenario.Event e, ObjectNode data, Runnable request, Runnable onFailure) {
        AgentRuntime rt = sh.runtime;
        boolean[] now = {true};
        boolean ran = rt.execute(() -> {
            try {
                request.run();
            } catch (RuntimeException ex) {
                onFailure.run();
                if (now[0]) {
                    throw ex;
                }
                ObjectNode late = log.record("sim.vm." + e.action(), "scenario", e.vm());
                ObjectNode d = late.putObject("data");
                d.put("deferred", true);
                d.put("error", String.valueOf(ex.getMessage()));
                d.put("event", e.index());
            }
        });
        now[0] = false;
        if (!ran) {
            data.put("deferredUntil", rt.blockedUntil());
        }
    }

    // ------------------------------------------------------------------ scenario events

    private void apply(Scenario.Event e) {
        ObjectNode ev = log.record("sim." + (e.host() != null ? "host." : e.vm() != null ? "vm." : "cluster.") + e.action(),
                "scenario", e.host() != null ? e.host() : e.vm() != null ? e.vm() : "cluster");
        ObjectNode data = ev.putObject("data");
        data.put("event", e.index());
        try {
            if (e.host() != null) {
                hostEvent(e, data);
            } else if (e.vm() != null) {
                vmEvent(e, data);
            } else {
                clusterEvent(e);
            }
        } catch (RuntimeException ex) {
            data.put("error", String.valueOf(ex.getMessage()));
        }
        invariants.checkDown();
    }

    private void hostEvent(Scenario.Event e, ObjectNode data) {
        SimHost sh = hosts.get(e.host());
        if (sh == null && !e.action().equals("add")) {
            throw new IllegalStateException("host " + e.host() + " is not in the cluster yet: its 'add' comes later");
        }
        switch (e.action()) {
            case "add" -> {
                SimHost n = new SimHost(e.host(), e.capacity(), cluster);
                hosts.put(n.name, n);
                // as ha:host-add: the agents accept a host's heartbeats once the management service names it
                if (cluster.management != null && cluster.management.running()) {
                    cluster.management.addHost(n.name, n.capacity);
                }
                n.startHypervisor();
                n.store.save(FailoverTable.EMPTY);
                n.startAgent();
            }
            case "power-off", "remove" -> {
                if (sh.power == SimHost.Power.ON) {
                    sh.crash();
                }
                sh.power = e.action().equals("remove") ? SimHost.Power.REMOVED : SimHost.Power.OFF;
            }
            case "maintenance-on", "maintenance-off" -> {
                boolean on = e.action().equals("maintenance-on");
                MaintenanceResult r = cluster.requireManagement(e.action()).maintenance(e.host(), on);
                if (on) {
                    maintenance.add(e.host());
                } else {
                    maintenance.remove(e.host());
                }
                data.set("migrating", mapper.valueToTree(r.migrating()));
                data.set("stayed", mapper.valueToTree(r.stayed()));
            }
            case "storage-hang" -> {
                sh.storage.hang(sched.nowMillis() + e.forMillis());
                data.put("until", sh.storage.hangUntil());
            }
            case "agent-pause" -> {
                if (sh.power != SimHost.Power.ON) {
                    data.put("ignored", "host is off");
                    return;
                }
                sh.runtime.pause(sched.nowMillis() + e.forMillis());
                data.put("until", sh.runtime.blockedUntil());
            }
            case "hypervisor-fail" -> {
                sh.faults.arm(e.op(), e.count());
                data.put("count", e.count());
                data.put("op", e.op());
            }
            case "power-on" -> {
                if (sh.power == SimHost.Power.ON) {
                    data.put("ignored", "host is already on");
                    return;
                }
                if (sh.power == SimHost.Power.REMOVED) {
                    data.put("ignored", "host was removed");
                    return;
                }
                sh.power = SimHost.Power.ON;
                sh.startHypervisor();
                sh.startAgent();
            }
            case "network-off" -> {
                sh.network = false;
                transport.setNetwork(sh.name, false);
            }
            case "network-on" -> {
                sh.network = true;
                transport.setNetwork(sh.name, true);
            }
            case "storage-off" -> sh.storage.setUp(false);
            case "storage-on" -> sh.storage.setUp(true);
            default -> throw new IllegalStateException("unhandled host action " + e.action());
        }
    }

    private void vmEvent(Scenario.Event e, ObjectNode data) {
        SimVm vm = vms.get(e.vm());
        if (e.action().equals("migrate")) {
            // an operator's request: it goes through the management service, as in the product
            data.put("to", e.to());
            FailoverTableEntry m = cluster.requireManagement("migrate").migrate(vm.lun, e.to());
            data.put("from", m.currentHost());
            return;
        }
        if (e.action().equals("corrupt-checkpoint")) {
            OptionalLong seq = shared.corruptLatestCheckpoint(vm.lun);
            if (seq.isPresent()) {
                data.put("sequence", seq.getAsLong());
            } else {
                data.put("ignored", "no checkpoint yet");
            }
            return;
        }
        if (e.action().equals("power-off")) {
            vm.desiredOn = false;
            vm.downSince = -1;
            down.remove(vm.name);
            for (String h : new ArrayList<>(vm.runningOn)) {
                SimHost sh = hosts.get(h);
                if (sh.agent != null && sh.power == SimHost.Power.ON) {
                    onAgent(sh, e, data, () -> {
                        sh.agent.powerOffVm(vm.lun);
                        vm.poweredOff = !vm.desiredOn;
                    }, () -> {
                        // the agent could not power it off: it runs on, as the cluster knows
                        if (!vm.runningOn.isEmpty()) {
                            vm.desiredOn = true;
                        }
                    });
                } else {
                    sh.hv.powerOff(vm.lun);
                }
            }
            return;
        }
        if (!vm.runningOn.isEmpty()) {
            data.put("ignored", "already running on " + vm.runningOn.first());
            return;
        }
        String target = null;
        Inventory.InventoryVm iv = scenario.inventory().vms().stream().filter(v -> v.name().equals(vm.name))
                .findFirst().orElseThrow();
        if (iv.host() != null && hosts.containsKey(iv.host()) && hosts.get(iv.host()).power == SimHost.Power.ON
                && !maintenance.contains(iv.host())) {
            target = iv.host();
        } else {
            for (SimHost h : hosts.values()) {
                if (h.power == SimHost.Power.ON && !maintenance.contains(h.name)) {
                    target = h.name;
                    break;
                }
            }
        }
        if (target == null) {
            throw new IllegalStateException("no host is on to power " + vm.name + " on");
        }
        data.put("host", target);
        vm.desiredOn = true;
        vm.poweredOff = false;
        coldStart.put(vm.lun, "power-on");
        SimHost th = hosts.get(target);
        onAgent(th, e, data, () -> th.agent.powerOnVm(vm.lun), () -> {
        });
    }

    private void clusterEvent(Scenario.Event e) {
        String action = e.action();
        switch (action) {
            case "management-off" -> {
                if (cluster.management != null) {
                    cluster.management.stop();
                    transport.endpoint(ManagementService.SOURCE).unsubscribe();
                }
            }
            case "management-on" -> {
                if (cluster.management == null || !cluster.management.running()) {
                    // fresh: as the product's service after a restart, from the inventory (version 1); else seeded
                    // with an agent's replica
                    FailoverTable t = e.fresh() ? cluster.inventoryTable : cluster.firstAgentTable();
                    maintenance.clear(); // a new service starts with no host in maintenance mode
                    cluster.startManagement(t);
                }
            }
            case "broker-off" -> transport.setBroker(false);
            case "broker-on" -> transport.setBroker(true);
            default -> throw new IllegalStateException("unhandled cluster action " + action);
        }
    }

    // ------------------------------------------------------------------ output

    private ObjectNode output() {
        ObjectNode root = mapper.createObjectNode();
        root.put("seed", scenario.seed());
        root.put("until", scenario.untilMillis());
        ArrayNode vmArr = root.putArray("vms");
        HostAgent observer = cluster.observer();
        for (SimVm v : vms.values()) {
            ObjectNode n = vmArr.addObject();
            n.put("name", v.name);
            String host = v.runningOn.isEmpty() ? null : v.runningOn.first();
            if (host != null) {
                n.put("host", host);
                n.put("state", "RUNNING");
                Optional<GuestImage> g = hosts.get(host).hv.guest(v.lun);
                g.ifPresent(img -> {
                    n.put("counter", img.counter());
                    n.put("boots", img.boots());
                });
            } else {
                n.putNull("host");
                Optional<FailoverTableEntry> e = observer == null ? Optional.empty()
                        : observer.replica().entry(v.lun);
                VmState st = e.map(FailoverTableEntry::state).orElse(VmState.POWERED_OFF);
                if (!v.desiredOn) {
                    n.put("state", "POWERED_OFF");
                } else if (st instanceof VmState.RestartPending p) {
                    n.put("state", "RESTART_PENDING");
                    n.put("reason", p.reason());
                } else if (st instanceof VmState.Failed f) {
                    n.put("state", "FAILED");
                    n.put("reason", f.reason());
                } else {
                    n.put("state", "DOWN");
                }
            }
            n.put("restarts", v.restarts);
            if (v.resumedFrom >= 0) {
                n.put("resumedFromCheckpoint", v.resumedFrom);
            } else {
                n.putNull("resumedFromCheckpoint");
            }
        }
        ArrayNode hostArr = root.putArray("hosts");
        for (SimHost h : hosts.values()) {
            ObjectNode n = hostArr.addObject();
            n.put("name", h.name);
            String state;
            if (h.power == SimHost.Power.REMOVED) {
                state = "REMOVED";
            } else if (h.power == SimHost.Power.OFF) {
                state = "POWERED_OFF";
            } else if (h.agent != null && h.agent.isolated()) {
                state = "ISOLATED";
            } else {
                state = "CONNECTED";
            }
            n.put("state", state);
            n.put("network", h.network);
            n.put("storage", h.storage.up());
            n.put("runningVms", h.power == SimHost.Power.ON ? h.hv.listRunning().size() : 0);
        }
        root.set("events", log.events());
        root.set("violations", log.violations());
        ObjectNode stats = root.putObject("stats");
        stats.put("tasks", sched.executed());
        stats.put("messages", transport.sent());
        stats.put("messagesDropped", transport.dropped());
        stats.put("managementTables", cluster.management == null ? 0 : cluster.management.published());
        return root;
    }

    /**
     * For tests: where a host's agent believes each VM runs, from its table replica, after {@link #run()}.
     *
     * @param host a host that is on
     * @return VM name to the replica entry's current host ({@code "-"} for none), by VM name
     */
    SortedMap<String, String> replicaPlacements(String host) {
        SimHost h = hosts.get(host);
        if (h == null || h.agent == null || h.power != SimHost.Power.ON) {
            throw new IllegalArgumentException("host " + host + " has no running agent");
        }
        SortedMap<String, String> m = new TreeMap<>();
        for (FailoverTableEntry e : h.agent.replica().entries()) {
            SimVm v = byLun.get(e.lun());
            m.put(v == null ? e.vm() : v.name, e.currentHost() == null ? "-" : e.currentHost());
        }
        return m;
    }
}
