/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.HashMap;
import java.util.TreeSet;

import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.time.TaskScheduler;

/**
 * The {@link LeaseWatchdog} is responsible for killing every VM of one host whose lease deadline has
 * passed, whatever the agent thread is doing (sanlock's watchdog idea). The agent arms a deadline for each
 * lease it holds, computed from the start of the lease's last <em>successful</em> acquisition or renewal:
 * {@code start + leaseDuration - fenceMargin}. A renewal that hangs, fails or never runs (the agent thread
 * is blocked in a storage call, paused, or stopped) does not move the deadline, so the VM is killed before
 * any peer may take the volume over (docs/storage.md, "Fencing timeline").
 * <p>
 * The watchdog checks every {@code periodMillis} on its own {@link TaskScheduler} (in a deployment a
 * dedicated thread and a monotonic clock; in ha-sim the virtual clock). It never calls the storage adapter;
 * it calls only the hypervisor's {@code powerOff} and {@code runningLuns}, and a VM counts as fenced only
 * once the hypervisor no longer lists it: a power-off that throws or that leaves the VM running is
 * retried every period. Fenced VMs are kept for the agent to collect with {@link #drainFenced()}.
 * <p>
 * <b>Threading:</b> thread-safe; {@link #arm}, {@link #disarm} and {@link #drainFenced()} may be called from
 * the agent's thread or its restart threads while the checks run on the watchdog's own thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class LeaseWatchdog {

    /**
     * A VM the watchdog killed because its lease deadline passed.
     *
     * @param lun the VM's volume
     * @param generation the lease generation the deadline belonged to
     * @param deadlineMillis the deadline, on the watchdog's clock
     * @param fencedAtMillis when the hypervisor was seen without the VM, on the watchdog's clock
     */
    public record Fenced(String lun, long generation, long deadlineMillis, long fencedAtMillis) {
    }

    /** A lease's deadline; re-armed in place (renewals are the hot path), {@code version} counts the changes. */
    private static final class Deadline {
        long generation;
        long atMillis;
        long version;
    }

    private record Due(String lun, Deadline deadline, long version, long generation, long atMillis) {
    }

    private final String host;
    private final TaskScheduler scheduler;
    private final HypervisorAdapter hypervisor;
    private final long periodMillis;
    private final Map<String, Deadline> armed = new HashMap<>();
    private final List<Fenced> fenced = new ArrayList<>();
    /** At most this many periods between two checks, whatever the deadlines. */
    private static final long MAX_SLEEP_PERIODS = 40;

    /** told about each kill and each failed kill, outside the lock (a deployment's log); never null */
    private volatile BiConsumer<Fenced, String> killListener = (f, failure) -> {
    };
    private TaskScheduler.Cancellable timer;
    private long tickAt = Long.MAX_VALUE;
    private boolean running;
    private long earliest = Long.MAX_VALUE;
    private long kills;
    private long killFailures;
    private String lastFailure;

    /**
     * @param host the host whose VMs it guards (for messages)
     * @param scheduler its own clock and timer: never the agent's thread
     * @param hypervisor the host's hypervisor
     * @param periodMillis how often it checks (at most a quarter of the fence margin is sensible)
     */
    public LeaseWatchdog(String host, TaskScheduler scheduler, HypervisorAdapter hypervisor, long periodMillis) {
        if (periodMillis < 1) {
            throw new IllegalArgumentException("lease watchdog of " + host + " needs periodMillis >= 1, was "
                    + periodMillis);
        }
        this.host = host;
        this.scheduler = scheduler;
        this.hypervisor = hypervisor;
        this.periodMillis = periodMillis;
    }

    /**
     * @param host the host whose VMs it guards
     * @param scheduler its own clock and timer
     * @param hypervisor the host's hypervisor
     * @param periodMillis how often it checks
     * @return a started watchdog
     */
    public static LeaseWatchdog started(String host, TaskScheduler scheduler, HypervisorAdapter hypervisor,
            long periodMillis) {
        LeaseWatchdog w = new LeaseWatchdog(host, scheduler, hypervisor, periodMillis);
        w.start();
        return w;
    }

    /** Starts checking. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        scheduleTick(scheduler.nowMillis());
    }

    /** Stops checking; the deadlines stay armed (a restarted watchdog goes on with them). */
    public synchronized void stop() {
        running = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** @return the watchdog's clock: deadlines are expressed on it */
    public long nowMillis() {
        return scheduler.nowMillis();
    }

    /**
     * Sets the deadline of a lease, or moves it. A deadline of an older generation than the armed one is
     * ignored (a late renewal result must not revive a lease that was replaced).
     *
     * @param lun the VM's volume
     * @param generation the lease generation
     * @param deadlineMillis when the VM must be dead at the latest, on {@link #nowMillis()}'s clock
     */
    public synchronized void arm(String lun, long generation, long deadlineMillis) {
        Deadline d = armed.get(lun);
        if (d == null) {
            d = new Deadline();
            armed.put(lun, d);
        } else if (d.generation > generation) {
            return;
        } else if (d.generation == generation && d.atMillis == deadlineMillis) {
            return;
        }
        d.generation = generation;
        d.atMillis = deadlineMillis;
        d.version++;
        if (deadlineMillis < earliest) {
            earliest = deadlineMillis;
            if (running && timer != null && deadlineMillis < tickAt) {
                // the next check would come after this deadline: bring it forward
                timer.cancel();
                scheduleTick(scheduler.nowMillis());
            }
        }
    }

    /**
     * Forgets a lease: its VM was stopped and confirmed gone, or the lease was handed back.
     *
     * @param lun the VM's volume
     */
    public synchronized void disarm(String lun) {
        if (armed.remove(lun) != null && armed.isEmpty()) {
            earliest = Long.MAX_VALUE;
        }
    }

    /**
     * @param lun the VM's volume
     * @return its armed deadline, if any
     */
    public synchronized OptionalLong deadline(String lun) {
        Deadline d = armed.get(lun);
        return d == null ? OptionalLong.empty() : OptionalLong.of(d.atMillis);
    }

    /** @return the volumes whose deadlines are armed */
    public synchronized Set<String> armedLuns() {
        return Set.copyOf(new TreeSet<>(armed.keySet()));
    }

    /** @return the VMs fenced since the last call, oldest first */
    public synchronized List<Fenced> drainFenced() {
        if (fenced.isEmpty()) {
            return List.of();
        }
        List<Fenced> out = List.copyOf(fenced);
        fenced.clear();
        return out;
    }

    /**
     * @param listener told, on the watchdog's thread and outside its lock, about each VM it killed (failure null) and
     *        each kill that failed (failure naming why), for a deployment's log; the simulator sets none
     */
    public void onKill(BiConsumer<Fenced, String> listener) {
        this.killListener = listener == null ? (f, failure) -> {
        } : listener;
    }

    /** @return VMs killed so far */
    public synchronized long kills() {
        return kills;
    }

    /** @return power-offs that threw or left the VM running (each is retried) */
    public synchronized long killFailures() {
        return killFailures;
    }

    /** @return the last kill failure, or null */
    public synchronized String lastFailure() {
        return lastFailure;
    }

    private void tick() {
        synchronized (this) {
            if (!running) {
                return;
            }
            timer = null;
        }
        try {
            check();
        } finally {
            synchronized (this) {
                if (running && timer == null) {
                    scheduleTick(scheduler.nowMillis());
                }
            }
        }
    }

    /**
     * Schedules the next check: one period from now, or later, at the earliest armed deadline, when that is
     * further away (renewals keep moving the deadlines ahead, so a watchdog whose leases are healthy wakes about
     * once per renewal instead of every period). Arming an earlier deadline brings the check forward.
     */
    private void scheduleTick(long now) {
        long at = earliest == Long.MAX_VALUE ? now + MAX_SLEEP_PERIODS * periodMillis
                : Math.min(Math.max(earliest, now + periodMillis), now + MAX_SLEEP_PERIODS * periodMillis);
        tickAt = at;
        timer = scheduler.schedule(at - now, this::tick);
    }

    /**
     * Kills the VMs whose deadlines passed and confirms each is gone. Runs on the watchdog's timer; public
     * for tests that drive it directly.
     */
    public void check() {
        long now = scheduler.nowMillis();
        List<Due> due = dueAt(now);
        if (due.isEmpty()) {
            return;
        }
        due.sort((a, b) -> a.lun().compareTo(b.lun()));
        for (Due e : due) {
            kill(e, now);
        }
        synchronized (this) {
            if (armed.isEmpty()) {
                earliest = Long.MAX_VALUE;
            }
        }
    }

    /**
     * @param now the watchdog's clock
     * @return the deadlines passed at {@code now}, none before the earliest deadline; the earliest deadline moves on
     */
    private synchronized List<Due> dueAt(long now) {
        List<Due> due = new ArrayList<>();
        if (now < earliest) {
            return due;
        }
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, Deadline> e : armed.entrySet()) {
            Deadline d = e.getValue();
            if (d.atMillis <= now) {
                due.add(new Due(e.getKey(), d, d.version, d.generation, d.atMillis));
            } else if (d.atMillis < next) {
                next = d.atMillis;
            }
        }
        // the due ones stay armed until confirmed gone, so they keep the earliest deadline at "now"
        earliest = due.isEmpty() ? next : Math.min(next, now);
        return due;
    }

    /**
     * Kills a VM whose deadline passed, unless it was renewed or disarmed meanwhile, and confirms it is gone: the
     * deadline goes and the VM is {@link Fenced} only then; a failure is counted and kept for the next check.
     *
     * @param e the deadline that passed
     * @param now the watchdog's clock at this check
     */
    private void kill(Due e, long now) {
        String lun = e.lun();
        synchronized (this) {
            if (armed.get(lun) != e.deadline() || e.deadline().version != e.version()) {
                return; // renewed or disarmed meanwhile
            }
        }
        String failure = null;
        try {
            hypervisor.powerOff(lun);
        } catch (RuntimeException ex) {
            failure = "power-off of " + lun + " on " + host + " failed: " + ex.getMessage();
        }
        boolean gone;
        try {
            gone = !hypervisor.runningLuns().contains(lun);
        } catch (RuntimeException ex) {
            gone = false;
            failure = "hypervisor of " + host + " cannot list its VMs: " + ex.getMessage();
        }
        Fenced f = new Fenced(lun, e.generation(), e.atMillis(), now);
        String why = null;
        synchronized (this) {
            if (gone) {
                if (armed.get(lun) == e.deadline() && e.deadline().version == e.version()) {
                    armed.remove(lun);
                }
                kills++;
                fenced.add(f);
            } else {
                killFailures++;
                lastFailure = failure != null ? failure
                        : "power-off of " + lun + " on " + host + " returned but the VM still runs";
                why = lastFailure;
            }
        }
        try {
            killListener.accept(f, why);
        } catch (RuntimeException ex) {
            // a failing log must not stop the fencing
        }
    }
}
