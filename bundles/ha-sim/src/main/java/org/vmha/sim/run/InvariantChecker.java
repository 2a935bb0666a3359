/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.CorruptDataException;
import org.vmha.api.storage.StorageException;
import org.vmha.hypervisor.sim.SimulatedHypervisor;

/**
 * The {@link InvariantChecker} is responsible for checking the invariants of ARCHITECTURE.md in a
 * {@link SimCluster} and recording every violation in the {@link SimLog}:
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
 * It watches every simulated hypervisor (where each VM runs, since when it is down) and the agents'
 * {@code org.vmha.vm.restarted} events.
 * <p>
 * <b>Threading:</b> single-threaded, on the simulator's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class InvariantChecker implements SimulatedHypervisor.Listener {

    /** {@code restart-thrash}: more restarts than this within {@link #THRASH_WINDOW_MS} is thrash. */
    static final int THRASH_RESTARTS = 3;
    /** {@code restart-thrash}: the window of virtual time the restarts are counted in. */
    static final long THRASH_WINDOW_MS = 60_000;

    private final SimCluster cluster;
    private final SimLog log;
    private Simulation.HypervisorProbe hypervisorProbe;

    /**
     * @param cluster the cluster to check
     * @param log where the violations go
     */
    InvariantChecker(SimCluster cluster, SimLog log) {
        this.cluster = cluster;
        this.log = log;
    }

    /** @param probe sees every VM start, stop and checkpoint of every simulated hypervisor */
    void onHypervisor(Simulation.HypervisorProbe probe) {
        this.hypervisorProbe = probe;
    }

    @Override
    public void checkpointed(String host, String lun, CheckpointInfo checkpoint) {
        if (hypervisorProbe != null) {
            hypervisorProbe.seen(cluster.sched.nowMillis(), host, "checkpoint", lun,
                    Long.toString(checkpoint.sequence()));
        }
    }

    @Override
    public void started(String host, RunningVm vm) {
        if (hypervisorProbe != null) {
            hypervisorProbe.seen(cluster.sched.nowMillis(), host, "start", vm.lun(),
                    Long.toString(vm.resumedFromCheckpoint()));
        }
        SimVm v = cluster.byLun.get(vm.lun());
        if (v == null) {
            return;
        }
        v.runningOn.add(host);
        v.downSince = -1;
        cluster.down.remove(v.name);
        v.roomSince = -1;
        v.downReported = false;
        v.resumedFrom = vm.resumedFromCheckpoint();
        checkStart(v, host, vm);
    }

    /** The invariants checked at every VM start. */
    private void checkStart(SimVm v, String host, RunningVm vm) {
        if (v.runningOn.size() > 1) {
            log.violation("vm-on-two-hosts", v.name, v.name + " runs on " + v.runningOn);
        }
        String cold = cluster.coldStart.remove(vm.lun());
        if (cold == null) {
            List<CheckpointInfo> cps = cluster.shared.listCheckpoints(vm.lun());
            long latest = cps.isEmpty() ? -1 : cps.get(cps.size() - 1).sequence();
            long intact = newestIntact(vm.lun(), cps);
            if (intact != vm.resumedFromCheckpoint()) {
                log.violation("resume-not-latest-checkpoint", v.name, v.name + " on " + host + " resumed from "
                        + vm.resumedFromCheckpoint() + " but the latest complete checkpoint is " + latest
                        + (intact == latest ? "" : " and the newest intact one " + intact));
            }
        }
        if (v.poweredOff) {
            log.violation("powered-off-vm-restarted", v.name, v.name + " started on " + host
                    + " although it was powered off and not powered on since");
        }
        if (cluster.maintenance.contains(host)) {
            log.violation("vm-started-in-maintenance", v.name, v.name + " started on " + host
                    + ", which is in maintenance mode");
        }
    }

    @Override
    public void stopped(String host, String lun, String reason) {
        if (hypervisorProbe != null) {
            hypervisorProbe.seen(cluster.sched.nowMillis(), host, "stop", lun, reason);
        }
        SimVm v = cluster.byLun.get(lun);
        if (v == null) {
            return;
        }
        v.runningOn.remove(host);
        if (v.runningOn.isEmpty() && v.desiredOn && v.downSince < 0) {
            v.downSince = cluster.sched.nowMillis();
            v.downReported = false;
            cluster.down.put(v.name, v);
        }
    }

    /**
     * Counts an agent's {@code org.vmha.vm.restarted} and checks {@code restart-thrash}; other events pass.
     *
     * @param e an agent's event as published
     */
    void published(CloudEvent e) {
        if (EventTypes.VM_RESTARTED.equals(e.type())) {
            SimVm v = cluster.vms.get(e.subject());
            if (v != null) {
                v.restarts++;
                Object from = e.data().get("from");
                Object to = e.data().get("host");
                checkThrash(v, from == null ? null : from.toString(), to == null ? null : to.toString());
            }
        }
    }

    /** @param host a host whose hypervisor failed now (restart-thrash's excuse) */
    void hostFailed(String host) {
        cluster.hosts.get(host).lastUnhealthy = cluster.sched.nowMillis();
    }

    /** Checks {@code protected-vm-down-past-bound} now and every heartbeat interval from now on. */
    void periodicCheck() {
        checkDown();
        cluster.sched.schedule(cluster.cfg.heartbeatIntervalMs(), this::periodicCheck);
    }

    /**
     * @return the sequence of the newest checkpoint of the volume that reads back intact, -1 if none (a
     *         corrupt one is skipped, as the hypervisor's resume skips it)
     */
    private long newestIntact(String lun, List<CheckpointInfo> cps) {
        for (int i = cps.size() - 1; i >= 0; i--) {
            try {
                cluster.shared.readCheckpoint(lun, cps.get(i).sequence(), OutputStream.nullOutputStream());
                return cps.get(i).sequence();
            } catch (CorruptDataException e) {
                // skipped
            } catch (StorageException e) {
                return -1;
            }
        }
        return -1;
    }

    /** Notes the hosts failing now (restart-thrash's excuse): off, cut off, hung, paused or the broker down. */
    private void noteHealth() {
        long now = cluster.sched.nowMillis();
        boolean broker = cluster.transport.brokerUp();
        for (SimHost h : cluster.hosts.values()) {
            if (!broker || h.power != SimHost.Power.ON || !h.network || !h.storage.up() || h.unableToAct()) {
                h.lastUnhealthy = now;
            }
        }
    }

    /** restart-thrash: checked at each org.vmha.vm.restarted of a VM. */
    private void checkThrash(SimVm v, String from, String to) {
        long now = cluster.sched.nowMillis();
        noteHealth();
        v.recentRestarts.addLast(new Object[] {now, from, to});
        while (now - (long) v.recentRestarts.peekFirst()[0] > THRASH_WINDOW_MS) {
            v.recentRestarts.pollFirst();
        }
        if (v.recentRestarts.size() <= THRASH_RESTARTS) {
            return;
        }
        TreeSet<String> involved = new TreeSet<>();
        for (Object[] r : v.recentRestarts) {
            for (int i = 1; i <= 2; i++) {
                if (r[i] != null && cluster.hosts.containsKey((String) r[i])) {
                    involved.add((String) r[i]);
                }
            }
        }
        long windowStart = now - THRASH_WINDOW_MS;
        for (String h : involved) {
            if (cluster.hosts.get(h).lastUnhealthy >= windowStart) {
                return; // a host it ran on failed in the window: the restarts have a cause
            }
        }
        log.violation("restart-thrash", v.name, v.name + " restarted " + v.recentRestarts.size() + " times within "
                + THRASH_WINDOW_MS + " ms (since " + v.recentRestarts.peekFirst()[0] + " ms) on " + involved
                + " although none of them failed in that window");
        v.recentRestarts.clear();
    }

    /** protected-vm-down-past-bound: checked every heartbeat interval and after every scenario event. */
    void checkDown() {
        noteHealth();
        long now = cluster.sched.nowMillis();
        Map<String, ResourceVector> free = null;
        // every VM with downSince >= 0 is in down, so this visits the same VMs in the same order as a walk over
        // all of them would, without touching the thousands that run
        for (SimVm v : cluster.down.values()) {
            if (!v.protectedVm || !v.desiredOn || v.downSince < 0 || v.downReported) {
                continue;
            }
            if (free == null) {
                free = freeCapacity();
            }
            String room = roomFor(v, free);
            if (room == null) {
                v.roomSince = -1;
                continue;
            }
            if (v.roomSince < 0) {
                v.roomSince = now;
            }
            long since = Math.max(v.downSince, v.roomSince);
            long bound = cluster.cfg.restartBoundMs();
            if (now - since > bound) {
                v.downReported = true;
                log.violation("protected-vm-down-past-bound", v.name, v.name + " has been down since " + v.downSince
                        + " ms and " + room + " has had room for it since " + since + " ms (bound " + bound + " ms)");
            }
        }
    }

    /** @return the lowest-named host with room for the VM, null if none */
    private static String roomFor(SimVm v, Map<String, ResourceVector> free) {
        for (Map.Entry<String, ResourceVector> f : free.entrySet()) {
            if (v.reservation.fitsIn(f.getValue())) {
                return f.getKey();
            }
        }
        return null;
    }

    /**
     * Free capacity of every host that is on, reachable and has its storage, is not in maintenance mode,
     * and whose agent can act (not paused, not stuck in hung storage calls). While the broker is down hosts still
     * fail over through the datastore, so then a host counts by its storage alone.
     */
    private Map<String, ResourceVector> freeCapacity() {
        Map<String, ResourceVector> free = new TreeMap<>();
        boolean broker = cluster.transport.brokerUp();
        for (SimHost h : cluster.hosts.values()) {
            if (h.power == SimHost.Power.ON && (h.network || !broker) && h.storage.up() && !h.unableToAct()
                    && !cluster.maintenance.contains(h.name)) {
                free.put(h.name, h.capacity);
            }
        }
        for (SimVm v : cluster.vms.values()) {
            for (String h : v.runningOn) {
                free.computeIfPresent(h, (k, c) -> c.minus(v.reservation));
            }
        }
        return free;
    }
}
