/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link FaultEventsTest} is responsible for the fault events and the new invariants at the scenario
 * level, asserting what the harness does (when a fault takes effect, what it blocks, what it records) and
 * not how well the agent copes: these hold before and after the agent's fixes.
 *
 * @author vmha - Initial contribution
 */
class FaultEventsTest {

    private static final String TWO_HOSTS = "{\"hosts\":[{\"name\":\"H1\",\"capacity\":{\"cpuMhz\":8000,\"memoryMb\":16384}},"
            + "{\"name\":\"H2\",\"capacity\":{\"cpuMhz\":8000,\"memoryMb\":16384}}],"
            + "\"vms\":[{\"name\":\"VM1\",\"reservation\":{\"cpuMhz\":1000,\"memoryMb\":2048},\"host\":\"H1\","
            + "\"poweredOn\":true},{\"name\":\"VM2\",\"reservation\":{\"cpuMhz\":1000,\"memoryMb\":2048},"
            + "\"host\":\"H2\",\"poweredOn\":true}]";

    private static String scenario(String config, String until, String events) {
        return TWO_HOSTS + ",\"config\":{\"heartbeatIntervalMs\":1000,\"failureTimeoutMs\":3000,"
                + "\"checkpointIntervalMs\":5000" + (config.isEmpty() ? "" : "," + config) + "},\"seed\":5,\"until\":\""
                + until + "\",\"events\":[" + events + "]}";
    }

    /** A run with every hypervisor start, stop and checkpoint traced as "at host verb lun detail". */
    private static final class Traced {
        final List<String> trace = new ArrayList<>();
        final ObjectNode out;

        Traced(String json) {
            Simulation sim = new Simulation(new ScenarioParser().parse(json));
            sim.onHypervisor((at, host, what, lun, detail) -> trace.add(at + " " + host + " " + what + " " + lun + " "
                    + detail));
            out = sim.run();
        }

        List<Long> checkpointTimes(String host, String lun) {
            List<Long> l = new ArrayList<>();
            for (String t : trace) {
                String[] f = t.split(" ");
                if (f[1].equals(host) && f[2].equals("checkpoint") && f[3].equals(lun)) {
                    l.add(Long.parseLong(f[0]));
                }
            }
            return l;
        }
    }

    private static List<JsonNode> events(JsonNode out, String type) {
        return ScenarioRegressionTest.events(out, type);
    }

    private static List<JsonNode> bySource(JsonNode out, String source, long from, long to) {
        List<JsonNode> l = new ArrayList<>();
        for (JsonNode e : out.get("events")) {
            long at = e.get("at").asLong();
            if (e.get("source").asText().equals(source) && at > from && at < to) {
                l.add(e);
            }
        }
        return l;
    }

    @Test
    void aStorageHangStallsTheAgentAndFailsTheHypervisorsCheckpointWritesWhileTheVmRuns() {
        Traced r = new Traced(scenario("\"leaseDurationMs\":15000,\"adapterTimeoutMs\":4000", "60s",
                "{\"at\":\"20s\",\"host\":\"H1\",\"do\":\"storage-hang\",\"for\":\"12s\"}"));
        assertThat(events(r.out, "sim.host.storage-hang").get(0).get("data").get("until").asLong()).isEqualTo(32_000);
        // checkpoints every 5 s from 7 s; those due at 22 s and 27 s fail, the VM runs on
        List<Long> ckpt = r.checkpointTimes("H1", "lun-VM1");
        assertThat(ckpt).contains(7000L, 12_000L, 17_000L).doesNotContain(22_000L, 27_000L);
        assertThat(ckpt).noneMatch(t -> t >= 20_000 && t < 32_000);
        assertThat(r.trace).noneMatch(t -> t.contains("H1 stop lun-VM1"));
        // the agent's first heartbeat tick in the hang blocks for two timeouts: its peer hears nothing from it
        long failed = events(r.out, "org.vmha.host.failed").stream().filter(e -> e.get("subject").asText().equals("H1"))
                .findFirst().orElseThrow().get("at").asLong();
        assertThat(failed).isBetween(22_000L, 25_000L);
        assertThat(r.out.get("violations")).isEmpty();
    }

