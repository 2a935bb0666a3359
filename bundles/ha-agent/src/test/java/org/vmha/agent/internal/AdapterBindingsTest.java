/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.lenient;
import static org.mockito.Mockito.mock;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vmha.agent.internal.AdapterBindings.Decision;
import org.vmha.agent.internal.AdapterBindings.Start;
import org.vmha.api.hypervisor.HypervisorAdapterFactory;
import org.vmha.api.storage.StorageAdapter;

/**
 * {@link AdapterBindings}: when one host's agent stops and starts as its storage adapter and hypervisor adapter
 * factories are bound, unbound and swapped, with a factory of the wrong type, and with a configuration that does not
 * fit the storage adapter or has no host.
 */
class AdapterBindingsTest {

    private final AdapterBindings bindings = new AdapterBindings();
    private final StorageAdapter shared = storage("sharedfs");
    private final StorageAdapter other = storage("memory");
    private final HypervisorAdapterFactory sim = factory("sim");
    private final HypervisorAdapterFactory sim2 = factory("sim");
    private final HypervisorAdapterFactory qemu = factory("qemu");

    private static StorageAdapter storage(String type) {
        StorageAdapter s = mock(StorageAdapter.class);
        lenient().when(s.type()).thenReturn(type);
        lenient().when(s.leaseDurationMillis()).thenReturn(type.equals("memory") ? 1_000L : 10_000L);
        return s;
    }

    private static HypervisorAdapterFactory factory(String type) {
        HypervisorAdapterFactory f = mock(HypervisorAdapterFactory.class);
        lenient().when(f.supportsType(type)).thenReturn(true);
        return f;
    }

    /** The agent's configuration needs a lease of at least 5 s (like AgentConfig#problemsWith). */
    private Decision activate() {
        return bindings.activate("H1", "sim", s -> s.leaseDurationMillis() < 5_000
                ? List.of("leaseDurationMs 1000 of the storage adapter is below 5000")
                : List.of());
    }

    /** Carries out a decision the way the component does: a start succeeds. */
    private Decision run(Decision d) {
        if (d.start() != null) {
            bindings.started(d.start());
        }
        return d;
    }

    private static void assertDecision(Decision actual, boolean stop, Start start, String waitsFor) {
        assertThat(actual.stop()).as("stop: " + actual).isEqualTo(stop);
        assertThat(actual.start()).as("start: " + actual).isEqualTo(start);
        assertThat(actual.waitsFor()).as("waits for: " + actual).isEqualTo(waitsFor);
        assertThat(actual.problems()).as("problems: " + actual).isEmpty();
    }

    @Test
    void adaptersBoundBeforeActivationStartTheAgentOnActivation() {
        assertDecision(bindings.storageBound(shared), false, null, null);
        assertDecision(bindings.factoryAdded(sim), false, null, null);
        assertThat(bindings.running()).isFalse();
        Decision d = run(activate());
        assertDecision(d, false, new Start(sim, shared), null);
        assertThat(d.why()).isEqualTo("activated");
        assertThat(bindings.running()).isTrue();
    }

    @Test
    void theAgentWaitsForTheStorageAdapterThenForAFactoryOfItsTypeAndStartsWhenBothAreThere() {
        assertDecision(activate(), false, null, "a storage adapter");
        assertDecision(bindings.factoryAdded(sim), false, null, "a storage adapter");
        bindings.factoryRemoved(sim);
        assertDecision(bindings.storageBound(shared), false, null, "a hypervisor adapter factory of type sim");
        // the wrong type: nothing starts, it still waits
        assertDecision(bindings.factoryAdded(qemu), false, null, "a hypervisor adapter factory of type sim");
        Decision d = run(bindings.factoryAdded(sim));
        assertDecision(d, false, new Start(sim, shared), null);
        assertThat(d.why()).isEqualTo("hypervisor adapter factory bound");
    }

    @Test
    void aSecondFactoryLeavesTheRunningAgentAlone() {
        bindings.storageBound(shared);
        bindings.factoryAdded(sim);
        run(activate());
        assertDecision(bindings.factoryAdded(sim2), false, null, null);
        assertDecision(bindings.factoryAdded(qemu), false, null, null);
        assertThat(bindings.running()).isTrue();
    }

