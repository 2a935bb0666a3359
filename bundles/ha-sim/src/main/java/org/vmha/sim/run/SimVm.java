/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeSet;

import org.vmha.api.model.ResourceVector;

/**
 * The {@link SimVm} is responsible for what the {@link Simulation} knows of one VM of the scenario: what the
 * scenario wants of it (on or off), where the simulated hypervisors run it, and the state the invariants
 * keep about it (down since, room since, its recent restarts).
 * <p>
 * <b>Threading:</b> single-threaded, on the simulator's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class SimVm {

    final String name;
    /** The VM's volume on the datastore. */
    final String lun;
    final ResourceVector reservation;
    final boolean protectedVm;
    boolean desiredOn;
    long downSince = -1;
    long roomSince = -1;
    boolean downReported;
    int restarts;
    long resumedFrom = -1;
    /** Powered off by the scenario (or off in the inventory) and not powered on since. */
    boolean poweredOff;
    /** Its recent restarts for restart-thrash: time, from-host, to-host. */
    final Deque<Object[]> recentRestarts = new ArrayDeque<>();
    /** The hosts whose hypervisor runs it now, by name. */
    final TreeSet<String> runningOn = new TreeSet<>();

    /**
     * @param name the VM's name
     * @param lun its volume on the datastore
     * @param reservation what it reserves on its host
     * @param protectedVm true if HA restarts it
     * @param desiredOn true if it should run
     */
    SimVm(String name, String lun, ResourceVector reservation, boolean protectedVm, boolean desiredOn) {
        this.name = name;
        this.lun = lun;
        this.reservation = reservation;
        this.protectedVm = protectedVm;
        this.desiredOn = desiredOn;
    }
}