    @Test
    void anAgentPauseStopsTheAgentAndDefersRequestsToItButNotItsVmsOrTheirCheckpoints() {
        // the lease (20 s) outlives the pause (6 s): nobody may take VM1 over, so what happens is the harness's
        Traced r = new Traced(scenario("\"leaseDurationMs\":20000", "60s",
                "{\"at\":\"20s\",\"host\":\"H1\",\"do\":\"agent-pause\",\"for\":\"6s\"},"
                        + "{\"at\":\"22s\",\"vm\":\"VM1\",\"do\":\"power-off\"}"));
        assertThat(events(r.out, "sim.host.agent-pause").get(0).get("data").get("until").asLong()).isEqualTo(26_000);
        assertThat(bySource(r.out, "/vmha/agent/H1", 20_000, 26_000)).as("a stopped JVM publishes nothing").isEmpty();
        assertThat(events(r.out, "org.vmha.host.failed")).extracting(e -> e.get("subject").asText()).contains("H1");
        JsonNode off = events(r.out, "sim.vm.power-off").get(0);
        assertThat(off.get("data").get("deferredUntil").asLong()).isEqualTo(26_000);
        assertThat(r.checkpointTimes("H1", "lun-VM1")).as("the guest is a process of its own").contains(22_000L);
        assertThat(ScenarioRegressionTest.vm(r.out, "VM1").get("state").asText()).isEqualTo("POWERED_OFF");
        assertThat(r.trace).filteredOn(t -> t.contains(" stop ")).containsExactly("26000 H1 stop lun-VM1 power-off");
        assertThat(r.out.get("violations")).isEmpty();
    }

    @Test
    void hypervisorFailFailsTheNextCallsOfItsOperationForEveryCaller() {
        ObjectNode out = new Simulation(new ScenarioParser().parse(scenario("", "40s",
                "{\"at\":\"10s\",\"host\":\"H1\",\"do\":\"hypervisor-fail\",\"op\":\"power-off\"},"
                        + "{\"at\":\"12s\",\"vm\":\"VM1\",\"do\":\"power-off\"},"
                        + "{\"at\":\"14s\",\"vm\":\"VM1\",\"do\":\"power-off\"},"
                        + "{\"at\":\"16s\",\"host\":\"H2\",\"do\":\"hypervisor-fail\",\"op\":\"start\",\"count\":2},"
                        + "{\"at\":\"18s\",\"vm\":\"VM1\",\"do\":\"power-on\"}"))).run();
        List<JsonNode> offs = events(out, "sim.vm.power-off");
        // the failed power-off is not an error of the request: the agent tries again until the VM is gone
        assertThat(offs.get(0).get("data").has("error")).isFalse();
        assertThat(offs.get(1).get("data").has("error")).isFalse();
        assertThat(events(out, "sim.host.hypervisor-failed")).extracting(e -> e.get("at").asLong() + " "
                + e.get("subject").asText() + " " + e.get("data").get("op").asText()).containsExactly("12000 H1 power-off");
        assertThat(events(out, "sim.host.hypervisor-failed").get(0).get("data").get("left").asInt()).isZero();
        // H2's start failures are for a VM that starts on H1: they stay armed
        assertThat(ScenarioRegressionTest.vm(out, "VM1").get("host").asText()).isEqualTo("H1");
        assertThat(out.get("violations")).isEmpty();
    }

    @Test
    void aFailingStartOnTheSurvivorIsRetriedAndCorruptCheckpointNeedsACheckpoint() {
        ObjectNode out = new Simulation(new ScenarioParser().parse(scenario("", "60s",
                "{\"at\":\"1s\",\"vm\":\"VM1\",\"do\":\"corrupt-checkpoint\"},"
                        + "{\"at\":\"10s\",\"host\":\"H2\",\"do\":\"hypervisor-fail\",\"op\":\"start\",\"count\":2},"
                        + "{\"at\":\"20s\",\"host\":\"H1\",\"do\":\"power-off\"}"))).run();
        assertThat(events(out, "sim.vm.corrupt-checkpoint").get(0).get("data").get("ignored").asText())
                .isEqualTo("no checkpoint yet");
        ObjectNode early = new Simulation(new ScenarioParser().parse(scenario("", "20s",
                "{\"at\":\"10s\",\"host\":\"H3\",\"do\":\"add\",\"capacity\":{\"cpuMhz\":8000,\"memoryMb\":8192}},"
                        + "{\"at\":\"5s\",\"host\":\"H3\",\"do\":\"agent-pause\",\"for\":\"3s\"}"))).run();
        assertThat(events(early, "sim.host.agent-pause").get(0).get("data").get("error").asText())
                .isEqualTo("host H3 is not in the cluster yet: its 'add' comes later");
        assertThat(events(out, "sim.host.hypervisor-failed")).extracting(e -> e.get("data").get("op").asText() + " "
                + e.get("data").get("left").asInt()).containsExactly("start 1", "start 0");
        JsonNode vm1 = ScenarioRegressionTest.vm(out, "VM1");
        assertThat(vm1.get("host").asText()).isEqualTo("H2");
        assertThat(vm1.get("restarts").asInt()).isEqualTo(1);
    }