    @Test
    void removingTheFactoryInUseRebuildsOnAnotherOfTheTypeOrStopsAndWaits() {
        bindings.storageBound(shared);
        bindings.factoryAdded(sim);
        bindings.factoryAdded(qemu);
        bindings.factoryAdded(sim2);
        run(activate());
        // another factory going away changes nothing
        assertDecision(bindings.factoryRemoved(qemu), false, null, null);
        assertDecision(bindings.factoryRemoved(sim2), false, null, null);
        bindings.factoryAdded(sim2);
        Decision d = run(bindings.factoryRemoved(sim));
        assertDecision(d, true, new Start(sim2, shared), null);
        assertThat(d.why()).isEqualTo("hypervisor adapter factory went away");
        assertDecision(bindings.factoryRemoved(sim2), true, null, "a hypervisor adapter factory of type sim");
        assertThat(bindings.running()).isFalse();
        // and it comes back with the adapter bundle
        assertDecision(run(bindings.factoryAdded(sim)), false, new Start(sim, shared), null);
    }

    @Test
    void aSwappedStorageAdapterRebuildsTheAgentOnTheNewOne() {
        StorageAdapter next = storage("sharedfs");
        bindings.storageBound(shared);
        bindings.factoryAdded(sim);
        run(activate());
        Decision d = run(bindings.storageBound(next));
        assertDecision(d, true, new Start(sim, next), null);
        assertThat(d.why()).isEqualTo("storage adapter sharedfs bound");
        // the old one leaving afterwards (the order DS uses for a greedy swap) stops nothing
        assertDecision(bindings.storageUnbound(shared), false, null, null);
        assertThat(bindings.running()).isTrue();
        assertThat(bindings.storage()).isSameAs(next);
    }

    @Test
    void theStorageAdapterInUseGoingAwayStopsTheAgentUntilAnotherIsBound() {
        bindings.storageBound(shared);
        bindings.factoryAdded(sim);
        run(activate());
        Decision d = bindings.storageUnbound(shared);
        assertDecision(d, true, null, null);
        assertThat(d.why()).isEqualTo("storage adapter sharedfs went away");
        assertThat(bindings.running()).isFalse();
        assertThat(bindings.storage()).isNull();
        // a factory added meanwhile: still no storage
        assertDecision(bindings.factoryAdded(sim2), false, null, "a storage adapter");
        assertDecision(run(bindings.storageBound(shared)), false, new Start(sim, shared), null);
    }

    @Test
    void aConfigurationThatDoesNotFitTheStorageAdapterStartsNothingAndSaysWhy() {
        bindings.storageBound(other);
        bindings.factoryAdded(sim);
        Decision d = activate();
        assertThat(d.start()).isNull();
        assertThat(d.stop()).isFalse();
        assertThat(d.problems()).containsExactly("leaseDurationMs 1000 of the storage adapter is below 5000");
        assertThat(bindings.running()).isFalse();
        // one that fits, swapped in, starts it
        assertDecision(run(bindings.storageBound(shared)), false, new Start(sim, shared), null);
        // and swapping back to the one that does not fit stops it with the reason
        Decision back = bindings.storageBound(other);
        assertThat(back.stop()).isTrue();
        assertThat(back.start()).isNull();
        assertThat(back.problems()).hasSize(1);
        assertThat(bindings.running()).isFalse();
    }

    @Test
    void withoutAHostNothingStartsAndNothingIsAwaited() {
        bindings.storageBound(shared);
        bindings.factoryAdded(sim);
        assertDecision(bindings.activate(null, "sim", s -> List.of()), false, null, null);
        assertDecision(bindings.factoryAdded(sim2), false, null, null);
        assertThat(bindings.running()).isFalse();
    }

    @Test
    void anAgentThatFailedToStartIsNotStoppedAndIsRetriedOnTheNextFactory() {
        bindings.storageBound(shared);
        bindings.factoryAdded(sim);
        // the component could not build it (started() not called): nothing runs
        assertDecision(activate(), false, new Start(sim, shared), null);
        assertThat(bindings.running()).isFalse();
        assertDecision(bindings.factoryRemoved(sim), false, null, null);
        assertDecision(bindings.factoryAdded(sim2), false, new Start(sim2, shared), null);
    }

    @Test
    void deactivationStopsARunningAgentAndLaterBindsStartNothing() {
        bindings.storageBound(shared);
        bindings.factoryAdded(sim);
        run(activate());
        Decision d = bindings.deactivate();
        assertDecision(d, true, null, null);
        assertThat(d.why()).isEqualTo("deactivated");
        assertDecision(bindings.deactivate(), false, null, null);
        assertDecision(bindings.storageBound(other), false, null, null);
        assertDecision(bindings.factoryAdded(sim2), false, null, null);
        assertThat(bindings.running()).isFalse();
    }
}
