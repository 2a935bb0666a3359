/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The {@link BrokerLimitsGuardTest} is responsible for the guard of {@value BrokerLimitsConfiguration#PID}: a
 * malformed {@code defaultMaxBytes} or a bad pair of {@code maxBytes} is reported and replaced, never thrown.
 *
 * @author vmha - Initial contribution
 */
class BrokerLimitsGuardTest {

    @Test
    void aWordForDefaultMaxBytesGivesItsDefault() {
        BrokerLimitsConfiguration c = BrokerGuardComponent.typed(Map.of("defaultMaxBytes", "1MiB"));
        assertThat(c.defaultMaxBytes()).isEqualTo(BrokerLimits.DEFAULT_MAX_BYTES);
        assertThat(c.maxBytes()).isEqualTo(BrokerLimits.DEFAULT);
    }

    @Test
    void aBadPairIsReportedAndLeftOutTheOthersStay() {
        BrokerLimitsConfiguration c = BrokerGuardComponent.typed(Map.of("maxBytes", "ha.table=lots,ha.events=70000"));
        BrokerLimits limits = BrokerLimits.parse(c.maxBytes(), c.defaultMaxBytes());
        assertThat(limits.perAddress()).containsOnlyKeys("ha.events");
        assertThat(limits.problems()).containsExactly("'ha.table=lots': the size must be a whole number of bytes >= "
                + "256; ignored");
        assertThat(limits.maxBytes("ha.table")).isEqualTo(BrokerLimits.DEFAULT_MAX_BYTES);
    }
}
