/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseException;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.storage.LeaseState;
import org.vmha.storage.tck.MutableClock;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The {@link InMemoryLeasePropertiesTest} is responsible for checking the lease invariants of the
 * reference adapter over random schedules of hosts acquiring, renewing, releasing and writing while
 * time moves: generations strictly increase, a generation has one owner, and a write succeeds only
 * for the current, live generation.
 *
 * @author vmha - Initial contribution
 */
class InMemoryLeasePropertiesTest {

    private static final long LEASE_MS = 1000;

    /** One step of a schedule. */
    record Step(int host, int action, long advanceMillis) {
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 3), Arbitraries.longs().between(0, 700)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void leasesFenceEveryWrite(@ForAll("schedules") List<Step> schedule) {
        MutableClock clock = new MutableClock(0);
        InMemoryStorageAdapter a = new InMemoryStorageAdapter(clock, LEASE_MS);
        a.provisionVolume("vm");
        Map<Integer, Lease> held = new HashMap<>();
        Map<Long, String> ownerOf = new HashMap<>();
        long lastGeneration = 0;
        for (Step s : schedule) {
            clock.advance(s.advanceMillis());
            String host = "h" + s.host();
            LeaseState before = a.inspectLease("lun-vm").orElse(null);
            boolean currentAndLive = held.containsKey(s.host()) && before != null
                    && before.generation() == held.get(s.host()).generation() && before.isLive(clock.millis());
            switch (s.action()) {
                case 0 -> {
                    try {
                        Lease l = a.acquireLease("lun-vm", host);
                        assertThat(before == null || !before.isLive(clock.millis())).as("acquired a live lease").isTrue();
                        assertThat(l.generation()).isGreaterThan(lastGeneration);
                        lastGeneration = l.generation();
                        assertThat(ownerOf.put(l.generation(), host)).isNull();
                        held.put(s.host(), l);
                    } catch (LeaseHeldException e) {
                        assertThat(before).isNotNull();
                        assertThat(before.isLive(clock.millis())).isTrue();
                    }
                }
                case 1 -> {
                    if (held.containsKey(s.host())) {
                        try {
                            held.put(s.host(), a.renewLease(held.get(s.host())));
                            assertThat(currentAndLive).as("renewed a dead lease").isTrue();
                        } catch (LeaseException e) {
                            assertThat(currentAndLive).as("refused a live renewal: " + e.getMessage()).isFalse();
                        }
                    }
                }
                case 2 -> {
                    if (held.containsKey(s.host())) {
                        try {
                            a.releaseLease(held.get(s.host()));
                            assertThat(currentAndLive).isTrue();
                        } catch (LeaseException e) {
                            assertThat(currentAndLive).isFalse();
                        }
                    }
                }
                default -> {
                    if (held.containsKey(s.host())) {
                        try {
                            a.writeCheckpoint("lun-vm", held.get(s.host()).generation(),
                                    new ByteArrayInputStream(host.getBytes()));
                            assertThat(currentAndLive).as("accepted a fenced write").isTrue();
                        } catch (LeaseException e) {
                            assertThat(currentAndLive).as("refused a valid write: " + e.getMessage()).isFalse();
                        }
                    }
                }
            }
        }
        a.listCheckpoints("lun-vm").forEach(c -> assertThat(ownerOf).containsKey(c.generation()));
    }
}
