/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.core.command.CommandJson;
import org.vmha.api.command.reply.Explanation;
import org.vmha.api.command.reply.HostExplanation;
import org.vmha.api.command.reply.VmResult;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;

/** The typed replies render the fields, names and order the shell and the NOC have always seen. */
class TypedResultsTest {

    private static FailoverTableEntry entry(VmState state, IsolationResponse response) {
        return new FailoverTableEntry("vm1", "lun-vm1", "H1", "H2", RestartPriority.HIGH, ResourceVector.of(1, 1),
                state, 7, response, 3);
    }

    @Test
    void aVmReplyHasADestinationOnlyWhileMigrating() {
        assertThat(json(VmResult.of(entry(VmState.RUNNING, null)))).containsExactly(Map.entry("vm", "vm1"),
                Map.entry("lun", "lun-vm1"), Map.entry("host", "H1"), Map.entry("alternate", "H2"),
                Map.entry("priority", "high"), Map.entry("state", "RUNNING"), Map.entry("isolationResponse", "cluster"),
                Map.entry("generation", 7L));
        Map<String, Object> migrating = json(VmResult.of(entry(new VmState.Migrating("H1", "H3"),
                IsolationResponse.POWER_OFF)));
        assertThat(migrating.keySet()).containsExactly("vm", "lun", "host", "alternate", "priority", "state",
                "isolationResponse", "destination", "generation");
        assertThat(migrating).containsEntry("destination", "H3").containsEntry("isolationResponse", "power-off");
    }

    @Test
    void anExplanationKeepsNullFactsAsNulls() {
        Map<String, Object> m = json(new Explanation("vm1", "lun-vm1", "POWERED_OFF", null, null, false, "medium", 0,
                null, List.of("VM vm1 is powered off.")));
        assertThat(m.keySet()).containsExactly("vm", "lun", "state", "host", "alternate", "pinned", "priority",
                "generation", "lastDenial", "reasons");
        assertThat(m).containsEntry("host", null).containsEntry("lastDenial", null).containsEntry("pinned", false);
    }

    @Test
    void aHostExplanationNamesItsFieldsInWireOrderWithNullsKept() {
        Map<String, Object> m = json(new HostExplanation("H2", "FAILED", "FAILED", "2026-01-01T00:00:15Z",
                "management", 15000, new HostExplanation.Heartbeat("2026-01-01T00:00:00Z", 20000, 7), null, null,
                List.of(), List.of("vm1"), List.of("Host H2 is FAILED.")));
        assertThat(m.keySet()).containsExactly("host", "state", "peerStatus", "since", "declaredBy",
                "failureTimeoutMs", "network", "datastore", "isolationMarker", "leases", "vms", "reasons");
        assertThat(m).containsEntry("datastore", null).containsEntry("isolationMarker", null)
                .containsEntry("network", Map.of("at", "2026-01-01T00:00:00Z", "agoMs", 20000L, "sequence", 7L));
    }

    /** @return the result as the NOC reply carries it, fields in wire order */
    static Map<String, Object> json(Object result) {
        return new CommandJson().mapper().convertValue(result,
                new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() {
                });
    }
}
