/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * The {@link FaultScenarioParserTest} is responsible for the scenario format of the fault events and
 * settings: their values, and every bad input rejected with exit code 2 and its place named.
 *
 * @author vmha - Initial contribution
 */
class FaultScenarioParserTest {

    private static final String HOSTS = "{\"hosts\":[{\"name\":\"H1\",\"capacity\":{\"cpuMhz\":4000,\"memoryMb\":4096}},"
            + "{\"name\":\"H2\",\"capacity\":{\"cpuMhz\":4000,\"memoryMb\":4096}}],"
            + "\"vms\":[{\"name\":\"VM1\",\"reservation\":{\"cpuMhz\":500,\"memoryMb\":512},\"host\":\"H1\","
            + "\"poweredOn\":true}],\"until\":\"20s\"";

    private static String with(String config, String events) {
        return HOSTS + (config == null ? "" : ",\"config\":{" + config + "}") + ",\"events\":[" + events + "]}";
    }

    private static void rejected(String scenario, String place, String... words) {
        assertThatThrownBy(() -> new ScenarioParser().parse(scenario)).isInstanceOfSatisfying(ScenarioException.class,
                e -> {
                    assertThat(e.path()).isEqualTo(place);
                    assertThat(e.notSupportedYet()).isFalse();
                    assertThat(e.getMessage()).startsWith(place + ": ").contains(words);
                });
        CommandLine cl = HaSimCommand.commandLine(new ByteArrayInputStream(scenario.getBytes(StandardCharsets.UTF_8)));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("-")).isEqualTo(2);
        assertThat(err.toString()).contains(place);
    }

    @Test
    void faultEventsAndSettingsAreRead() {
        Scenario s = new ScenarioParser().parse(with("\"adapterTimeoutMs\":2000,\"messageDuplication\":0.25,"
                + "\"guestShutdownMs\":5000", "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"storage-hang\",\"for\":\"12s\"},"
                        + "{\"at\":\"2s\",\"host\":\"H2\",\"do\":\"agent-pause\",\"for\":1500},"
                        + "{\"at\":\"3s\",\"host\":\"H1\",\"do\":\"hypervisor-fail\",\"op\":\"power-off\",\"count\":2},"
                        + "{\"at\":\"3s\",\"host\":\"H1\",\"do\":\"hypervisor-fail\",\"op\":\"start\"},"
                        + "{\"at\":\"4s\",\"vm\":\"VM1\",\"do\":\"corrupt-checkpoint\"},"
                        + "{\"at\":\"5s\",\"do\":\"management-off\"},{\"at\":\"6s\",\"do\":\"management-on\",\"fresh\":true},"
                        + "{\"at\":\"7s\",\"do\":\"management-on\"}"));
        assertThat(s.config().adapterTimeoutMs()).isEqualTo(2000);
        assertThat(s.config().messageDuplication()).isEqualTo(0.25);
        assertThat(s.config().guestShutdownMs()).isEqualTo(5000);
        assertThat(s.events()).extracting(Scenario.Event::forMillis).containsExactly(12_000L, 1500L, 0L, 0L, 0L, 0L,
                0L, 0L);
        assertThat(s.events()).extracting(Scenario.Event::op).containsExactly(null, null, "power-off", "start", null,
                null, null, null);
        assertThat(s.events()).extracting(Scenario.Event::count).containsExactly(0, 0, 2, 1, 0, 0, 0, 0);
        assertThat(s.events()).extracting(Scenario.Event::fresh).containsExactly(false, false, false, false, false,
                false, true, false);
        Scenario d = new ScenarioParser().parse(with(null, ""));
        assertThat(d.config().adapterTimeoutMs()).isEqualTo(10_000);
        assertThat(d.config().messageDuplication()).isZero();
        assertThat(d.config().guestShutdownMs()).isZero();
    }

    @Test
    void badFaultEventsNameTheirPlace() {
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"storage-hang\"}"), "events[0].for", "is required",
                "storage-hang");
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"power-off\"},{\"at\":\"1s\",\"host\":\"H1\","
                + "\"do\":\"agent-pause\",\"for\":\"soon\"}"), "events[1].for", "duration");
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"agent-pause\",\"for\":0}"), "events[0].for",
                "must be > 0");
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"power-off\",\"for\":\"3s\"}"), "events[0].for",
                "only 'storage-hang' and 'agent-pause'");
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"hypervisor-fail\"}"), "events[0].op",
                "is required", "[checkpoint, power-off, shutdown, start]");
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"hypervisor-fail\",\"op\":\"reset\"}"),
                "events[0].op", "unknown hypervisor operation 'reset'");
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"hypervisor-fail\",\"op\":\"start\",\"count\":0}"),
                "events[0].count", "must be >= 1");
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"storage-off\",\"count\":2}"), "events[0].count",
                "only 'hypervisor-fail'");
        rejected(with(null, "{\"at\":\"1s\",\"vm\":\"VM1\",\"do\":\"power-off\",\"op\":\"start\"}"), "events[0].op",
                "only 'hypervisor-fail'");
        rejected(with(null, "{\"at\":\"1s\",\"do\":\"management-on\",\"fresh\":\"yes\"}"), "events[0].fresh",
                "must be true or false");
        rejected(with(null, "{\"at\":\"1s\",\"do\":\"broker-on\",\"fresh\":true}"), "events[0].fresh",
                "only 'management-on'");
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H9\",\"do\":\"storage-hang\",\"for\":\"1s\"}"),
                "events[0].host", "unknown host 'H9'");
        rejected(with(null, "{\"at\":\"1s\",\"vm\":\"VM9\",\"do\":\"corrupt-checkpoint\"}"), "events[0].vm",
                "unknown VM 'VM9'");
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"corrupt-checkpoint\"}"), "events[0].do",
                "unknown host action 'corrupt-checkpoint'");
    }

    @Test
    void badFaultSettingsAndInconsistentTimingsNameTheSetting() {
        rejected(with("\"messageDuplication\":1", ""), "config.messageDuplication", "[0, 1)");
        rejected(with("\"messageDuplication\":\"often\"", ""), "config.messageDuplication", "[0, 1)");
        rejected(with("\"guestShutdownMs\":-1", ""), "config.guestShutdownMs", "must be >= 0");
        rejected(with("\"adapterTimeoutMs\":0", ""), "config.adapterTimeoutMs", "must be >= 1");
        rejected(with("\"heartbeatIntervalMs\":1000,\"leaseDurationMs\":1500", ""), "config.leaseDurationMs",
                "must be >= 2 x heartbeatIntervalMs (2000), was 1500", "restart thrash");
        rejected(with("\"heartbeatIntervalMs\":1000,\"failureTimeoutMs\":1000", ""), "config.failureTimeoutMs",
                "must be >= 1001");
        // the default lease is 2.5 s here (the default failure timeout): a timeout set explicitly must be shorter
        rejected(with("\"adapterTimeoutMs\":2500", ""), "config.adapterTimeoutMs", "must be < leaseDurationMs (2500), "
                + "was 2500", "cannot fence itself");
        // the default timeout (10 s) takes effect with a storage-hang
        rejected(with(null, "{\"at\":\"1s\",\"host\":\"H1\",\"do\":\"power-off\"},{\"at\":\"1s\",\"host\":\"H1\","
                + "\"do\":\"storage-hang\",\"for\":\"1s\"}"), "config.adapterTimeoutMs", "was 10000 (the default, "
                        + "which applies because events[1] is a storage-hang)");
        // without a storage-hang the default timeout has no effect and is not checked
        assertThat(new ScenarioParser().parse(with(null, "")).config().leaseDurationMs()).isEqualTo(2500);
        assertThat(new ScenarioParser().parse(with("\"adapterTimeoutMs\":2499", "")).config().adapterTimeoutMs())
                .isEqualTo(2499);
        assertThat(new ScenarioParser().parse(with("\"leaseDurationMs\":12000", "{\"at\":\"1s\",\"host\":\"H1\","
                + "\"do\":\"storage-hang\",\"for\":\"1s\"}")).config().adapterTimeoutMs()).isEqualTo(10_000);
    }
}
