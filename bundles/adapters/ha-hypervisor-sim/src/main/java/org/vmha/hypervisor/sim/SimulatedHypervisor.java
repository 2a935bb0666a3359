/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.ResourceUsage;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.CorruptDataException;
import org.vmha.api.storage.LeaseException;
import org.vmha.api.storage.NotFoundException;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageException;
import org.vmha.api.time.TaskScheduler;

/**
 * The {@link SimulatedHypervisor} is responsible for running simulated VMs on one host,
 * deterministically under an injected {@link TaskScheduler}:
 * <ul>
 * <li>a VM boots for its boot delay, then its guest counter advances by one every
 * {@code counterTickMillis} while it runs;</li>
 * <li>every {@code checkpointIntervalMillis} the counter (and the guest's boot count) is written as
 * the VM's memory image through the storage SPI, carrying the lease generation; a stale generation
 * means the VM was taken over, and the VM is powered off (fenced);</li>
 * <li>a resume restores the counter from the latest complete checkpoint that can be read: a checkpoint
 * that is corrupt ({@link CorruptDataException}) or is no guest image is skipped for the next older one,
 * and with none left the VM cold-boots ({@link RunningVm#resumedFromCheckpoint()} tells which, -1 for a
 * cold boot); a cold boot starts the counter at 0 with the boot count 1, and a reset bumps the boot
 * count, so tests can tell "resumed from checkpoint k" from "rebooted";</li>
 * <li>a guest shutdown takes {@link Settings#guestShutdownMillis()}: the call returns at once and the VM
 * stays listed until the guest is off (0: off when the call returns).</li>
 * </ul>
 * Per-VM settings come from the VMX properties {@value #BOOT_DELAY_MS}, {@value #LOAD_CPU_MHZ} and
 * {@value #LOAD_MEMORY_MB}, which only the simulator writes. Without them a guest's load is its
 * reservation ({@link Vmx#RESERVATION_CPU_MHZ}, {@link Vmx#RESERVATION_MEMORY_MB}: what the management
 * service writes), and without that 500 MHz per vCPU and the configured memory; the boot delay defaults
 * to the hypervisor's.
 * <p>
 * <b>Threading:</b> thread-safe (synchronized); calls return at once (no blocking besides the
 * storage calls).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class SimulatedHypervisor implements HypervisorAdapter {

    /** Adapter type. */
    public static final String TYPE = "sim";

    /** VMX property: this VM's boot (and resume) time in ms. */
    public static final String BOOT_DELAY_MS = "sim.bootDelayMs";

    /** VMX property: the guest's CPU load in MHz. */
    public static final String LOAD_CPU_MHZ = "sim.load.cpuMhz";

    /** VMX property: the guest's memory load in MB. */
    public static final String LOAD_MEMORY_MB = "sim.load.memoryMb";

    /**
     * Settings of a simulated hypervisor.
     *
     * @param bootDelayMillis default boot (and resume) time of a VM
     * @param checkpointIntervalMillis period of the memory checkpoints, 0 for none
     * @param counterTickMillis the guest counter advances by one per this much running time
     * @param guestShutdownMillis how long a guest takes to shut down after {@link #shutdownGuest}: 0 stops
     *        it at once, more keeps it running (and listed) for that long after the call returned
     * @author vmha - Initial contribution
     */
    public record Settings(long bootDelayMillis, long checkpointIntervalMillis, long counterTickMillis,
            long guestShutdownMillis) {

        /** Defaults: 2 s boot, 5 s checkpoints, 100 ms counter tick, immediate guest shutdown. */
        public static final Settings DEFAULTS = new Settings(2000, 5000, 100);

        public Settings {
            if (bootDelayMillis < 0 || checkpointIntervalMillis < 0 || counterTickMillis < 1) {
                throw new IllegalArgumentException("simulated hypervisor needs bootDelayMillis >= 0, "
                        + "checkpointIntervalMillis >= 0 and counterTickMillis >= 1, was " + bootDelayMillis + "/"
                        + checkpointIntervalMillis + "/" + counterTickMillis);
            }
            if (guestShutdownMillis < 0) {
                throw new IllegalArgumentException("simulated hypervisor needs guestShutdownMillis >= 0, was "
                        + guestShutdownMillis);
            }
        }

        /**
         * Settings with an immediate guest shutdown.
         *
         * @param bootDelayMillis default boot (and resume) time of a VM
         * @param checkpointIntervalMillis period of the memory checkpoints, 0 for none
         * @param counterTickMillis the guest counter advances by one per this much running time
         */
        public Settings(long bootDelayMillis, long checkpointIntervalMillis, long counterTickMillis) {
            this(bootDelayMillis, checkpointIntervalMillis, counterTickMillis, 0);
        }
    }

    /**
     * Observes VM starts and stops (the simulator checks invariants with it).
     *
     * @author vmha - Initial contribution
     */
    public interface Listener {

        /**
         * @param host the host
         * @param vm the VM as started
         */
        void started(String host, RunningVm vm);

        /**
         * @param host the host
         * @param lun the VM's volume
         * @param reason why it stopped ({@code power-off}, {@code shutdown}, {@code fenced}, {@code crash})
         */
        void stopped(String host, String lun, String reason);

        /**
         * @param host the host
         * @param lun the VM's volume
         * @param checkpoint the checkpoint written
         */
        default void checkpointed(String host, String lun, CheckpointInfo checkpoint) {
        }
    }

    private final String host;
    private final ResourceVector capacity;
    private final StorageAdapter storage;
    private final TaskScheduler scheduler;
    private final Settings settings;
    private final Listener listener;
    private final Map<String, Guest> guests = new TreeMap<>();
    /** Immutable snapshot of the guests' luns, rebuilt after a guest starts or stops. */
    private Set<String> running;
    private boolean closed;
    private ResourceUsage usage;

    /**
     * @param host the host name
     * @param capacity what the host offers
     * @param storage the datastore holding the volumes
     * @param scheduler time and timers
     * @param settings boot delay, checkpoint interval, counter tick
     * @param listener observer, may be null
     */
    public SimulatedHypervisor(String host, ResourceVector capacity, StorageAdapter storage, TaskScheduler scheduler,
            Settings settings, Listener listener) {
        this.host = host;
        this.capacity = capacity == null ? ResourceVector.ZERO : capacity;
        this.storage = storage;
        this.scheduler = scheduler;
        this.settings = settings == null ? Settings.DEFAULTS : settings;
        this.listener = listener;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public synchronized RunningVm start(StartRequest request) {
        if (closed) {
            throw new HypervisorException("simulated hypervisor of " + host + " is closed; cannot start " + request.vm());
        }
        if (guests.containsKey(request.lun())) {
            throw new HypervisorException(request.vm() + " (" + request.lun() + ") already runs on " + host);
        }
        long now = scheduler.nowMillis();
        long bootDelay;
        ResourceVector load;
        try {
            bootDelay = bootDelay(request.vmx());
            load = load(request.vmx());
        } catch (HypervisorException e) {
            throw new HypervisorException("cannot start " + request.vm() + " (" + request.lun() + ") on " + host
                    + ": " + e.getMessage(), e);
        }
        long counter = 0;
        long boots = 1;
        long resumedFrom = -1;
        if (request.resume()) {
            Resumed r = resume(request);
            if (r != null) {
                counter = r.image().counter();
                boots = r.image().boots();
                resumedFrom = r.sequence();
            }
        }
        Guest g = new Guest(request.vm(), request.lun(), request.generation(), now, now + bootDelay, counter, boots,
                resumedFrom, load);
        guests.put(request.lun(), g);
        usage = null;
        running = null;
        scheduleCheckpoint(g);
        RunningVm vm = g.view(now);
        if (listener != null) {
            listener.started(host, vm);
        }
        return vm;
    }

    private record Resumed(long sequence, GuestImage image) {
    }

    /**
     * Reads the newest checkpoint that is intact: the latest first (one read, the usual case), then, if it
     * is corrupt or no guest image, the listed ones from the newest down.
     *
     * @return the checkpoint resumed from, or null for a cold boot (no checkpoint, or none readable)
     * @throws HypervisorException if the datastore cannot be read
     */
    private Resumed resume(StartRequest request) {
        String lun = request.lun();
        try {
            ByteArrayOutputStream image = new ByteArrayOutputStream();
            try {
                Optional<CheckpointInfo> latest = storage.readLatestCheckpoint(lun, image);
                if (latest.isEmpty()) {
                    return null;
                }
                GuestImage g = parse(image.toByteArray(), latest.get().sequence(), lun);
                if (g != null) {
                    return new Resumed(latest.get().sequence(), g);
                }
            } catch (CorruptDataException e) {
                // the latest is damaged: fall back to the older ones below
            }
            List<CheckpointInfo> all = storage.listCheckpoints(lun);
            for (int i = all.size() - 1; i >= 0; i--) {
                long seq = all.get(i).sequence();
                image.reset();
                try {
                    CheckpointInfo info = storage.readCheckpoint(lun, seq, image);
                    GuestImage g = parse(image.toByteArray(), seq, lun);
                    if (g != null) {
                        return new Resumed(info.sequence(), g);
                    }
                } catch (CorruptDataException | NotFoundException e) {
                    // damaged, or dropped by retention meanwhile: try the next older one
                }
            }
            return null;
        } catch (StorageException e) {
            throw new HypervisorException("cannot read the memory image of " + request.vm() + " on " + host + ": "
                    + e.getMessage(), e);
        }
    }

    private static GuestImage parse(byte[] bytes, long sequence, String lun) {
        try {
            return GuestImage.parse(bytes, "checkpoint " + sequence + " of " + lun);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void scheduleCheckpoint(Guest g) {
        if (settings.checkpointIntervalMillis() == 0) {
            return;
        }
        long delay = Math.max(g.bootDoneAt - scheduler.nowMillis(), 0) + settings.checkpointIntervalMillis();
        g.timer = scheduler.schedule(delay, () -> periodicCheckpoint(g));
    }

    private synchronized void periodicCheckpoint(Guest g) {
        if (guests.get(g.lun) != g) {
            return;
        }
        try {
            checkpoint(g);
        } catch (LeaseException e) {
            stop(g.lun, "fenced");
            return;
        } catch (StorageException e) {
            // datastore unreachable: try again next period; the previous checkpoint stays the latest
        }
        if (guests.get(g.lun) == g) {
            g.timer = scheduler.schedule(settings.checkpointIntervalMillis(), () -> periodicCheckpoint(g));
        }
    }

    private CheckpointInfo checkpoint(Guest g) {
        long now = scheduler.nowMillis();
        GuestImage image = new GuestImage(g.vm, g.counter(now, settings.counterTickMillis()), g.boots);
        CheckpointInfo info = storage.writeCheckpoint(g.lun, g.generation, new ByteArrayInputStream(image.toBytes()));
        if (listener != null) {
            listener.checkpointed(host, g.lun, info);
        }
        return info;
    }

    @Override
    public synchronized CheckpointInfo checkpoint(String lun, long generation) {
        Guest g = guests.get(lun);
        if (g == null) {
            throw new HypervisorException(lun + " does not run on " + host + "; nothing to checkpoint");
        }
        try {
            return checkpoint(g);
        } catch (LeaseException e) {
            stop(lun, "fenced");
            throw e;
        }
    }

    @Override
    public synchronized boolean powerOff(String lun) {
        return stop(lun, "power-off");
    }

    @Override
    public synchronized boolean shutdownGuest(String lun) {
        if (settings.guestShutdownMillis() == 0) {
            return stop(lun, "shutdown");
        }
        Guest g = guests.get(lun);
        if (g == null) {
            return false;
        }
        if (!g.shuttingDown) {
            // the guest runs (and stays listed) until its shutdown completes; a power-off meanwhile wins
            g.shuttingDown = true;
            scheduler.schedule(settings.guestShutdownMillis(), () -> shutdownDone(g));
        }
        return true;
    }

    private synchronized void shutdownDone(Guest g) {
        if (guests.get(g.lun) == g) {
            stop(g.lun, "shutdown");
        }
    }

    @Override
    public synchronized void reset(String lun) {
        Guest g = guests.get(lun);
        if (g == null) {
            throw new HypervisorException(lun + " does not run on " + host + "; cannot reset");
        }
        long now = scheduler.nowMillis();
        g.counterBase = 0;
        g.boots++;
        g.bootDoneAt = now + settings.bootDelayMillis();
    }

    /**
     * Simulates a power loss of the whole host: every VM vanishes at once, no lease is released.
     */
    public synchronized void crash() {
        for (String lun : new ArrayList<>(guests.keySet())) {
            stop(lun, "crash");
        }
    }

    private boolean stop(String lun, String reason) {
        Guest g = guests.remove(lun);
        running = null;
        if (g == null) {
            return false;
        }
        usage = null;
        if (g.timer != null) {
            g.timer.cancel();
        }
        if (listener != null) {
            listener.stopped(host, lun, reason);
        }
        return true;
    }

    /**
     * @param lun the VM's volume
     * @return the guest's current image (counter, boots), empty if it does not run here
     */
    public synchronized Optional<GuestImage> guest(String lun) {
        Guest g = guests.get(lun);
        return g == null ? Optional.empty()
                : Optional.of(new GuestImage(g.vm, g.counter(scheduler.nowMillis(), settings.counterTickMillis()),
                        g.boots));
    }

    /**
     * @param lun the VM's volume
     * @return true if the VM runs (or boots) here
     */
    public synchronized boolean runs(String lun) {
        return guests.containsKey(lun);
    }

    @Override
    public synchronized Set<String> runningLuns() {
        if (running == null) {
            running = Set.copyOf(guests.keySet());
        }
        return running;
    }

    @Override
    public synchronized List<RunningVm> listRunning() {
        long now = scheduler.nowMillis();
        List<RunningVm> out = new ArrayList<>(guests.size());
        for (Guest g : guests.values()) {
            out.add(g.view(now));
        }
        return out;
    }

    @Override
    public synchronized ResourceUsage usage() {
        if (usage == null) {
            ResourceVector used = ResourceVector.ZERO;
            for (Guest g : guests.values()) {
                used = used.plus(g.load);
            }
            usage = new ResourceUsage(capacity, used, guests.size());
        }
        return usage;
    }

    @Override
    public synchronized void close() {
        closed = true;
        crash();
    }

    private long bootDelay(Vmx vmx) {
        return longProperty(vmx, BOOT_DELAY_MS, settings.bootDelayMillis());
    }

    private static ResourceVector load(Vmx vmx) {
        return ResourceVector.of(
                longProperty(vmx, LOAD_CPU_MHZ, longProperty(vmx, Vmx.RESERVATION_CPU_MHZ, 500L * vmx.vcpus())),
                longProperty(vmx, LOAD_MEMORY_MB, longProperty(vmx, Vmx.RESERVATION_MEMORY_MB, vmx.memoryMb())));
    }

    private static long longProperty(Vmx vmx, String key, long dflt) {
        String v = vmx.properties().get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long l = Long.parseLong(v.trim());
            if (l < 0) {
                throw new HypervisorException("VMX property " + key + " must be >= 0, was " + v);
            }
            return l;
        } catch (NumberFormatException e) {
            throw new HypervisorException("VMX property " + key + " must be an integer, was '" + v + "'", e);
        }
    }

    private static final class Guest {
        final String vm;
        final String lun;
        final long generation;
        final long startedAt;
        long bootDoneAt;
        long counterBase;
        long boots;
        final long resumedFrom;
        final ResourceVector load;
        TaskScheduler.Cancellable timer;
        boolean shuttingDown;

        Guest(String vm, String lun, long generation, long startedAt, long bootDoneAt, long counterBase, long boots,
                long resumedFrom, ResourceVector load) {
            this.vm = vm;
            this.lun = lun;
            this.generation = generation;
            this.startedAt = startedAt;
            this.bootDoneAt = bootDoneAt;
            this.counterBase = counterBase;
            this.boots = boots;
            this.resumedFrom = resumedFrom;
            this.load = load;
        }

        long counter(long now, long tick) {
            return counterBase + Math.max(0, now - bootDoneAt) / tick;
        }

        RunningVm view(long now) {
            return new RunningVm(vm, lun, generation, now < bootDoneAt, startedAt, resumedFrom, load);
        }
    }
}
