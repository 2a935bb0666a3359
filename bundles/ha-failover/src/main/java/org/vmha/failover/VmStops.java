/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.core.guard.AdapterGuard;

/**
 * The {@link VmStops} is responsible for stopping VMs of one host until the hypervisor confirms they are gone.
 * A stop is either a power-off or a guest shutdown; a power-off that throws or returns while the VM still
 * runs is tried again at every {@link #drive}, and a guest shutdown that has not taken the VM down within the
 * shutdown timeout is escalated to a power-off (vSphere's {@code das.isolationShutdownTimeout}, 300 s). Only
 * when {@code runningLuns()} no longer lists the VM, continuously for the stop's settle time, does the stop
 * complete and its completion run: that is where the agent gives the lease back. So a VM is untracked only
 * once it is gone.
 * <p>
 * <b>Threading:</b> not thread-safe; owned by one agent and called on its thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class VmStops {

    /** Why a VM is being stopped: shown in the agent's status and used to decide what completes it. */
    enum Purpose {
        /** an operator's power-off */
        REQUESTED,
        /** the source side of a migration */
        HAND_OVER,
        /** this host's isolation response */
        ISOLATION,
        /** another host took the volume over: our copy must go */
        LEASE_LOST,
        /** the hypervisor runs a VM this host holds no lease for */
        STRAY,
        /** a start failed or timed out: whatever it left running must go before the lease is given back */
        START_FAILED,
        /** a planned stop of this host: the VM is handed to the survivors, who resume it at once */
        LEAVE
    }

    /** One stop in progress. */
    static final class Stop {
        final String lun;
        final Purpose purpose;
        final long since;
        final long settleMillis;
        final Runnable onGone;
        boolean shutdown;
        long goneSince = -1;
        int attempts;
        String lastError;

        Stop(String lun, Purpose purpose, boolean shutdown, long since, long settleMillis, Runnable onGone) {
            this.lun = lun;
            this.purpose = purpose;
            this.shutdown = shutdown;
            this.since = since;
            this.settleMillis = settleMillis;
            this.onGone = onGone;
        }
    }

    private final String host;
    private final HypervisorAdapter hypervisor;
    private final AdapterGuard guard;
    private final String hvName;
    private final long shutdownTimeoutMillis;
    private final Map<String, Stop> stops = new TreeMap<>();

    /**
     * @param host this host
     * @param hypervisor its hypervisor
     * @param guard every hypervisor call goes through it
     * @param hvName the hypervisor's name for the guard's messages
     * @param shutdownTimeoutMillis how long a guest shutdown may take before it is escalated to a power-off
     */
    VmStops(String host, HypervisorAdapter hypervisor, AdapterGuard guard, String hvName, long shutdownTimeoutMillis) {
        this.host = host;
        this.hypervisor = hypervisor;
        this.guard = guard;
        this.hvName = hvName;
        this.shutdownTimeoutMillis = shutdownTimeoutMillis;
    }

    /**
     * Starts stopping a VM: the first power-off or shutdown is issued at once. A VM that is already being
     * stopped keeps its stop (and its completion); a shutdown asked for a VM being powered off stays a power-off.
     *
     * @param lun the VM's volume
     * @param purpose why
     * @param shutdown true for a guest shutdown (escalated after the timeout), false for a power-off
     * @param now current time
     * @param settleMillis how long the VM must stay gone before the stop completes (0: at the first look)
     * @param onGone runs once the VM is confirmed gone
     * @return true if a new stop began, false if one was already under way
     */
    boolean request(String lun, Purpose purpose, boolean shutdown, long now, long settleMillis, Runnable onGone) {
        if (stops.containsKey(lun)) {
            return false;
        }
        Stop s = new Stop(lun, purpose, shutdown, now, settleMillis, onGone);
        stops.put(lun, s);
        attempt(s, now);
        return true;
    }

    /**
     * Checks every stop against what the hypervisor runs: completes those whose VM is gone (running their
     * completions, in lun order) and tries again the others.
     *
     * @param now current time
     * @param running the volumes the hypervisor runs now
     * @return the stops that completed
     */
    List<Stop> drive(long now, Set<String> running) {
        if (stops.isEmpty()) {
            return List.of();
        }
        List<Stop> done = new ArrayList<>();
        for (Stop s : new ArrayList<>(stops.values())) {
            if (!running.contains(s.lun)) {
                if (s.goneSince < 0) {
                    s.goneSince = now;
                }
                if (now - s.goneSince >= s.settleMillis) {
                    stops.remove(s.lun);
                    done.add(s);
                }
                continue;
            }
            s.goneSince = -1;
            attempt(s, now);
        }
        for (Stop s : done) {
            s.onGone.run();
        }
        return done;
    }

    private void attempt(Stop s, long now) {
        if (s.shutdown && s.attempts > 0 && now - s.since < shutdownTimeoutMillis) {
            return; // the guest was asked once; give it time before escalating
        }
        if (s.shutdown && s.attempts > 0) {
            s.shutdown = false; // the guest did not shut down in time: power it off
        }
        s.attempts++;
        try {
            if (s.shutdown) {
                guard.call(hvName, "shutdownGuest", s.lun, () -> hypervisor.shutdownGuest(s.lun));
            } else {
                guard.call(hvName, "powerOff", s.lun, () -> hypervisor.powerOff(s.lun));
            }
            s.lastError = null;
        } catch (RuntimeException e) {
            s.lastError = e.getMessage();
            // a guest that cannot even be asked to shut down is powered off at the next attempt
            s.shutdown = false;
        }
    }

    /**
     * @param lun a volume
     * @return true while its VM is being stopped
     */
    boolean contains(String lun) {
        return stops.containsKey(lun);
    }

    /** @return true if no stop is under way */
    boolean isEmpty() {
        return stops.isEmpty();
    }

    /**
     * @param purpose a purpose
     * @return how many stops of that purpose are under way
     */
    int count(Purpose purpose) {
        int n = 0;
        for (Stop s : stops.values()) {
            if (s.purpose == purpose) {
                n++;
            }
        }
        return n;
    }

    /** @return the stops under way, by volume (a view for status and tests) */
    Map<String, Stop> view() {
        return java.util.Collections.unmodifiableMap(stops);
    }

    @Override
    public String toString() {
        return "stops of " + host + ": " + stops.keySet();
    }
}
