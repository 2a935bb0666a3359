/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.vmha.api.hypervisor.HypervisorException;

/**
 * The {@link TimeoutGuardTest} is responsible for showing that a hung adapter cannot hang the caller
 * and that errors name the adapter, the call and the VM.
 *
 * @author vmha - Initial contribution
 */
class TimeoutGuardTest {

    @Test
    void aHungCallTimesOutNamingAdapterCallAndVmAndAFullPoolRefusesAtOnce() {
        CountDownLatch release = new CountDownLatch(1);
        Runnable hang = () -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // a truly hung adapter ignores interrupts
                }
            }
        };
        try (TimeoutGuard g = new TimeoutGuard("test-guard", 1, 1, 50)) {
            assertThatThrownBy(() -> g.run("hypervisor sim@H1", "start", "lun-vm1", hang))
                    .isInstanceOf(AdapterCallException.class)
                    .hasMessageContaining("hypervisor sim@H1 start(lun-vm1) did not return within 50 ms");
            // the hung call keeps the only thread; the next call waits in the queue and times out too
            assertThatThrownBy(() -> g.run("hypervisor sim@H1", "powerOff", "lun-vm2", hang))
                    .isInstanceOf(AdapterCallException.class).hasMessageContaining("powerOff(lun-vm2)");
            // pool and queue full: refused at once instead of piling up
            assertThatThrownBy(() -> g.run("hypervisor sim@H1", "reset", "lun-vm3", () -> { }))
                    .isInstanceOf(AdapterCallException.class)
                    .hasMessageContaining("reset(lun-vm3) refused: all 1 guard threads are busy");
        } finally {
            release.countDown();
        }
    }

    @Test
    void resultsAndTypedAdapterErrorsPassThrough() {
        try (TimeoutGuard g = new TimeoutGuard("test-guard", 2, 4, 5000)) {
            assertThat(g.call("a", "b", "c", () -> 42)).isEqualTo(42);
            assertThatThrownBy(() -> g.call("a", "start", "lun-x", () -> {
                throw new HypervisorException("no room on H1 for lun-x");
            })).isInstanceOf(HypervisorException.class).hasMessage("no room on H1 for lun-x");
        }
        assertThat(new DirectGuard().call("a", "b", "c", () -> "inline")).isEqualTo("inline");
        assertThatThrownBy(() -> new TimeoutGuard("g", 0, 1, 1)).hasMessageContaining("threads");
    }
}
