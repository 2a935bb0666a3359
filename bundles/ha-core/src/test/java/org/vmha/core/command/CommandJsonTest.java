/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.reply.ClusterStatus;
import org.vmha.api.command.reply.VmResult;
import org.vmha.api.command.request.HostAddRequest;
import org.vmha.api.command.request.MaintenanceRequest;
import org.vmha.api.command.request.PlanRequest;
import org.vmha.api.command.request.PowerOnRequest;
import org.vmha.api.command.request.SetRequest;
import org.vmha.api.command.request.StatusRequest;
import org.vmha.api.command.request.WhatIfRequest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The typed command contract's JSON: strict binding with messages naming command, argument, expectation and value,
 * and the reply records written field for field.
 */
class CommandJsonTest {

    private final CommandJson json = new CommandJson();

    private <A extends Record> A bind(String command, String args, Class<A> type) throws Exception {
        return json.bind(command, json.mapper().readTree(args), type);
    }

    private void refused(String command, String args, Class<? extends Record> type, String message) {
        assertThatThrownBy(() -> bind(command, args, type)).as(args).isInstanceOf(CommandException.class)
                .hasMessage(message).extracting(t -> ((CommandException) t).code())
                .isEqualTo(CommandException.BAD_REQUEST);
    }

    @Test
    void aValueOfTheWrongJsonTypeIsRefusedNamingArgumentExpectationAndValue() {
        refused("power-on", "{\"vm\": 12}", PowerOnRequest.class,
                "argument 'vm' of command 'power-on' must be a string, got integer 12");
        refused("power-on", "{\"vm\": true}", PowerOnRequest.class,
                "argument 'vm' of command 'power-on' must be a string, got boolean true");
        refused("power-on", "{\"vm\": {\"a\": 1}}", PowerOnRequest.class,
                "argument 'vm' of command 'power-on' must be a string, got an object");
        refused("power-on", "{\"vm\": \"VM1\", \"host\": [\"H1\"]}", PowerOnRequest.class,
                "argument 'host' of command 'power-on' must be a string, got a list");
        refused("maintenance", "{\"host\": \"H1\", \"on\": \"yes\"}", MaintenanceRequest.class,
                "argument 'on' of command 'maintenance' must be a boolean, got the string \"yes\"");
        refused("maintenance", "{\"host\": \"H1\", \"on\": 1}", MaintenanceRequest.class,
                "argument 'on' of command 'maintenance' must be a boolean, got integer 1");
        refused("what-if", "{\"fail\": [\"H1\", 2]}", WhatIfRequest.class,
                "argument 'fail[1]' of command 'what-if' must be a string, got integer 2");
        refused("what-if", "{\"fail\": \"H1\"}", WhatIfRequest.class,
                "argument 'fail' of command 'what-if' must be a list of strings, got the string \"H1\"");
        refused("host-add", "{\"host\": \"H9\", \"capacity\": {\"cpuMhz\": \"8000\"}}", HostAddRequest.class,
                "argument 'capacity.cpuMhz' of command 'host-add' must be a whole number >= 0, got the string \"8000\"");
        refused("host-add", "{\"host\": \"H9\", \"capacity\": {\"cpuMhz\": 1.5}}", HostAddRequest.class,
                "argument 'capacity.cpuMhz' of command 'host-add' must be a whole number >= 0, got double 1.5");
        refused("host-add", "{\"host\": \"H9\", \"capacity\": [1]}", HostAddRequest.class,
                "argument 'capacity' of command 'host-add' must be an object of whole numbers, e.g. "
                        + "{\"cpuMhz\": 8000, \"memoryMb\": 16384}, got a list");
        refused("plan", "{\"inventory\": \"x\"}", PlanRequest.class,
                "argument 'inventory' of command 'plan' must be a JSON object, got the string \"x\"");
    }

