/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.MonitoringSettings;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.Vm;
import org.vmha.api.model.VmOverrides;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link ModelJsonModuleTest} is responsible for pinning the model's JSON names.
 *
 * @author vmha - Initial contribution
 */
class ModelJsonModuleTest {

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new ModelJsonModule());

    @Test
    void hostJsonIsStable() throws JsonProcessingException {
        Host h = new Host("H1", ResourceVector.of(9000, 9216).with("gpus", 2), HostState.MAINTENANCE, true);
        String json = mapper.writeValueAsString(h);
        assertThat(json).isEqualTo("{\"name\":\"H1\",\"capacity\":{\"cpuMhz\":9000,\"gpus\":2,\"memoryMb\":9216},"
                + "\"state\":\"maintenance\",\"failoverOnly\":true}");
        assertThat(mapper.readValue(json, Host.class)).isEqualTo(h);
    }

    @Test
    void vmJsonIsStableAndRoundTrips() throws JsonProcessingException {
        Vm vm = new Vm("lun-7", "db", new Vmx(4, 8192, List.of(new Vmx.Nic("prod", "00:50:56:00:00:01")),
                List.of(new Vmx.Hba("50:01")), List.of(new Vmx.Disk("lun-7", 40_960))), ResourceVector.of(2000, 8192),
                RestartPriority.HIGHEST, true, new VmOverrides("H2", IsolationResponse.LEAVE_POWERED_ON,
                        new MonitoringSettings(true, 30, 3, 3600)));
        String json = mapper.writeValueAsString(vm);
        assertThat(json).startsWith("{\"lun\":\"lun-7\",\"name\":\"db\",\"vmx\":{\"vcpus\":4,\"memoryMb\":8192,")
                .contains("\"reservation\":{\"cpuMhz\":2000,\"memoryMb\":8192}").contains("\"priority\":\"highest\"")
                .contains("\"isolationResponse\":\"leave-powered-on\"").doesNotContain("protected");
        assertThat(mapper.readValue(json, Vm.class)).isEqualTo(vm);
    }

    @Test
    void tableRoundTripsEveryState() throws JsonProcessingException {
        FailoverTable t = new FailoverTable(4, List.of(
                new FailoverTableEntry("a", "la", "H1", "H2", RestartPriority.LOW, ResourceVector.of(1, 2),
                        new VmState.Migrating("H1", "H2"), 3),
                new FailoverTableEntry("b", "lb", "H1", null, RestartPriority.MEDIUM, ResourceVector.of(1, 2),
                        new VmState.RestartPending("no capacity"), 1),
                new FailoverTableEntry("c", "lc", null, null, RestartPriority.DISABLED, ResourceVector.ZERO,
                        VmState.POWERED_OFF, 0)));
        String json = mapper.writeValueAsString(t);
        assertThat(json).contains("\"state\":{\"kind\":\"MIGRATING\",\"source\":\"H1\",\"dest\":\"H2\"}")
                .contains("\"priority\":\"disabled\"").doesNotContain("protected");
        assertThat(mapper.readValue(json, FailoverTable.class)).isEqualTo(t);
    }

    @Test
    void badValuesAreRejectedWithTheValue() {
        assertThatThrownBy(() -> mapper.readValue("{\"name\":\"H\",\"state\":\"asleep\"}", Host.class))
                .hasMessageContaining("asleep").hasMessageContaining("connected");
        assertThatThrownBy(() -> mapper.readValue("{\"name\":\"H\",\"capacity\":{\"cpuMhz\":\"x\"}}", Host.class))
                .hasMessageContaining("resource 'cpuMhz' must be an integer");
    }
}
