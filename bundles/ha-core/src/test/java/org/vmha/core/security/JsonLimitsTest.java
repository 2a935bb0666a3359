/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.transport.ClusterMessageCodec;
import org.vmha.api.transport.TableUpdate;

/** The limits every consumer applies before parsing (finding 5 of issue 14). */
class JsonLimitsTest {

    private final JsonLimits small = new JsonLimits(1_000, 4, 10, 5, 50);

    @Test
    void eachLimitIsNamedWithWhereItWasExceeded() {
        assertThatThrownBy(() -> small.check("x".repeat(1_001), "heartbeat")).hasMessage(
                "heartbeat of 1001 characters exceeds the limit of 1000")
                .isInstanceOfSatisfying(JsonLimits.LimitExceededException.class, e -> assertThat(e.tooLarge()).isTrue());
        assertThatThrownBy(() -> small.check("[[[[[1]]]]]", "r")).hasMessage("r nests deeper than 4 levels (at character 4)");
        assertThatThrownBy(() -> small.check("{\"a\":\"01234567890\"}", "r"))
                .hasMessageStartingWith("r has a string longer than 10 characters");
        assertThatThrownBy(() -> small.check("[123456]", "r")).hasMessageStartingWith("r has a number longer than 5");
        assertThatThrownBy(() -> small.check("[" + "1,".repeat(60) + "1]", "r")).hasMessageStartingWith(
                "r has more than 50 values");
        small.check("{\"a\":[1,2,{\"b\":\"\\u0041\\\"x\"}],\"c\":true,\"d\":null}", "ok");
        // brackets inside strings do not nest
        small.check("{\"a\":\"[[[[[[\"}", "ok");
    }

    @Test
    void aDeeplyNestedTwentyKilobyteCommandIsRefusedBeforeJacksonRecurses() {
        String deep = "{\"command\":\"status\",\"args\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThatThrownBy(() -> JsonLimits.COMMAND.check(deep, "request")).hasMessageContaining("nests deeper than 32");
    }

    /** @return a full table of n VMs as the management service publishes it */
    static String fullTable(int vms, int hosts) {
        List<FailoverTableEntry> entries = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        for (int h = 0; h < hosts; h++) {
            names.add(String.format("H%03d", h));
        }
        for (int i = 0; i < vms; i++) {
            String vm = String.format("VM%05d", i);
            entries.add(new FailoverTableEntry(vm, "lun-" + vm, String.format("H%03d", i % hosts),
                    String.format("H%03d", (i + 1) % hosts), RestartPriority.MEDIUM, ResourceVector.of(2000, 4096),
                    VmState.RUNNING, 12, IsolationResponse.SHUTDOWN, 3));
        }
        return new ClusterMessageCodec().encodeTable(new TableUpdate("management", 123_456, true, entries,
                new TreeSet<>(List.of("H001")), names));
    }

    @Test
    void aFullTableOfTheDistributionAndOfFiveThousandVmsFitsTheTableLimitsAndDecodes() {
        String t20 = fullTable(20, 4);
        String t5000 = fullTable(5_000, 100);
        int b20 = t20.getBytes(StandardCharsets.UTF_8).length;
        int b5000 = t5000.getBytes(StandardCharsets.UTF_8).length;
        System.out.println("full table: 20 VMs / 4 hosts = " + b20 + " bytes; 5000 VMs / 100 hosts = " + b5000 + " bytes");
        assertThat(b20).isLessThan(8_192);
        assertThat(b5000).isLessThan(JsonLimits.TABLE.maxChars() / 2);
        JsonLimits.TABLE.check(t5000, "table update");
        assertThat(new ClusterMessageCodec().decodeTable(t5000).entries()).hasSize(5_000);
    }
}
