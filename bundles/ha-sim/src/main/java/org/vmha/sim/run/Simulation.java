/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.vmha.api.storage.Lease;
import org.vmha.core.agent.AgentConfig;
import org.vmha.core.agent.HostAgent;
import org.vmha.core.agent.ManagementService;
import org.vmha.core.agent.ReplicaStore;
import org.vmha.core.fence.LeaseWatchdog;
import org.vmha.core.guard.DirectGuard;
import org.vmha.core.hypervisor.GuestImage;
import org.vmha.core.hypervisor.SimulatedHypervisor;
import org.vmha.core.inventory.Inventory;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.core.storage.InMemoryStorageAdapter;
import org.vmha.core.time.VirtualScheduler;
import org.vmha.core.transport.InMemoryTransport;

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
 * <li>{@code resume-not-latest-checkpoint}: a failover restart resumed from anything but the latest
 * complete checkpoint; checked at every VM start.</li>
 * </ol>
 * Same scenario and seed give byte-identical output: every collection is ordered, every random draw
 * comes from the seed, and time is virtual.
 * <p>
 * <b>Threading:</b> single-threaded; {@link #run()} once.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class Simulation {

    private final Scenario scenario;
    private final Scenario.Config cfg;
    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryStorageAdapter shared;
    private final InMemoryTransport transport;
    private final FailoverPlanner planner;
    private final AgentConfig agentConfig;
    private final SortedMap<String, SimHost> hosts = new TreeMap<>();
    private final SortedMap<String, SimVm> vms = new TreeMap<>();
    private final Map<String, SimVm> byLun = new HashMap<>();
    /** The VMs that are down although they should run (downSince set), by name: what checkDown visits. */
    private final SortedMap<String, SimVm> down = new TreeMap<>();
    private final ObjectMapper mapper = new ObjectMapper();
    private final ArrayNode events = mapper.createArrayNode();
    private final ArrayNode violations = mapper.createArrayNode();
    private final Map<String, String> coldStart = new HashMap<>();
    private ManagementService management;
    private boolean ran;
    private EventProbe probe;
    private java.util.function.Consumer<CloudEvent> sink;

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
        this.sink = sink;
    }

    /** @param probe sees every agent event with its wall-clock publication time; call before {@link #run()} */
    public void onEvent(EventProbe probe) {
        this.probe = probe;
    }

    /** Host lifecycle in the simulation. */
    private enum Power { ON, OFF, REMOVED }

    private final class SimHost {
        final String name;
        final ResourceVector capacity;
        final SwitchableStorage storage;
        final ReplicaStore store = ReplicaStore.inMemory();
        Power power = Power.ON;
        boolean network = true;
        SimulatedHypervisor hv;
        HostAgent agent;
        LeaseWatchdog watchdog;

        SimHost(String name, ResourceVector capacity) {
            this.name = name;
            this.capacity = capacity;
            this.storage = new SwitchableStorage(name, shared);
        }
    }

    private static final class SimVm {
        final String name;
        final String lun;
        final ResourceVector reservation;
        final boolean protectedVm;
        boolean desiredOn;
        long downSince = -1;
        long roomSince = -1;
        boolean downReported;
        int restarts;
        long resumedFrom = -1;
        final TreeSet<String> runningOn = new TreeSet<>();

        SimVm(String name, String lun, ResourceVector reservation, boolean protectedVm, boolean desiredOn) {
            this.name = name;
            this.lun = lun;
            this.reservation = reservation;
            this.protectedVm = protectedVm;
            this.desiredOn = desiredOn;
        }
    }

    /** @param scenario the scenario */
    public Simulation(Scenario scenario) {
        this.scenario = scenario;
        this.cfg = scenario.config();
        this.shared = new InMemoryStorageAdapter(sched.clock(), cfg.leaseDurationMs());
        this.transport = new InMemoryTransport(sched, scenario.seed(), cfg.messageLoss(), cfg.messageDelayMinMs(),
                cfg.messageDelayMaxMs());
        this.planner = new FailoverPlanner(cfg.maxConcurrentRestarts(), true);
        this.agentConfig = new AgentConfig(cfg.heartbeatIntervalMs(), cfg.failureTimeoutMs(), cfg.isolationResponse(),
                cfg.isolationResponseOverrides(), cfg.isolationDelayMs(), cfg.maxConcurrentRestarts(),
                cfg.heartbeatIntervalMs(), 60_000, 5, 30);
        transport.observeEvents(this::onEvent);
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
        sched.schedule(cfg.heartbeatIntervalMs(), this::periodicCheck);
        sched.runUntil(scenario.untilMillis());
        return output();
    }

    // ------------------------------------------------------------------ set-up

    private void setUp() {
        Inventory inv = scenario.inventory();
        for (Host h : inv.hosts()) {
            SimHost sh = new SimHost(h.name(), h.capacity());
            sh.power = h.state() == HostState.REMOVED ? Power.REMOVED : Power.ON;
            hosts.put(h.name(), sh);
            sh.hv = hypervisor(sh);
        }
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (Inventory.InventoryVm v : inv.vms()) {
            String vmId = storageLun(v.lun()).substring("lun-".length());
            // the datastore's own name object from here on: its lookups by name then compare references
            String lun = shared.provisionVolume(vmId).lun();
            SimVm sv = new SimVm(v.name(), lun, v.reservation(), v.ha() && v.toEntry().isProtected(), v.poweredOn());
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
        for (SimHost sh : hosts.values()) {
            sh.store.save(table);
        }
        for (SimHost sh : hosts.values()) {
            if (sh.power == Power.ON) {
                startAgent(sh);
            }
        }
        if (cfg.management()) {
            management = new ManagementService(transport.endpoint(ManagementService.SOURCE), sched,
                    new AlternateHostPlanner(cfg.maxConcurrentRestarts()), cfg.managementIntervalMs(),
                    cfg.failureTimeoutMs(), 60, table, capacities());
            management.start();
        }
    }

    private static Vmx vmx(Inventory.InventoryVm v) {
        long mem = Math.max(1, v.reservation().get(ResourceVector.MEMORY_MB));
        Map<String, String> props = new TreeMap<>();
        props.put("sim.load.cpuMhz", Long.toString(v.reservation().get(ResourceVector.CPU_MHZ)));
        props.put("sim.load.memoryMb", Long.toString(v.reservation().get(ResourceVector.MEMORY_MB)));
        return new Vmx(1, mem, null, null, null, props);
    }

    private SortedMap<String, ResourceVector> capacities() {
        SortedMap<String, ResourceVector> m = new TreeMap<>();
        for (SimHost h : hosts.values()) {
            if (h.power != Power.REMOVED) {
                m.put(h.name, h.capacity);
            }
        }
        return m;
    }

    private SimulatedHypervisor hypervisor(SimHost sh) {
        return new SimulatedHypervisor(sh.name, sh.capacity, sh.storage, sched,
                new SimulatedHypervisor.Settings(cfg.bootDelayMs(), cfg.checkpointIntervalMs(), 100), new Watch());
    }

    private void startAgent(SimHost sh) {
        InMemoryTransport.Endpoint ep = transport.endpoint(sh.name);
        // the watchdog runs on the scenario's clock, apart from the agent: it models the host's fencing that goes on
        // while the agent's thread is stuck
        if (sh.watchdog != null) {
            sh.watchdog.stop();
        }
        sh.watchdog = LeaseWatchdog.started(sh.name, sched, sh.hv, Math.max(1, cfg.heartbeatIntervalMs() / 4));
        sh.agent = new HostAgent(sh.name, sh.capacity, agentConfig, sched, ep, sh.storage, sh.hv, new DirectGuard(),
                sh.store, planner, Runnable::run, capacities(), sh.watchdog);
        sh.agent.start();
    }

    // ------------------------------------------------------------------ scenario events

    private void apply(Scenario.Event e) {
        ObjectNode ev = record("sim." + (e.host() != null ? "host." : e.vm() != null ? "vm." : "cluster.") + e.action(),
                "scenario", e.host() != null ? e.host() : e.vm() != null ? e.vm() : "cluster");
        ObjectNode data = ev.putObject("data");
        data.put("event", e.index());
        try {
            if (e.host() != null) {
                hostEvent(e, data);
            } else if (e.vm() != null) {
                vmEvent(e, data);
            } else {
                clusterEvent(e.action());
            }
        } catch (RuntimeException ex) {
            data.put("error", String.valueOf(ex.getMessage()));
        }
        checkDown();
    }

    private void hostEvent(Scenario.Event e, ObjectNode data) {
        SimHost sh = hosts.get(e.host());
        switch (e.action()) {
            case "add" -> {
                SimHost n = new SimHost(e.host(), e.capacity());
                hosts.put(n.name, n);
                // as ha:host-add: the agents accept a host's heartbeats once the management service names it
                if (management != null && management.running()) {
                    management.addHost(n.name, n.capacity);
                }
                n.hv = hypervisor(n);
                n.store.save(FailoverTable.EMPTY);
                startAgent(n);
            }
            case "power-off", "remove" -> {
                if (sh.power == Power.ON) {
                    sh.agent.stop();
                    transport.endpoint(sh.name).unsubscribe();
                    sh.hv.crash();
                    sh.watchdog.stop();
                }
                sh.power = e.action().equals("remove") ? Power.REMOVED : Power.OFF;
            }
            case "maintenance-on", "maintenance-off" -> {
                Map<String, Object> r = requireManagement(e.action())
                        .maintenance(e.host(), e.action().equals("maintenance-on"));
                data.set("migrating", mapper.valueToTree(r.get("migrating")));
                data.set("stayed", mapper.valueToTree(r.get("stayed")));
            }
            case "power-on" -> {
                if (sh.power == Power.ON) {
                    data.put("ignored", "host is already on");
                    return;
                }
                if (sh.power == Power.REMOVED) {
                    data.put("ignored", "host was removed");
                    return;
                }
                sh.power = Power.ON;
                sh.hv = hypervisor(sh);
                startAgent(sh);
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

    private ManagementService requireManagement(String action) {
        if (management == null || !management.running()) {
            throw new IllegalStateException("'" + action + "' needs the management service, which is off");
        }
        return management;
    }

    private void vmEvent(Scenario.Event e, ObjectNode data) {
        SimVm vm = vms.get(e.vm());
        if (e.action().equals("migrate")) {
            // an operator's request: it goes through the management service, as in the product
            data.put("to", e.to());
            FailoverTableEntry m = requireManagement("migrate").migrate(vm.lun, e.to());
            data.put("from", m.currentHost());
            return;
        }
        if (e.action().equals("power-off")) {
            vm.desiredOn = false;
            vm.downSince = -1;
            down.remove(vm.name);
            for (String h : new ArrayList<>(vm.runningOn)) {
                SimHost sh = hosts.get(h);
                if (sh.agent != null && sh.power == Power.ON) {
                    sh.agent.powerOffVm(vm.lun);
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
        if (iv.host() != null && hosts.containsKey(iv.host()) && hosts.get(iv.host()).power == Power.ON) {
            target = iv.host();
        } else {
            for (SimHost h : hosts.values()) {
                if (h.power == Power.ON) {
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
        coldStart.put(vm.lun, "power-on");
        hosts.get(target).agent.powerOnVm(vm.lun);
    }

    private void clusterEvent(String action) {
        switch (action) {
            case "management-off" -> {
                if (management != null) {
                    management.stop();
                    transport.endpoint(ManagementService.SOURCE).unsubscribe();
                }
            }
            case "management-on" -> {
                if (management == null || !management.running()) {
                    FailoverTable t = firstAgentTable();
                    management = new ManagementService(transport.endpoint(ManagementService.SOURCE), sched,
                            new AlternateHostPlanner(cfg.maxConcurrentRestarts()), cfg.managementIntervalMs(),
                            cfg.failureTimeoutMs(), 60, t, capacities());
                    management.start();
                }
            }
            case "broker-off" -> transport.setBroker(false);
            case "broker-on" -> transport.setBroker(true);
            default -> throw new IllegalStateException("unhandled cluster action " + action);
        }
    }

    private FailoverTable firstAgentTable() {
        for (SimHost h : hosts.values()) {
            if (h.power == Power.ON && h.agent != null) {
                return h.agent.replica().table();
            }
        }
        return FailoverTable.EMPTY;
    }

    // ------------------------------------------------------------------ invariants

    /** Watches every hypervisor: invariants 1 and 3. */
    private final class Watch implements SimulatedHypervisor.Listener {

        @Override
        public void started(String host, RunningVm vm) {
            SimVm v = byLun.get(vm.lun());
            if (v == null) {
                return;
            }
            v.runningOn.add(host);
            v.downSince = -1;
            down.remove(v.name);
            v.roomSince = -1;
            v.downReported = false;
            v.resumedFrom = vm.resumedFromCheckpoint();
            if (v.runningOn.size() > 1) {
                violation("vm-on-two-hosts", v.name, v.name + " runs on " + v.runningOn);
            }
            String cold = coldStart.remove(vm.lun());
            if (cold == null) {
                List<CheckpointInfo> cps = shared.listCheckpoints(vm.lun());
                long latest = cps.isEmpty() ? -1 : cps.get(cps.size() - 1).sequence();
                if (latest != vm.resumedFromCheckpoint()) {
                    violation("resume-not-latest-checkpoint", v.name, v.name + " on " + host + " resumed from "
                            + vm.resumedFromCheckpoint() + " but the latest complete checkpoint is " + latest);
                }
            }
        }

        @Override
        public void stopped(String host, String lun, String reason) {
            SimVm v = byLun.get(lun);
            if (v == null) {
                return;
            }
            v.runningOn.remove(host);
            if (v.runningOn.isEmpty() && v.desiredOn && v.downSince < 0) {
                v.downSince = sched.nowMillis();
                v.downReported = false;
                down.put(v.name, v);
            }
        }
    }

    private void periodicCheck() {
        checkDown();
        sched.schedule(cfg.heartbeatIntervalMs(), this::periodicCheck);
    }

    private void checkDown() {
        long now = sched.nowMillis();
        Map<String, ResourceVector> free = null;
        // every VM with downSince >= 0 is in down, so this visits the same VMs in the same order as a walk over
        // all of them would, without touching the thousands that run
        for (SimVm v : down.values()) {
            if (!v.protectedVm || !v.desiredOn || v.downSince < 0 || v.downReported) {
                continue;
            }
            if (free == null) {
                free = freeCapacity();
            }
            String room = null;
            for (Map.Entry<String, ResourceVector> f : free.entrySet()) {
                if (v.reservation.fitsIn(f.getValue())) {
                    room = f.getKey();
                    break;
                }
            }
            if (room == null) {
                v.roomSince = -1;
                continue;
            }
            if (v.roomSince < 0) {
                v.roomSince = now;
            }
            long since = Math.max(v.downSince, v.roomSince);
            if (now - since > cfg.restartBoundMs()) {
                v.downReported = true;
                violation("protected-vm-down-past-bound", v.name, v.name + " has been down since " + v.downSince
                        + " ms and " + room + " has had room for it since " + since + " ms (bound "
                        + cfg.restartBoundMs() + " ms)");
            }
        }
    }

    /** Free capacity of every host that is on, reachable and has its storage. */
    private Map<String, ResourceVector> freeCapacity() {
        Map<String, ResourceVector> free = new TreeMap<>();
        for (SimHost h : hosts.values()) {
            if (h.power == Power.ON && h.network && h.storage.up() && transport.brokerUp()) {
                free.put(h.name, h.capacity);
            }
        }
        for (SimVm v : vms.values()) {
            for (String h : v.runningOn) {
                free.computeIfPresent(h, (k, c) -> c.minus(v.reservation));
            }
        }
        return free;
    }

    private void violation(String invariant, String vm, String detail) {
        ObjectNode n = violations.addObject();
        n.put("at", sched.nowMillis());
        n.put("invariant", invariant);
        n.put("vm", vm);
        n.put("detail", detail);
    }

    // ------------------------------------------------------------------ output

    private void onEvent(CloudEvent e) {
        if (probe != null) {
            probe.published(e.type(), System.nanoTime());
        }
        if (sink != null) {
            sink.accept(e);
        }
        ObjectNode n = record(e.type(), e.source(), e.subject());
        n.set("data", mapper.valueToTree(new TreeMap<>(e.data())));
        if (EventTypes.VM_RESTARTED.equals(e.type())) {
            SimVm v = vms.get(e.subject());
            if (v != null) {
                v.restarts++;
            }
        }
    }

    private ObjectNode record(String type, String source, String subject) {
        ObjectNode n = events.addObject();
        n.put("at", sched.nowMillis());
        n.put("type", type);
        n.put("source", source);
        n.put("subject", subject);
        return n;
    }

    private ObjectNode output() {
        ObjectNode root = mapper.createObjectNode();
        root.put("seed", scenario.seed());
        root.put("until", scenario.untilMillis());
        ArrayNode vmArr = root.putArray("vms");
        HostAgent observer = observer();
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
            if (h.power == Power.REMOVED) {
                state = "REMOVED";
            } else if (h.power == Power.OFF) {
                state = "POWERED_OFF";
            } else if (h.agent != null && h.agent.isolated()) {
                state = "ISOLATED";
            } else {
                state = "CONNECTED";
            }
            n.put("state", state);
            n.put("network", h.network);
            n.put("storage", h.storage.up());
            n.put("runningVms", h.power == Power.ON ? h.hv.listRunning().size() : 0);
        }
        root.set("events", events);
        root.set("violations", violations);
        ObjectNode stats = root.putObject("stats");
        stats.put("tasks", sched.executed());
        stats.put("messages", transport.sent());
        stats.put("messagesDropped", transport.dropped());
        stats.put("managementTables", management == null ? 0 : management.published());
        return root;
    }

    /** The lowest-named running agent: its replica tells the state of VMs that run nowhere. */
    private HostAgent observer() {
        for (SimHost h : hosts.values()) {
            if (h.power == Power.ON && h.agent != null && h.network) {
                return h.agent;
            }
        }
        return null;
    }
}