    @Test
    void whatTheRecordRefusesNamesTheCommand() {
        refused("power-on", "{}", PowerOnRequest.class, "command 'power-on' needs argument 'vm' (a string)");
        refused("power-on", "{\"vm\": \"  \"}", PowerOnRequest.class, "command 'power-on' needs argument 'vm' (a string)");
        refused("power-on", "{\"vm\": null}", PowerOnRequest.class, "command 'power-on' needs argument 'vm' (a string)");
        refused("maintenance", "{\"host\": \"H1\"}", MaintenanceRequest.class,
                "command 'maintenance' needs argument 'on' (true or false)");
        refused("host-add", "{\"host\": \"H9\"}", HostAddRequest.class, "command 'host-add' needs argument 'capacity' "
                + "(an object of whole numbers, e.g. {\"cpuMhz\": 8000, \"memoryMb\": 16384})");
        refused("host-add", "{\"host\": \"H9\", \"capacity\": {\"cpuMhz\": -1}}", HostAddRequest.class,
                "argument 'capacity.cpuMhz' of command 'host-add' must be a whole number >= 0, got long -1");
        refused("what-if", "{\"fail\": [\"\"]}", WhatIfRequest.class,
                "argument 'fail[0]' of command 'what-if' must be a host name, got the string \"\"");
        refused("plan", "{}", PlanRequest.class,
                "command 'plan' needs argument 'inventory' (an inventory object (docs/ha-plan.md))");
    }

    @Test
    void anUnknownArgumentIsRefusedWithTheKnownOnes() {
        refused("power-on", "{\"vm\": \"VM1\", \"force\": true}", PowerOnRequest.class,
                "command 'power-on' has no argument 'force'; it takes host, vm");
        refused("status", "{\"verbose\": true}", StatusRequest.class, "command 'status' has no argument 'verbose'; "
                + "it takes none");
    }

    @Test
    void setTellsAJsonNullAlternateFromAnAbsentOne() throws Exception {
        assertThat(bind("set", "{\"vm\": \"VM1\"}", SetRequest.class).alternate()).isNull();
        assertThat(bind("set", "{\"vm\": \"VM1\", \"alternate\": null}", SetRequest.class).alternate())
                .isEqualTo(SetRequest.UNPIN);
        assertThat(bind("set", "{\"vm\": \"VM1\", \"alternate\": \"H2\"}", SetRequest.class).alternate())
                .isEqualTo("H2");
        refused("set", "{\"vm\": \"VM1\", \"alternate\": 3}", SetRequest.class,
                "argument 'alternate' of command 'set' must be a string, got integer 3");
    }

    @Test
    void goodArgumentsBind() throws Exception {
        HostAddRequest add = bind("host-add", "{\"host\": \"H9\", \"capacity\": {\"memoryMb\": 8192, \"cpuMhz\": 8000}}",
                HostAddRequest.class);
        assertThat(add.capacity()).containsExactly(Map.entry("cpuMhz", 8000L), Map.entry("memoryMb", 8192L));
        assertThat(bind("what-if", "{}", WhatIfRequest.class).fail()).isEmpty();
        assertThat(json.bind("status", null, StatusRequest.class)).isEqualTo(new StatusRequest());
        assertThat(bind("plan", "{\"inventory\": {\"hosts\": []}}", PlanRequest.class).allCombinations()).isFalse();
    }

    @Test
    void resultsAreWrittenFieldForFieldInTheirWireOrder() {
        JsonNode vm = json.write(new VmResult("VM1", "lun-VM1", "H1", null, "high", "RUNNING", "cluster", null, 3));
        assertThat(vm.toString()).isEqualTo("{\"vm\":\"VM1\",\"lun\":\"lun-VM1\",\"host\":\"H1\",\"alternate\":null,"
                + "\"priority\":\"high\",\"state\":\"RUNNING\",\"isolationResponse\":\"cluster\",\"generation\":3}");
        assertThat(json.write(new VmResult("VM1", "l", "H1", null, "high", "MIGRATING", "cluster", "H2", 3))
                .path("destination").asText()).isEqualTo("H2");
        JsonNode status = json.write(new ClusterStatus(4, Map.of("connected", 1), new ClusterStatus.VmCounts(2, 1,
                Map.of("running", 2)), ClusterStatus.Admission.none(), List.of()));
        assertThat(status.toString()).isEqualTo("{\"tableVersion\":4,\"hostCounts\":{\"connected\":1},\"vms\":"
                + "{\"total\":2,\"protected\":1,\"byState\":{\"running\":2}},\"admission\":{\"policy\":\"none\"},"
                + "\"hosts\":[]}");
        assertThat(json.write(null).toString()).isEqualTo("{}");
        assertThat(json.mapper().convertValue(status, ClusterStatus.class).vms().protectedVms())
                .as("a client reads the reply back into the record").isEqualTo(1);
    }
}