    @Test
    void aFreshManagementServiceStartsFromTheInventorysTableAndAnUnfreshOneFromAnAgentsReplica() {
        String events = "{\"at\":\"5s\",\"vm\":\"VM1\",\"do\":\"migrate\",\"to\":\"H2\"},"
                + "{\"at\":\"15s\",\"vm\":\"VM1\",\"do\":\"migrate\",\"to\":\"H1\"},{\"at\":\"25s\",\"do\":\"management-off\"},"
                + "{\"at\":\"30s\",\"do\":\"management-on\"FRESH}";
        ObjectNode seeded = new Simulation(new ScenarioParser().parse(scenario("", "40s", events.replace("FRESH", ""))))
                .run();
        ObjectNode fresh = new Simulation(new ScenarioParser().parse(scenario("", "40s",
                events.replace("FRESH", ",\"fresh\":true")))).run();
        List<JsonNode> before = events(seeded, "org.vmha.table.updated").stream()
                .filter(e -> e.get("at").asLong() < 25_000).toList();
        long last = before.get(before.size() - 1).get("data").get("version").asLong();
        assertThat(last).isGreaterThan(2);
        assertThat(events(seeded, "org.vmha.table.updated").stream().filter(e -> e.get("at").asLong() == 30_000)
                .findFirst().orElseThrow().get("data").get("version").asLong()).isEqualTo(last + 1);
        assertThat(events(fresh, "org.vmha.table.updated").stream().filter(e -> e.get("at").asLong() == 30_000)
                .findFirst().orElseThrow().get("data").get("version").asLong()).as("version 1 + 1").isEqualTo(2);
    }

    @Test
    void messageDuplicationIsSeededAndDeliversMore() {
        String plain = scenario("\"messageLoss\":0.1", "30s", "{\"at\":\"10s\",\"host\":\"H2\",\"do\":\"power-off\"}");
        String dup = plain.replace("\"messageLoss\":0.1", "\"messageLoss\":0.1,\"messageDuplication\":0.3");
        ObjectNode a = new Simulation(new ScenarioParser().parse(dup)).run();
        ObjectNode b = new Simulation(new ScenarioParser().parse(dup)).run();
        ObjectNode p = new Simulation(new ScenarioParser().parse(plain)).run();
        assertThat(a).isEqualTo(b);
        assertThat(a.get("stats").get("messages").asLong()).isGreaterThan(p.get("stats").get("messages").asLong());
        assertThat(a.get("violations")).isEmpty();
        assertThat(ScenarioRegressionTest.vm(a, "VM2").get("host").asText()).isEqualTo("H1");
    }

    @Test
    void aVmStartedWhilePoweredOffOrOnAHostInMaintenanceIsAViolation() {
        String three = TWO_HOSTS.replace("{\"name\":\"H2\",", "{\"name\":\"H3\",\"capacity\":{\"cpuMhz\":8000,\"memoryMb\":"
                + "16384}},{\"name\":\"H2\",").replace("\"host\":\"H2\",\"poweredOn\":true}", "\"host\":\"H2\","
                        + "\"poweredOn\":true,\"ha\":false}");
        String json = three + ",\"config\":{\"checkpointIntervalMs\":5000},\"seed\":1,\"until\":\"40s\",\"events\":["
                + "{\"at\":\"10s\",\"vm\":\"VM1\",\"do\":\"power-off\"},{\"at\":\"12s\",\"host\":\"H3\",\"do\":"
                + "\"maintenance-on\"},{\"at\":\"14s\",\"host\":\"H2\",\"do\":\"power-off\"}]}";
        Simulation sim = new Simulation(new ScenarioParser().parse(json));
        sim.startBehindTheAgents(20_000, "H1", "VM1"); // powered off at 10 s
        sim.startBehindTheAgents(22_000, "H3", "VM2"); // not protected: down since 14 s, H3 in maintenance
        ObjectNode out = sim.run();
        assertThat(out.get("violations")).extracting(v -> v.get("at").asLong() + " " + v.get("invariant").asText() + " "
                + v.get("vm").asText()).containsExactly("20000 powered-off-vm-restarted VM1",
                        "22000 vm-started-in-maintenance VM2");
        Simulation on = new Simulation(new ScenarioParser().parse(json.replace("]}", ",{\"at\":\"15s\",\"vm\":\"VM1\","
                + "\"do\":\"power-on\"}]}")));
        on.startBehindTheAgents(30_000, "H1", "VM2");
        assertThat(on.run().get("violations")).as("VM1 powered on again; H1 is not in maintenance").isEmpty();
    }

