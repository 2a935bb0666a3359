/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;

/**
 * The {@link FailoverTableCodecTest} is responsible for pinning the table's JSON names and checking the
 * round trip of every state.
 *
 * @author vmha - Initial contribution
 */
class FailoverTableCodecTest {

    private final FailoverTableCodec codec = new FailoverTableCodec();

    @Test
    void encodesWithStableNames() {
        FailoverTable t = new FailoverTable(3, List.of(new FailoverTableEntry("VM1", "lun-1", "H1", "H2",
                RestartPriority.HIGH, ResourceVector.of(500, 1024), new VmState.Migrating("H1", "H2"), 4)));
        assertThat(codec.encode(t)).isEqualTo("{\"version\":3,\"entries\":[{\"vm\":\"VM1\",\"lun\":\"lun-1\","
                + "\"currentHost\":\"H1\",\"alternateHost\":\"H2\",\"priority\":\"high\","
                + "\"reservation\":{\"cpuMhz\":500,\"memoryMb\":1024},"
                + "\"state\":{\"kind\":\"MIGRATING\",\"source\":\"H1\",\"dest\":\"H2\"},\"generation\":4}]}");
    }

    @Test
    void roundTripsEveryState() {
        List<VmState> states = List.of(VmState.POWERED_OFF, VmState.STARTING, VmState.RUNNING, VmState.FAILING_OVER,
                new VmState.Migrating("A", "B"), new VmState.RestartPending("no capacity"), new VmState.Failed("disk"));
        List<FailoverTableEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            entries.add(new FailoverTableEntry("v" + i, "l" + i, i % 2 == 0 ? null : "A", null,
                    RestartPriority.values()[i % 6], ResourceVector.of(i, 2L * i).with("gpus", 1), states.get(i), i));
        }
        FailoverTable t = new FailoverTable(9, entries);
        assertThat(codec.decode(codec.encode(t))).isEqualTo(t);
    }

    @Test
    void decodeNamesTheBadField() {
        assertThatThrownBy(() -> codec.decode("{\"version\":1,\"entries\":[{\"vm\":\"a\",\"lun\":\"b\","
                + "\"priority\":\"medium\",\"state\":{\"kind\":\"DANCING\"},\"generation\":1}]}"))
                .hasMessageStartingWith("failover table: entries[0].state.kind: unknown state 'DANCING'");
        assertThatThrownBy(() -> codec.decode("{\"version\":1,\"entries\":[{\"vm\":\"a\",\"lun\":\"b\","
                + "\"priority\":\"medium\",\"reservation\":{\"cpuMhz\":-1},\"state\":{\"kind\":\"RUNNING\"},"
                + "\"generation\":1}]}")).hasMessage("failover table: entries[0].reservation.cpuMhz: must be >= 0, was -1");
        assertThatThrownBy(() -> codec.decode("{\"entries\":[]}")).hasMessageContaining("version: must be an integer");
    }
}
