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
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.hypervisor.tck.AbstractHypervisorAdapterConformanceTest;
import org.vmha.testkit.InMemoryStorageAdapter;

/**
 * The {@link SimHypervisorConformanceTest} is responsible for running the hypervisor conformance kit
 * against the simulated adapter as the distribution runs it: created through its DS factory, on the
 * wall clock, with periodic checkpoints on the factory's scheduler thread (so the kit's tolerance of an
 * adapter that checkpoints on its own is exercised), on an {@link InMemoryStorageAdapter}.
 *
 * @author vmha - Initial contribution
 */
class SimHypervisorConformanceTest extends AbstractHypervisorAdapterConformanceTest {

    private final SimHypervisorAdapterFactory factory = new SimHypervisorAdapterFactory(defaults());

    @AfterEach
    void deactivateFactory() {
        factory.deactivate();
    }

    /** @return the factory's configuration: every default, one scheduler thread */
    static Map<String, Object> defaults() {
        return Map.of("schedulerThreads", 1);
    }

    @Override
    protected StorageAdapter createStorage() {
        return new InMemoryStorageAdapter(clock(), 600_000);
    }

    @Override
    protected HypervisorAdapter createAdapter(String host, StorageAdapter storage) {
        return factory.create(SimulatedHypervisor.TYPE, host, factoryConfiguration(), storage, clock());
    }

    @Override
    protected HypervisorAdapterFactory factory() {
        return factory;
    }

    @Override
    protected Map<String, Object> factoryConfiguration() {
        return Map.of("bootDelayMillis", 40, "checkpointIntervalMillis", 150, "counterTickMillis", 5,
                "capacity.cpuMhz", 8000, "capacity.memoryMb", "8192");
    }

    @Override
    protected Optional<Map.Entry<String, Object>> badSetting() {
        return Optional.of(Map.entry("checkpointIntervalMillis", "soon"));
    }

    @Override
    protected Vmx testVmx(String vm) {
        return new Vmx(1, 256, null, null, null, Map.of("sim.load.cpuMhz", "300"));
    }

    @Override
    protected Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    protected boolean closeStopsVms() {
        return true;
    }

    @Override
    protected Duration bootTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected Duration shutdownTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected Duration callTimeout() {
        return Duration.ofSeconds(10);
    }
}
