/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.vmha.sim.run.ScenarioParser;
import org.vmha.sim.run.Simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link AgentFiguresMain} is responsible for measuring the agents' figures of issue 5 with the
 * production classes driven by the simulator (not run during the build):
 * <ol>
 * <li>detection latency: crash a host at many phases of the heartbeat cycle and report the time
 * from the crash to the first {@code host.failed} event, in heartbeat intervals (virtual time);</li>
 * <li>failure to all restarts issued for 1,000 VMs: wall-clock time the agents spend from the first
 * {@code host.failed} event to the last {@code vm.restarted} event (leases shorter than the failure
 * timeout, so nothing waits for an expiry);</li>
 * <li>ha-sim speed: wall-clock time to simulate one virtual hour of 100 hosts and 5,000 VMs.</li>
 * </ol>
 * Usage: {@code java -cp itests/benchmarks/target/benchmarks.jar org.vmha.benchmarks.AgentFiguresMain
 * [detection|restarts|speed|all]}
 *
 * @author vmha - Initial contribution
 */
public final class AgentFiguresMain {

    private AgentFiguresMain() {
    }

    /**
     * @param args which figure, default all
     */
    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "all";
        if (which.equals("all") || which.equals("detection")) {
            detection(3000, 0, 0);
            detection(3000, 5, 50);
            detection(2500, 0, 0);
        }
        if (which.equals("all") || which.equals("restarts")) {
            restarts();
        }
        if (which.equals("all") || which.equals("speed")) {
            speed(args.length > 1 ? Integer.parseInt(args[1]) : 100, args.length > 2 ? Integer.parseInt(args[2]) : 5000,
                    args.length > 3 ? args[3] : "1h");
        }
        if (which.equals("speed-scenario")) {
            // the same scenario as a file, to time the shipped bin/ha-sim on it
            System.out.println(speedScenario(args.length > 1 ? Integer.parseInt(args[1]) : 100,
                    args.length > 2 ? Integer.parseInt(args[2]) : 5000, args.length > 3 ? args[3] : "1h"));
        }
    }

    static String cluster(int hosts, int vms, long cpu, long mem, String config, String until, String events) {
        StringBuilder sb = new StringBuilder("{\"hosts\":[");
        for (int h = 1; h <= hosts; h++) {
            sb.append(h > 1 ? "," : "").append("{\"name\":\"H").append(String.format(Locale.ROOT, "%03d", h))
                    .append("\",\"capacity\":{\"cpuMhz\":").append(cpu).append(",\"memoryMb\":").append(mem)
                    .append("}}");
        }
        sb.append("],\"vms\":[");
        String[] prio = {"lowest", "low", "medium", "high", "highest"};
        for (int v = 0; v < vms; v++) {
            int h = v % hosts + 1;
            sb.append(v > 0 ? "," : "").append("{\"name\":\"VM").append(String.format(Locale.ROOT, "%05d", v))
                    .append("\",\"reservation\":{\"cpuMhz\":100,\"memoryMb\":256},\"host\":\"H")
                    .append(String.format(Locale.ROOT, "%03d", h)).append("\",\"poweredOn\":true,\"priority\":\"")
                    .append(prio[v % 5]).append("\"}");
        }
        sb.append("],\"config\":").append(config).append(",\"seed\":42,\"until\":\"").append(until)
                .append("\",\"events\":").append(events).append('}');
        return sb.toString();
    }

    static void detection(long timeout, long dmin, long dmax) {
        List<Double> ratios = new ArrayList<>();
        long interval = 1000;
        for (int k = 0; k < 100; k++) {
            long crashAt = 20_000 + k * 37L;
            String s = cluster(4, 8, 8000, 16384, "{\"heartbeatIntervalMs\":1000,\"failureTimeoutMs\":" + timeout
                    + ",\"messageDelayMinMs\":" + dmin + ",\"messageDelayMaxMs\":" + dmax + "}", "40s",
                    "[{\"at\":" + crashAt + ",\"host\":\"H002\",\"do\":\"power-off\"}]");
            ObjectNode out = new Simulation(new ScenarioParser().parse(s)).run();
            long first = -1;
            for (JsonNode e : out.get("events")) {
                if (e.get("type").asText().equals("org.vmha.host.failed")) {
                    first = e.get("at").asLong();
                    break;
                }
            }
            ratios.add((first - crashAt) / (double) interval);
        }
        Collections.sort(ratios);
        System.out.printf(Locale.ROOT, "detection latency (interval 1000 ms, timeout %d ms, delay %d..%d ms, 100 crash"
                + " phases): min %.2f, median %.2f, p95 %.2f, max %.2f intervals%n", timeout, dmin, dmax, ratios.get(0),
                ratios.get(50), ratios.get(95), ratios.get(99));
    }

    static void restarts() {
        for (int round = 0; round < 6; round++) {
            String s = cluster(11, 1000, 400_000, 1_000_000, "{\"heartbeatIntervalMs\":1000,\"failureTimeoutMs\":3000,"
                    + "\"leaseDurationMs\":2000,\"checkpointIntervalMs\":0,\"maxConcurrentRestarts\":64}", "30s", "[]");
            // 1,000 VMs; move all of them to H001 so that its crash orphans 1,000
            s = s.replaceAll("\"host\":\"H0(0[2-9]|1[01])\"", "\"host\":\"H001\"");
            s = s.replace("\"events\":[]", "\"events\":[{\"at\":\"10s\",\"host\":\"H001\",\"do\":\"power-off\"}]");
            ObjectNode[] out = new ObjectNode[1];
            long[] firstFailed = {-1};
            long[] lastRestart = {-1};
            int[] restarted = {0};
            Simulation sim = new Simulation(new ScenarioParser().parse(s));
            sim.onEvent((type, nanos) -> {
                if (type.equals("org.vmha.host.failed") && firstFailed[0] < 0) {
                    firstFailed[0] = nanos;
                } else if (type.equals("org.vmha.vm.restarted")) {
                    lastRestart[0] = nanos;
                    restarted[0]++;
                }
            });
            out[0] = sim.run();
            System.out.printf(Locale.ROOT, "round %d: %d restarts issued %.1f ms (wall clock) after the first "
                    + "host.failed; violations %d%n", round, restarted[0], (lastRestart[0] - firstFailed[0]) / 1e6,
                    out[0].get("violations").size());
        }
    }

    static String speedScenario(int hosts, int vms, String until) {
        return cluster(hosts, vms, 400_000, 1_000_000, "{\"heartbeatIntervalMs\":1000,\"failureTimeoutMs\""
                + ":3000,\"checkpointIntervalMs\":60000}", until,
                "[{\"at\":\"10m\",\"host\":\"H002\",\"do\":\"power-off\"},{\"at\":\"20m\",\"host\":\"H002\","
                        + "\"do\":\"power-on\"},{\"at\":\"30m\",\"host\":\"H003\",\"do\":\"network-off\"},"
                        + "{\"at\":\"40m\",\"host\":\"H003\",\"do\":\"network-on\"}]");
    }

    static void speed(int hosts, int vms, String until) {
        for (int round = 0; round < 3; round++) {
            String s = speedScenario(hosts, vms, until);
            long t0 = System.nanoTime();
            ObjectNode out = new Simulation(new ScenarioParser().parse(s)).run();
            long t1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "ha-sim %d hosts x %d VMs, %s virtual: %.2f s wall clock, %d tasks, %d "
                    + "messages, %d violations%n", hosts, vms, until, (t1 - t0) / 1e9, out.get("stats").get("tasks")
                            .asLong(), out.get("stats").get("messages").asLong(), out.get("violations").size());
        }
    }
}
