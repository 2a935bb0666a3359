/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;

class EventRingTest {

    private final List<RuntimeException> errors = new ArrayList<>();

    private static CloudEvent event(String type, String subject) {
        return CloudEvent.of("/vmha/agent/H1", type, Instant.EPOCH, subject, Map.of());
    }

    @Test
    void keepsTheNewestEventsInArrivalOrderAndFiltersByTypeOrPrefix() {
        EventRing ring = new EventRing(3, errors::add);
        ring.add(event(EventTypes.HOST_FAILED, "H1"));
        ring.add(event(EventTypes.VM_RESTARTED, "a"));
        ring.add(event(EventTypes.VM_RESTARTED, "b"));
        ring.add(event(EventTypes.VM_RESTART_PENDING, "c"));
        assertThat(ring.received()).isEqualTo(4);
        assertThat(ring.recent(10, null)).extracting(CloudEvent::subject).containsExactly("a", "b", "c");
        assertThat(ring.recent(1, null)).extracting(CloudEvent::subject).containsExactly("c");
        assertThat(ring.recent(10, "vm.restarted")).extracting(CloudEvent::subject).containsExactly("a", "b");
        assertThat(ring.recent(10, "org.vmha.vm")).hasSize(3);
        assertThat(ring.recent(10, "vm.restart")).as("a prefix ends at a dot").isEmpty();
        assertThat(ring.recent(10, "host")).isEmpty();
    }

    @Test
    void followersSeeMatchingEventsUntilClosedAndAThrowingOneDoesNotStopTheOthers() throws Exception {
        EventRing ring = new EventRing(10, errors::add);
        List<String> seen = new ArrayList<>();
        AutoCloseable a = ring.follow("host", e -> seen.add(e.subject()));
        ring.follow(null, e -> {
            throw new IllegalStateException("broken follower");
        });
        ring.add(event(EventTypes.HOST_FAILED, "H1"));
        ring.add(event(EventTypes.VM_RESTARTED, "a"));
        a.close();
        ring.add(event(EventTypes.HOST_RETURNED, "H1"));
        assertThat(seen).containsExactly("H1");
        assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e).hasMessage("broken follower"));
        assertThat(ring.recent(10, null)).hasSize(3);
        assertThatThrownBy(() -> new EventRing(0, errors::add)).hasMessageContaining("capacity must be >= 1");
    }
}
