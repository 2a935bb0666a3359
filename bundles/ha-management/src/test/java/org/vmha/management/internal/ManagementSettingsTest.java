/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ManagementSettingsTest {

    @Test
    void aFailureTimeoutThatIsNoNumberIsOneErrorNamingPidKeyValueAndTheDefault() {
        List<String> errors = new ArrayList<>();
        ManagementSettings s = ManagementSettings.from(Map.of("failureTimeoutMs", "abc"), errors::add);
        assertThat(errors).singleElement().asString().contains(ManagementConfiguration.PID, "failureTimeoutMs",
                "'abc'", "2500").doesNotContain("\n");
        assertThat(s.failureTimeoutMillis()).isEqualTo(2500);
    }

    @Test
    void outOfRangeAndMalformedValuesFallBackToTheirDefaultsOneErrorEach() {
        List<String> errors = new ArrayList<>();
        ManagementSettings s = ManagementSettings.from(Map.of("intervalMs", "-1", "republishEvery", "often",
                "maxConcurrentRestartsPerHost", 0, "failureTimeoutMs", 4000L), errors::add);
        assertThat(errors).hasSize(3)
                .anyMatch(e -> e.contains("intervalMs = -1") && e.contains("using the default 1000"))
                .anyMatch(e -> e.contains("republishEvery") && e.contains("'often'") && e.contains("5"))
                .anyMatch(e -> e.contains("maxConcurrentRestartsPerHost = 0") && e.contains("using the default 32"));
        assertThat(s.intervalMillis()).isEqualTo(1000);
        assertThat(s.republishEvery()).isEqualTo(5);
        assertThat(s.maxConcurrentRestartsPerHost()).isEqualTo(32);
        assertThat(s.failureTimeoutMillis()).isEqualTo(4000);
    }

    @Test
    void noConfigurationGivesTheMetatypeDefaults() {
        List<String> errors = new ArrayList<>();
        ManagementSettings s = ManagementSettings.from(null, errors::add);
        assertThat(errors).isEmpty();
        assertThat(s).isEqualTo(new ManagementSettings(ManagementConfiguration.DEFAULT_INVENTORY, 1000, 2500, 5, 32));
    }
}
