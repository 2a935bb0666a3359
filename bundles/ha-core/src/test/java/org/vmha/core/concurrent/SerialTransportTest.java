/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.ResourceVector;
import org.vmha.testkit.VirtualScheduler;
import org.vmha.api.transport.ClusterListener;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.api.transport.TableUpdate;

class SerialTransportTest {

    @Test
    void deliversOnTheSerialExecutorAndDropsAfterItStopped() throws Exception {
        VirtualScheduler time = new VirtualScheduler(0);
        InMemoryTransport bus = new InMemoryTransport(time, 1, 0, 0, 0);
        ExecutorService serial = Executors.newSingleThreadExecutor(r -> new Thread(r, "vmha-agent-H2"));
        List<String> threads = new CopyOnWriteArrayList<>();
        List<Long> seen = new CopyOnWriteArrayList<>();
        new SerialTransport(bus.endpoint("H2"), serial).subscribe(new ClusterListener() {
            @Override
            public void onHeartbeat(HostHeartbeat heartbeat) {
                threads.add(Thread.currentThread().getName());
                seen.add(heartbeat.sequence());
            }

            @Override
            public void onTable(TableUpdate update) {
            }
        });

        bus.endpoint("H1").publishHeartbeat(new HostHeartbeat("H1", 1, 0, ResourceVector.ZERO, ResourceVector.ZERO));
        time.runUntil(1);
        serial.shutdown();
        assertThat(serial.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly(1L);
        assertThat(threads).containsExactly("vmha-agent-H2");

        // after the agent stopped, a late message is dropped, not thrown at the transport's thread
        bus.endpoint("H1").publishHeartbeat(new HostHeartbeat("H1", 2, 0, ResourceVector.ZERO, ResourceVector.ZERO));
        time.runUntil(1);
        assertThat(seen).containsExactly(1L);
    }
}
