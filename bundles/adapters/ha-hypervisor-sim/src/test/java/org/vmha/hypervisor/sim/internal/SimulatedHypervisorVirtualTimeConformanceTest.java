/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.sim.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorAdapterFactory;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.hypervisor.tck.AbstractHypervisorAdapterConformanceTest;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link SimulatedHypervisorVirtualTimeConformanceTest} is responsible for running the hypervisor
 * conformance kit against {@link SimulatedHypervisor} as ha-sim runs it: on a {@link VirtualScheduler}
 * that the kit advances while it waits ({@link #letTimePass(Duration)}), with a boot delay of seconds
 * and a guest shutdown that takes time, so the kit's polling is exercised without waiting.
 *
 * @author vmha - Initial contribution
 */
class SimulatedHypervisorVirtualTimeConformanceTest extends AbstractHypervisorAdapterConformanceTest {

    private final VirtualScheduler scheduler = new VirtualScheduler(1_700_000_000_000L);
    private final SimHypervisorAdapterFactory factory = new SimHypervisorAdapterFactory(
            SimHypervisorConformanceTest.defaults());

    @AfterEach
    void deactivateFactory() {
        factory.deactivate();
    }

    @Override
    protected StorageAdapter createStorage() {
        return new InMemoryStorageAdapter(scheduler.clock(), 3_600_000);
    }

    @Override
    protected HypervisorAdapter createAdapter(String host, StorageAdapter storage) {
        return new SimulatedHypervisor(host, ResourceVector.of(8000, 8192), storage, scheduler,
                new SimulatedHypervisor.Settings(2000, 5000, 100, 1500), null);
    }

    @Override
    protected HypervisorAdapterFactory factory() {
        return factory;
    }

    @Override
    protected Optional<Map.Entry<String, Object>> badSetting() {
        return Optional.of(Map.entry("counterTickMillis", 0));
    }

    @Override
    protected Vmx testVmx(String vm) {
        return new Vmx(2, 1024, null, null, null, Map.of());
    }

    @Override
    protected Clock clock() {
        return scheduler.clock();
    }

    @Override
    protected boolean closeStopsVms() {
        return true;
    }

    @Override
    protected void letTimePass(Duration duration) {
        scheduler.runUntil(scheduler.nowMillis() + duration.toMillis());
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(100);
    }
}
