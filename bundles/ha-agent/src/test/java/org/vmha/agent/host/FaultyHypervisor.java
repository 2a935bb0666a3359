/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import java.util.List;
import java.util.Set;

import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.ResourceUsage;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.core.guard.AdapterCallException;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.api.time.TaskScheduler;

/**
 * The {@link FaultyHypervisor} is responsible for the hypervisor faults the audit found the agent forgot: a
 * power-off that throws, a guest shutdown that returns long before the guest is off (or never takes it down),
 * and a start that times out but completes anyway. It wraps a {@link SimulatedHypervisor}.
 *
 * @author vmha - Initial contribution
 */
final class FaultyHypervisor implements HypervisorAdapter {

    private final SimulatedHypervisor delegate;
    private final TaskScheduler scheduler;
    /** Power-offs still to fail (they throw and leave the VM running). */
    int failPowerOffs;
    /** How long a guest takes to go down after shutdownGuest returns; negative: it never does. */
    long shutdownTakesMillis;
    /** Starts still to report a timeout although they start the VM. */
    int startsThatTimeOutButRun;
    int powerOffCalls;

    FaultyHypervisor(SimulatedHypervisor delegate, TaskScheduler scheduler) {
        this.delegate = delegate;
        this.scheduler = scheduler;
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public String host() {
        return delegate.host();
    }

    @Override
    public RunningVm start(StartRequest request) {
        RunningVm vm = delegate.start(request);
        if (startsThatTimeOutButRun > 0) {
            startsThatTimeOutButRun--;
            throw new AdapterCallException("hypervisor sim@" + host() + " start(" + request.lun()
                    + ") did not return within 5000 ms (test)", null);
        }
        return vm;
    }

    @Override
    public boolean powerOff(String lun) {
        powerOffCalls++;
        if (failPowerOffs > 0) {
            failPowerOffs--;
            throw new HypervisorException("power-off of " + lun + " failed (test)");
        }
        return delegate.powerOff(lun);
    }

    @Override
    public boolean shutdownGuest(String lun) {
        boolean runs = delegate.runs(lun);
        if (shutdownTakesMillis == 0) {
            return delegate.shutdownGuest(lun);
        }
        if (shutdownTakesMillis > 0 && runs) {
            scheduler.schedule(shutdownTakesMillis, () -> delegate.shutdownGuest(lun));
        }
        return runs;
    }

    @Override
    public void reset(String lun) {
        delegate.reset(lun);
    }

    @Override
    public CheckpointInfo checkpoint(String lun, long generation) {
        return delegate.checkpoint(lun, generation);
    }

    @Override
    public List<RunningVm> listRunning() {
        return delegate.listRunning();
    }

    @Override
    public Set<String> runningLuns() {
        return delegate.runningLuns();
    }

    @Override
    public ResourceUsage usage() {
        return delegate.usage();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
