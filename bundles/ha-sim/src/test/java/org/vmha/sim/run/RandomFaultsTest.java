/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link RandomFaultsTest} is responsible for running seeded random fault sequences (host crashes,
 * network and storage loss, each isolation response, message loss and delay) through the simulator and
 * checking the invariants: no violation during the run, and every protected VM running at the end,
 * after all faults were repaired.
 *
 * @author vmha - Initial contribution
 */
class RandomFaultsTest {

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
}
