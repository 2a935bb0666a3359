/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/**
 * Tests of {@link AuditTimes}: the forms of {@code --since}.
 *
 * @author vmha - Initial contribution
 */
class AuditTimesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T14:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void readsDurationsBackFromNow() {
        assertThat(AuditTimes.since("90s", clock)).isEqualTo(NOW.minusSeconds(90));
        assertThat(AuditTimes.since("30m", clock)).isEqualTo(NOW.minusSeconds(1800));
        assertThat(AuditTimes.since("1h", clock)).isEqualTo(NOW.minusSeconds(3600));
        assertThat(AuditTimes.since(" 2D ", clock)).isEqualTo(NOW.minusSeconds(2 * 86_400));
        assertThat(AuditTimes.since("1w", clock)).isEqualTo(NOW.minusSeconds(7 * 86_400));
        assertThat(AuditTimes.since("PT1H30M", clock)).isEqualTo(NOW.minusSeconds(5400));
    }

    @Test
    void readsIsoTimesAndDates() {
        assertThat(AuditTimes.since("2026-12-01T10:15:30Z", clock)).isEqualTo(Instant.parse("2026-12-01T10:15:30Z"));
        assertThat(AuditTimes.since("2026-12-01T10:15:30+01:00", clock)).isEqualTo(Instant.parse(
                "2026-12-01T09:15:30Z"));
        assertThat(AuditTimes.since("2026-12-01T10:15", clock)).isEqualTo(Instant.parse("2026-12-01T10:15:00Z"));
        assertThat(AuditTimes.since("2026-12-01", clock)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void refusesAnythingElseNamingTheFormsAccepted() {
        for (String bad : new String[] {"yesterday", "1 hour", "", "2026-13-01", "-1h"}) {
            assertThatThrownBy(() -> AuditTimes.since(bad, clock)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--since must be an ISO time").hasMessageContaining("1h");
        }
    }
}
