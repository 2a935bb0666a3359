/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.transport;

import org.vmha.api.transport.TableUpdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.event.MalformedMessageException;

class ClusterMessageCodecTest {

    private final ClusterMessageCodec codec = new ClusterMessageCodec();

    @Test
    void heartbeatRoundTrips() {
        HostHeartbeat hb = new HostHeartbeat("H1", 7, 1_700_000_000_000L, ResourceVector.of(1000, 2048),
                ResourceVector.of(8000, 16384));
        String json = codec.encodeHeartbeat(hb);
        assertThat(json).contains("\"host\":\"H1\"").contains("\"sequence\":7");
        assertThat(codec.decodeHeartbeat(json)).isEqualTo(hb);
    }

    @Test
    void aLeaveMessageCarriesItsFlagAndAnOrdinaryHeartbeatDoesNot() {
        HostHeartbeat leave = new HostHeartbeat("H1", 8, 1_700_000_001_000L, ResourceVector.ZERO,
                ResourceVector.of(8000, 16384), true);
        String json = codec.encodeHeartbeat(leave);
        assertThat(json).contains("\"leaving\":true");
        assertThat(codec.decodeHeartbeat(json)).isEqualTo(leave);
        assertThat(codec.encodeHeartbeat(new HostHeartbeat("H1", 7, 1, ResourceVector.ZERO, ResourceVector.ZERO)))
                .doesNotContain("leaving");
        assertThatThrownBy(() -> codec.decodeHeartbeat("{\"host\":\"H1\",\"sequence\":1,\"timeMillis\":1,"
                + "\"leaving\":\"yes\"}")).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("heartbeat: leaving");
    }

    @Test
    void tableUpdateRoundTripsWithEveryStateKind() {
        List<FailoverTableEntry> entries = List.of(
                new FailoverTableEntry("VM1", "lun-1", "H1", "H2", RestartPriority.HIGH, ResourceVector.of(500, 1024),
                        VmState.RUNNING, 3),
                new FailoverTableEntry("VM2", "lun-2", "H2", null, RestartPriority.LOW, ResourceVector.of(500, 1024),
                        new VmState.RestartPending("no host has 1024 memoryMb free"), 1),
                new FailoverTableEntry("VM3", "lun-3", null, null, RestartPriority.MEDIUM, ResourceVector.ZERO,
                        VmState.POWERED_OFF, 0));
        TableUpdate full = new TableUpdate("management", 12, true, entries);
        assertThat(codec.decodeTable(codec.encodeTable(full))).isEqualTo(full);
        TableUpdate delta = new TableUpdate("H3", 4, false, entries.subList(0, 1));
        assertThat(codec.decodeTable(codec.encodeTable(delta))).isEqualTo(delta);
    }

    @Test
    void malformedHeartbeatNamesTheField() {
        assertThatThrownBy(() -> codec.decodeHeartbeat("{\"host\":\"H1\",\"sequence\":\"x\",\"timeMillis\":1}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("heartbeat: sequence");
        assertThatThrownBy(() -> codec.decodeHeartbeat("{\"sequence\":1,\"timeMillis\":1}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("heartbeat: host");
        assertThatThrownBy(() -> codec.decodeHeartbeat(
                "{\"host\":\"H1\",\"sequence\":1,\"timeMillis\":1,\"load\":{\"cpuMhz\":-5}}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("load.cpuMhz");
        assertThatThrownBy(() -> codec.decodeHeartbeat("not json"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> codec.decodeHeartbeat(""))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("empty");
    }

    @Test
    void aFullTableCarriesTheHostsInMaintenanceAndABadListIsNamed() {
        TableUpdate full = new TableUpdate("management", 7, true, java.util.List.of(),
                new java.util.TreeSet<>(java.util.List.of("H4", "H2")));
        String json = codec.encodeTable(full);
        assertThat(json).contains("\"maintenance\":[\"H2\",\"H4\"]");
        assertThat(codec.decodeTable(json)).isEqualTo(full);
        assertThat(codec.encodeTable(new TableUpdate("H1", 3, false, java.util.List.of()))).doesNotContain("maintenance");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decodeTable(
                "{\"source\":\"management\",\"full\":true,\"maintenance\":[\"H1\",3],\"version\":1,\"entries\":[]}"))
                .hasMessageContaining("maintenance[1]");
    }

    @Test
    void malformedTableUpdateNamesTheField() {
        assertThatThrownBy(() -> codec.decodeTable("{\"source\":\"H1\",\"version\":1,\"entries\":[]}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("table update: full");
        assertThatThrownBy(() -> codec.decodeTable("{\"full\":true,\"version\":1,\"entries\":[]}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("table update: source");
        assertThatThrownBy(() -> codec.decodeTable("{\"source\":\"H1\",\"full\":false,\"version\":1,\"entries\":"
                + "[{\"vm\":\"VM1\",\"lun\":\"l\",\"priority\":\"high\",\"state\":{\"kind\":\"FLYING\"},\"generation\":1}]}"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("entries[0].state.kind");
        assertThatThrownBy(() -> codec.decodeTable("[1]"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("must be a JSON object");
    }
}