    @Test
    void restartThrashIsAViolationUnlessAHostItRanOnFailed() {
        // a lease of one heartbeat interval would expire between renewals and make VMs thrash: the parser refuses it,
        // and so does the agent for a Scenario built by hand
        Scenario p = new ScenarioParser().parse(scenario("\"checkpointIntervalMs\":1000", "30s", "").replace(
                "\"checkpointIntervalMs\":5000,", ""));
        Scenario.Config c = p.config();
        Scenario.Config shortLease = new Scenario.Config(c.heartbeatIntervalMs(), c.failureTimeoutMs(),
                c.isolationResponse(), c.isolationResponseOverrides(), c.isolationDelayMs(), c.checkpointIntervalMs(),
                c.heartbeatIntervalMs(), c.bootDelayMs(), c.maxConcurrentRestarts(), c.messageLoss(),
                c.messageDelayMinMs(), c.messageDelayMaxMs(), c.management(), c.managementIntervalMs(),
                c.restartBoundMs(), c.adapterTimeoutMs(), c.messageDuplication(), c.guestShutdownMs());
        assertThatThrownBy(() -> new Simulation(new Scenario(p.inventory(), shortLease, p.seed(), p.untilMillis(),
                p.events())).run()).hasMessageContaining("must last at least two heartbeat intervals");

        // a guest that keeps dying on a healthy host is restarted again and again: thrash
        Simulation crashing = new Simulation(p);
        for (int k = 0; k <= Simulation.THRASH_RESTARTS; k++) {
            crashing.crashGuestBehindTheAgents(4_000 + 4_000L * k, "H1", "VM1");
        }
        ObjectNode thrash = crashing.run();
        List<JsonNode> v = new ArrayList<>();
        thrash.get("violations").forEach(v::add);
        assertThat(v).isNotEmpty().allSatisfy(x -> assertThat(x.get("invariant").asText()).isEqualTo("restart-thrash"));
        assertThat(v.get(0).get("detail").asText()).contains("restarted " + (Simulation.THRASH_RESTARTS + 1)
                + " times within " + Simulation.THRASH_WINDOW_MS + " ms");
        List<JsonNode> restarts = events(thrash, "org.vmha.vm.restarted").stream()
                .filter(e -> e.get("subject").asText().equals(v.get(0).get("vm").asText())).toList();
        assertThat(v.get(0).get("at").asLong()).isEqualTo(restarts.get(Simulation.THRASH_RESTARTS).get("at").asLong());

        // four restarts within a minute, each after a crash of the host it ran on: no thrash
        ObjectNode pingPong = new Simulation(new ScenarioParser().parse(scenario("", "80s",
                "{\"at\":\"5s\",\"host\":\"H1\",\"do\":\"power-off\"},{\"at\":\"12s\",\"host\":\"H1\",\"do\":\"power-on\"},"
                        + "{\"at\":\"18s\",\"host\":\"H2\",\"do\":\"power-off\"},{\"at\":\"25s\",\"host\":\"H2\",\"do\":"
                        + "\"power-on\"},{\"at\":\"31s\",\"host\":\"H1\",\"do\":\"power-off\"},{\"at\":\"38s\",\"host\":"
                        + "\"H1\",\"do\":\"power-on\"},{\"at\":\"44s\",\"host\":\"H2\",\"do\":\"power-off\"}"))).run();
        assertThat(events(pingPong, "org.vmha.vm.restarted").stream().filter(e -> e.get("subject").asText()
                .equals("VM1"))).hasSizeGreaterThan(Simulation.THRASH_RESTARTS);
        assertThat(pingPong.get("violations")).isEmpty();
    }

    @Test
    void aProtectedVmThatCannotStartIsDownPastTheBoundAlsoWhileTheBrokerIsDown() {
        for (String broker : List.of("", "{\"at\":\"10s\",\"do\":\"broker-off\"},")) {
            ObjectNode out = new Simulation(new ScenarioParser().parse(scenario("", "60s", broker
                    + "{\"at\":\"15s\",\"host\":\"H2\",\"do\":\"hypervisor-fail\",\"op\":\"start\",\"count\":100},"
                    + "{\"at\":\"20s\",\"host\":\"H1\",\"do\":\"power-off\"}"))).run();
            long bound = 3000 + 3000 + 2000 + 3 * 1000;
            assertThat(out.get("violations")).as(broker).extracting(v -> v.get("invariant").asText() + " "
                    + v.get("vm").asText()).containsExactly("protected-vm-down-past-bound VM1");
            assertThat(out.get("violations").get(0).get("at").asLong()).as(broker).isBetween(20_000 + bound,
                    20_000 + bound + 1000);
        }
    }
}
