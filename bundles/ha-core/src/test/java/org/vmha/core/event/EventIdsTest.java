/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * Tests {@link EventIds}: the ids of one source carry the epoch of its start, so a source that starts again never
 * reuses an id of its previous run.
 *
 * @author vmha - Initial contribution
 */
class EventIdsTest {

    @Test
    void idsNameTheSourceItsStartAndTheCount() {
        long start = Instant.parse("2026-11-27T08:12:40.517Z").toEpochMilli();
        EventIds ids = new EventIds("H2", () -> start);
        assertThat(ids.next()).isEqualTo("H2-mwypeh1h-1");
        assertThat(ids.next()).isEqualTo("H2-mwypeh1h-2");
    }

    @Test
    void aSourceThatStartsAgainNeverReusesAnId() {
        AtomicLong clock = new AtomicLong(1_000);
        Set<String> seen = new HashSet<>();
        for (int start = 0; start < 3; start++) {
            EventIds ids = new EventIds("management", clock::get);
            for (int i = 0; i < 50; i++) {
                assertThat(seen.add(ids.next())).as("ids are unique across starts").isTrue();
                clock.addAndGet(1);
            }
        }
        assertThat(seen).hasSize(150);
    }

    @Test
    void theEpochIsReadOnceWhenTheSequenceBegins() {
        AtomicLong clock = new AtomicLong(36);
        EventIds ids = new EventIds("H1", clock::get);
        clock.set(72);
        assertThat(ids.next()).isEqualTo("H1-10-1");
    }
}
