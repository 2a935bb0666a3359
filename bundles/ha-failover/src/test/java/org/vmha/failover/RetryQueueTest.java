/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The {@link RetryQueueTest} is responsible for the retry rules: capacity waits and lease waits are
 * free, failures back off exponentially and spend the budget.
 *
 * @author vmha - Initial contribution
 */
class RetryQueueTest {

    @Test
    void waitingForCapacityIsRetriedWhenTheEpochChangesWithoutSpendingTheBudget() {
        RetryQueue q = new RetryQueue(1000, 8000, 2);
        assertThat(q.eligible("lun-a", 0, 0)).isTrue();
        for (int epoch = 0; epoch < 10; epoch++) {
            q.waitForCapacity("lun-a", "insufficient capacity", epoch);
            assertThat(q.eligible("lun-a", 1_000_000, epoch)).isFalse();
            assertThat(q.eligible("lun-a", 0, epoch + 1)).isTrue();
        }
        assertThat(q.get("lun-a").orElseThrow().attempts()).isZero();
        assertThat(q.get("lun-a").orElseThrow().gaveUp()).isFalse();
    }

    @Test
    void failuresBackOffExponentiallyAndGiveUpAfterTheBudget() {
        RetryQueue q = new RetryQueue(1000, 3000, 3);
        RetryQueue.Retry r1 = q.failed("lun-a", "boom", 0);
        assertThat(r1.notBeforeMillis()).isEqualTo(1000);
        assertThat(q.eligible("lun-a", 999, 0)).isFalse();
        assertThat(q.eligible("lun-a", 1000, 0)).isTrue();
        assertThat(q.failed("lun-a", "boom", 1000).notBeforeMillis()).isEqualTo(3000);
        RetryQueue.Retry r3 = q.failed("lun-a", "boom", 3000);
        assertThat(r3.notBeforeMillis()).isEqualTo(6000); // capped at 3000
        assertThat(r3.gaveUp()).isTrue();
        assertThat(q.eligible("lun-a", Long.MAX_VALUE, 99)).isFalse();
        q.done("lun-a");
        assertThat(q.eligible("lun-a", 0, 0)).isTrue();
    }

    @Test
    void leaseWaitsAreTimedAndFree() {
        RetryQueue q = new RetryQueue(1000, 3000, 1);
        q.notBefore("lun-a", "lease expires", 5000);
        assertThat(q.eligible("lun-a", 4999, 0)).isFalse();
        assertThat(q.eligible("lun-a", 5000, 0)).isTrue();
        assertThat(q.get("lun-a").orElseThrow().attempts()).isZero();
        assertThatThrownBy(() -> new RetryQueue(0, 1, 1)).hasMessageContaining("retry queue");
    }
}
