/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.ResourceUsage;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.storage.CheckpointInfo;

/**
 * The {@link FaultyHypervisor} is responsible for the scenario's {@code hypervisor-fail}: it wraps one
 * host's simulated hypervisor, and the next {@code count} calls of an operation ({@code start},
 * {@code power-off}, {@code shutdown}, {@code checkpoint}) throw a {@link HypervisorException} without
 * touching the VM. Every caller of the host's hypervisor goes through it: the agent and the lease
 * watchdog. The failures still to come are kept per host ({@link Faults}), across power cycles.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class FaultyHypervisor implements HypervisorAdapter {

    /** Observes a failure as it is injected. */
    @FunctionalInterface
    interface Observer {
        /**
         * @param host the host
         * @param op the operation that failed
         * @param lun the VM's volume
         * @param left failures of that operation still to come
         */
        void failed(String host, String op, String lun, int left);
    }

    /** The failures still to come on one host, by operation. */
    static final class Faults {
        private final Map<String, Integer> next = new TreeMap<>();

        /**
         * @param op the operation
         * @param count how many more of its calls fail
         */
        void arm(String op, int count) {
            next.merge(op, count, (a, b) -> (int) Math.min(Integer.MAX_VALUE, (long) a + b));
        }

        /** @return failures left of the operation after taking one, or -1 if none was armed */
        int take(String op) {
            Integer n = next.get(op);
            if (n == null) {
                return -1;
            }
            if (n == 1) {
                next.remove(op);
            } else {
                next.put(op, n - 1);
            }
            return n - 1;
        }
    }

    private final HypervisorAdapter delegate;
    private final Faults faults;
    private final Observer observer;

    /**
     * @param delegate the host's hypervisor
     * @param faults the host's failures to come
     * @param observer told about each injected failure
     */
    FaultyHypervisor(HypervisorAdapter delegate, Faults faults, Observer observer) {
        this.delegate = delegate;
        this.faults = faults;
        this.observer = observer;
    }

    private void maybeFail(String op, String lun) {
        int left = faults.take(op);
        if (left >= 0) {
            observer.failed(delegate.host(), op, lun, left);
            throw new HypervisorException("simulated hypervisor-fail: " + op + " of " + lun + " on " + delegate.host()
                    + " failed (" + left + " more " + op + " failures to come)");
        }
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
        maybeFail("start", request.lun());
        return delegate.start(request);
    }

    @Override
    public boolean powerOff(String lun) {
        maybeFail("power-off", lun);
        return delegate.powerOff(lun);
    }

    @Override
    public boolean shutdownGuest(String lun) {
        maybeFail("shutdown", lun);
        return delegate.shutdownGuest(lun);
    }

    @Override
    public void reset(String lun) {
        delegate.reset(lun);
    }

    @Override
    public CheckpointInfo checkpoint(String lun, long generation) {
        maybeFail("checkpoint", lun);
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
