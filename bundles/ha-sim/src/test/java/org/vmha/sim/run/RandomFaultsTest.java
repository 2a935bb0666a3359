/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link RandomFaultsTest} is responsible for running seeded random fault sequences (host crashes,
 * network and storage loss, each isolation response, message loss and delay) through the simulator and
 * checking the invariants: no violation during the run, and every protected VM running at the end,
 * after all faults were repaired.
 * <p>
 * {@link #mixedFaultSchedulesKeepTheInvariantsAndEndWithEveryVmRunning()} is the randomized run over every
 * fault ha-sim injects ({@link RandomSchedules}): {@value #CI_SCHEDULES} schedules by default, more with
 * {@code -Dvmha.sim.schedules=1000} (and {@code -Dvmha.sim.from=SEED} for the first seed). A failure lists
 * every failing seed and prints the scenario JSON of the first ones, to run with {@code bin/ha-sim}.
 *
 * @author vmha - Initial contribution
 */
class RandomFaultsTest {

    /** Schedules of the mixed randomized run in CI. */
    static final int CI_SCHEDULES = 200;

    static String scenario(long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("{\"hosts\":[");
        for (int h = 1; h <= 5; h++) {
            sb.append(h > 1 ? "," : "").append("{\"name\":\"H").append(h)
                    .append("\",\"capacity\":{\"cpuMhz\":8000,\"memoryMb\":16384}}");
        }
        sb.append("],\"vms\":[");
        String[] prio = {"low", "medium", "high"};
        for (int v = 0; v < 15; v++) {
            sb.append(v > 0 ? "," : "").append("{\"name\":\"VM").append(v / 10).append(v % 10)
                    .append("\",\"reservation\":{\"cpuMhz\":1000,\"memoryMb\":2048},\"host\":\"H").append(v % 5 + 1)
                    .append("\",\"poweredOn\":true,\"priority\":\"").append(prio[r.nextInt(3)]).append("\"}");
        }
        String[][] faults = {{"power-off", "power-on"}, {"network-off", "network-on"}, {"storage-off", "storage-on"}};
        String[] responses = {"leave-powered-on", "power-off", "shutdown"};
        double[] loss = {0, 0.1, 0.3};
        int[] delay = {0, 100, 400};
        sb.append("],\"config\":{\"isolationResponse\":\"").append(responses[r.nextInt(3)])
                .append("\",\"isolationDelayMs\":10000,\"messageLoss\":").append(loss[r.nextInt(3)])
                .append(",\"messageDelayMaxMs\":").append(delay[r.nextInt(3)]).append("},\"seed\":").append(seed)
                .append(",\"events\":[");
        int t = 10;
        for (int k = 0; k < 6; k++) {
            String host = "H" + (1 + r.nextInt(5));
            String[] f = faults[r.nextInt(3)];
            sb.append(k > 0 ? "," : "").append("{\"at\":\"").append(t).append("s\",\"host\":\"").append(host)
                    .append("\",\"do\":\"").append(f[0]).append("\"},{\"at\":\"").append(t + 5 + r.nextInt(36))
                    .append("s\",\"host\":\"").append(host).append("\",\"do\":\"").append(f[1]).append("\"}");
            t += 20 + r.nextInt(31);
        }
        sb.append("],\"until\":\"").append(t + 120).append("s\"}");
        return sb.toString();
    }

    @Test
    void seededRandomFaultsKeepTheInvariantsAndEndWithEveryVmRunning() {
        for (long seed = 0; seed < 16; seed++) {
            ObjectNode out = new Simulation(new ScenarioParser().parse(scenario(seed))).run();
            assertThat(out.get("violations")).as("violations with seed " + seed).isEmpty();
            for (JsonNode vm : out.get("vms")) {
                assertThat(vm.get("state").asText()).as(vm.get("name").asText() + " with seed " + seed)
                        .isEqualTo("RUNNING");
            }
        }
    }

    @Test
    @Tag("audit")
    void mixedFaultSchedulesKeepTheInvariantsAndEndWithEveryVmRunning() {
        int count = Integer.getInteger("vmha.sim.schedules", CI_SCHEDULES);
        long from = Long.getLong("vmha.sim.from", 0L);
        assertThat(count).as("-Dvmha.sim.schedules").isPositive();
        RandomSchedules.Summary summary = RandomSchedules.runAll(from, count);
        System.out.println("ha-sim randomized run: " + summary.line());
        StringBuilder report = new StringBuilder();
        List<String> problems = new ArrayList<>();
        for (RandomSchedules.Outcome o : summary.failures()) {
            problems.add(o.problem());
            if (problems.size() <= 3) {
                report.append("\nseed ").append(o.seed()).append(" scenario: ").append(o.scenario());
            }
        }
        if (!problems.isEmpty()) {
            report.append("\nany seed's scenario: java -cp bundles/ha-sim/target/ha-sim-0.1.0-SNAPSHOT-all.jar "
                    + "org.vmha.sim.run.RandomSchedules --scenario SEED > s.json; bin/ha-sim s.json (docs/ha-sim.md)");
            System.out.println(String.join("\n", problems) + report);
        }
        assertThat(problems).as(summary.line() + report).isEmpty();
    }

    @Test
    void mixedSchedulesAreReproducibleAndInjectEveryKindOfFault() {
        assertThat(RandomSchedules.scenario(7)).isEqualTo(RandomSchedules.scenario(7))
                .isNotEqualTo(RandomSchedules.scenario(8));
        RandomSchedules.Outcome a = RandomSchedules.run(3);
        assertThat(HaSimCommandOutput.of(a.scenario())).isEqualTo(HaSimCommandOutput.of(a.scenario()));
        RandomSchedules.Summary s = RandomSchedules.runAll(0, 40);
        assertThat(s.line()).startsWith("schedules=40 ");
        for (String kind : List.of("power-off", "network-off", "storage-off", "storage-hang", "agent-pause",
                "hypervisor-fail", "corrupt-checkpoint", "management-off", "broker-off", "migrate", "duplication",
                "guest-shutdown-delay")) {
            assertThat(s.line()).as(kind).containsPattern("[{ ]" + kind + "=[1-9]");
        }
        assertThat(s.line()).containsPattern("vmRestarts=[1-9]");
    }

    /** The output JSON of a scenario, as bin/ha-sim prints it. */
    private static final class HaSimCommandOutput {
        static String of(String scenario) {
            try {
                return HaSimCommand.toJson(new Simulation(new ScenarioParser().parse(scenario)).run(), false);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError(e);
            }
        }
    }
}
