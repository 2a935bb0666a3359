/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.vmha.api.storage.CorruptCheckpointException;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageUnavailableException;
import org.vmha.storage.tck.AbstractStorageAdapterConformanceTest;
import org.vmha.storage.tck.MutableClock;

/**
 * The {@link InMemoryStorageAdapterTest} is responsible for running the SPI conformance kit against
 * the in-memory reference adapter, plus its own corruption hook and determinism.
 *
 * @author vmha - Initial contribution
 */
class InMemoryStorageAdapterTest extends AbstractStorageAdapterConformanceTest {

    @Override
    protected StorageAdapter createAdapter(MutableClock clock, long leaseDurationMillis) {
        return new InMemoryStorageAdapter(clock, leaseDurationMillis);
    }

    @Test
    void corruptLatestCheckpointIsReportedAndThePreviousStaysReadable() {
        InMemoryStorageAdapter mem = (InMemoryStorageAdapter) adapter;
        mem.provisionVolume("vm1");
        Lease lease = mem.acquireLease("lun-vm1", "h1");
        write("lun-vm1", lease.generation(), image(100, 1));
        long latest = write("lun-vm1", lease.generation(), image(100, 2)).sequence();

        mem.corruptCheckpoint("lun-vm1", latest, 50);

        assertThatThrownBy(() -> mem.readLatestCheckpoint("lun-vm1", OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(CorruptCheckpointException.class, e -> {
                    assertThat(e.sequence()).isEqualTo(latest);
                    assertThat(e.getMessage()).contains("lun-vm1", "checksum");
                });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mem.readCheckpoint("lun-vm1", latest - 1, out);
        assertThat(out.toByteArray()).isEqualTo(image(100, 1));
    }

    @Test
    void sameCallsUnderTheSameClockGiveTheSameResults() {
        assertThat(scenario()).isEqualTo(scenario());
    }

    private String scenario() {
        MutableClock c = new MutableClock(5_000);
        InMemoryStorageAdapter mem = new InMemoryStorageAdapter(c, 1000, 1);
        StringBuilder trace = new StringBuilder();
        for (String vm : new String[] {"c", "a", "b"}) {
            mem.provisionVolume(vm);
        }
        Lease l = mem.acquireLease("lun-a", "h1");
        c.advance(1500);
        trace.append(mem.acquireLease("lun-a", "h2")).append(mem.listVolumes()).append(mem.inspectLease("lun-a"));
        trace.append(mem.writeHeartbeat("h9", 3)).append(mem.writeHeartbeat("h1", 4)).append(mem.readHeartbeats());
        trace.append(l);
        return trace.toString();
    }

    @Test
    void closedAdapterRefusesCalls() {
        adapter.close();
        assertThatThrownBy(() -> adapter.listVolumes()).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> new InMemoryStorageAdapter(Clock.systemUTC(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDurationMillis");
    }
}
