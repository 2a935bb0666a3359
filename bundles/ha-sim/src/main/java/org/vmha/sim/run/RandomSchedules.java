/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link RandomSchedules} is responsible for ha-sim's randomized run: seeded fault schedules that mix
 * every fault the simulator injects (host crashes, network and storage loss, storage hangs, agent pauses,
 * hypervisor failures, corrupt checkpoints, management and broker outages, migrations, message loss, delay
 * and duplication, slow guest shutdowns, each isolation response) on a small cluster, run one by one, and
 * a summary of what was injected and what broke. A schedule passes when no invariant was violated and
 * every VM runs at the end, after every fault was repaired.
 * <p>
 * The same seed gives the same scenario (the generator draws only from {@code new Random(seed)}), so a
 * failing schedule is reproduced with {@code --scenario SEED > s.json} and {@code bin/ha-sim s.json}.
 * <p>
 * <b>Threading:</b> single-threaded.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class RandomSchedules {

    /** Hosts per schedule. */
    public static final int HOSTS = 5;
    /** VMs per schedule. */
    public static final int VMS = 15;
    /** Fault slots per schedule. */
    public static final int FAULTS = 6;

    private static final String[] FAULT_KINDS = {"power-off", "network-off", "storage-off", "storage-hang",
        "agent-pause", "hypervisor-fail", "corrupt-checkpoint", "management-off", "broker-off", "migrate"};
    private static final String[] OPS = {"start", "power-off", "shutdown", "checkpoint"};
    private static final String[] PRIORITIES = {"low", "medium", "high"};
    private static final String[] RESPONSES = {"leave-powered-on", "power-off", "shutdown"};

    private RandomSchedules() {
    }

    /**
     * @param seed the schedule's seed
     * @return the scenario JSON (one line)
     */
    public static String scenario(long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("{\"hosts\":[");
        for (int h = 1; h <= HOSTS; h++) {
            sb.append(h > 1 ? "," : "").append("{\"name\":\"H").append(h)
                    .append("\",\"capacity\":{\"cpuMhz\":8000,\"memoryMb\":16384}}");
        }
        sb.append("],\"vms\":[");
        for (int v = 0; v < VMS; v++) {
            sb.append(v > 0 ? "," : "").append("{\"name\":\"").append(vm(v))
                    .append("\",\"reservation\":{\"cpuMhz\":1000,\"memoryMb\":2048},\"host\":\"H").append(v % HOSTS + 1)
                    .append("\",\"poweredOn\":true,\"priority\":\"").append(PRIORITIES[r.nextInt(3)]).append("\"}");
        }
        double[] loss = {0, 0.1, 0.3};
        int[] delay = {0, 100, 400};
        double[] dup = {0, 0.05, 0.2};
        int[] shutdown = {0, 3000};
        int[] timeout = {1000, 2000};
        sb.append("],\"config\":{\"isolationResponse\":\"").append(RESPONSES[r.nextInt(3)])
                .append("\",\"isolationDelayMs\":10000,\"messageLoss\":").append(loss[r.nextInt(3)])
                .append(",\"messageDelayMaxMs\":").append(delay[r.nextInt(3)])
                .append(",\"messageDuplication\":").append(dup[r.nextInt(3)])
                .append(",\"guestShutdownMs\":").append(shutdown[r.nextInt(2)])
                .append(",\"adapterTimeoutMs\":").append(timeout[r.nextInt(2)])
                .append("},\"seed\":").append(seed).append(",\"events\":[");
        int t = 10;
        List<String> events = new ArrayList<>();
        for (int k = 0; k < FAULTS; k++) {
            String host = "H" + (1 + r.nextInt(HOSTS));
            String kind = FAULT_KINDS[r.nextInt(FAULT_KINDS.length)];
            int repair = t + 5 + r.nextInt(36);
            switch (kind) {
                case "power-off", "network-off", "storage-off" -> {
                    String on = kind.replace("-off", "-on");
                    events.add(at(t) + ",\"host\":\"" + host + "\",\"do\":\"" + kind + "\"}");
                    events.add(at(repair) + ",\"host\":\"" + host + "\",\"do\":\"" + on + "\"}");
                }
                case "storage-hang", "agent-pause" -> events.add(at(t) + ",\"host\":\"" + host + "\",\"do\":\"" + kind
                        + "\",\"for\":\"" + (3 + r.nextInt(18)) + "s\"}");
                case "hypervisor-fail" -> events.add(at(t) + ",\"host\":\"" + host + "\",\"do\":\"hypervisor-fail\","
                        + "\"op\":\"" + OPS[r.nextInt(OPS.length)] + "\",\"count\":" + (1 + r.nextInt(2)) + "}");
                case "corrupt-checkpoint" -> events.add(at(t) + ",\"vm\":\"" + vm(r.nextInt(VMS))
                        + "\",\"do\":\"corrupt-checkpoint\"}");
                case "management-off" -> {
                    events.add(at(t) + ",\"do\":\"management-off\"}");
                    events.add(at(repair) + ",\"do\":\"management-on\"" + (r.nextBoolean() ? ",\"fresh\":true" : "")
                            + "}");
                }
                case "broker-off" -> {
                    events.add(at(t) + ",\"do\":\"broker-off\"}");
                    events.add(at(repair) + ",\"do\":\"broker-on\"}");
                }
                default -> events.add(at(t) + ",\"vm\":\"" + vm(r.nextInt(VMS)) + "\",\"do\":\"migrate\",\"to\":\""
                        + host + "\"}");
            }
            t += 20 + r.nextInt(31);
        }
        sb.append(String.join(",", events)).append("],\"until\":\"").append(t + 120).append("s\"}");
        return sb.toString();
    }

    private static String vm(int v) {
        return "VM" + v / 10 + v % 10;
    }

    private static String at(int seconds) {
        return "{\"at\":\"" + seconds + "s\"";
    }

    /**
     * What one schedule came to.
     *
     * @param seed its seed
     * @param scenario its scenario JSON
     * @param faults its fault events by {@code do}, plus {@code duplication} and {@code guest-shutdown-delay} for
     *        the settings in effect
     * @param restarts VM restarts ({@code org.vmha.vm.restarted} events)
     * @param violations the invariants violated, by name, with how often
     * @param notRunning the VMs that do not run at the end, with their state
     * @author vmha - Initial contribution
     */
    public record Outcome(long seed, String scenario, SortedMap<String, Integer> faults, int restarts,
            SortedMap<String, Integer> violations, List<String> notRunning) {

        /** @return true if no invariant was violated and every VM runs at the end */
        public boolean passed() {
            return violations.isEmpty() && notRunning.isEmpty();
        }

        /** @return one line: the seed and what went wrong */
        public String problem() {
            return "seed " + seed + ": violations " + violations + ", not running at the end " + notRunning;
        }
    }

    /**
     * @param seed the schedule's seed
     * @return what it came to
     */
    public static Outcome run(long seed) {
        String json = scenario(seed);
        Scenario s = new ScenarioParser().parse(json);
        ObjectNode out = new Simulation(s).run();
        SortedMap<String, Integer> faults = new TreeMap<>();
        for (Scenario.Event e : s.events()) {
            if (!e.action().endsWith("-on")) {
                faults.merge(e.action(), 1, Integer::sum);
            }
        }
        if (s.config().messageDuplication() > 0) {
            faults.merge("duplication", 1, Integer::sum);
        }
        if (s.config().guestShutdownMs() > 0) {
            faults.merge("guest-shutdown-delay", 1, Integer::sum);
        }
        int restarts = 0;
        List<String> notRunning = new ArrayList<>();
        for (JsonNode v : out.get("vms")) {
            restarts += v.get("restarts").asInt();
            if (!v.get("state").asText().equals("RUNNING")) {
                notRunning.add(v.get("name").asText() + " " + v.get("state").asText());
            }
        }
        SortedMap<String, Integer> violations = new TreeMap<>();
        for (JsonNode v : out.get("violations")) {
            violations.merge(v.get("invariant").asText(), 1, Integer::sum);
        }
        return new Outcome(seed, json, faults, restarts, violations, notRunning);
    }

    /**
     * The totals of several schedules.
     *
     * @author vmha - Initial contribution
     */
    public static final class Summary {
        private int schedules;
        private int failed;
        private int restarts;
        private final SortedMap<String, Integer> faults = new TreeMap<>();
        private final SortedMap<String, Integer> violations = new TreeMap<>();
        private final List<Outcome> failures = new ArrayList<>();

        /** @param o one schedule's outcome */
        public void add(Outcome o) {
            schedules++;
            restarts += o.restarts();
            o.faults().forEach((k, n) -> faults.merge(k, n, Integer::sum));
            o.violations().forEach((k, n) -> violations.merge(k, n, Integer::sum));
            if (!o.passed()) {
                failed++;
                failures.add(o);
            }
        }

        /** @return the schedules that failed, in the order run */
        public List<Outcome> failures() {
            return failures;
        }

        /** @return the summary line */
        public String line() {
            return "schedules=" + schedules + " failed=" + failed + " faults=" + faults + " vmRestarts=" + restarts
                    + " violations=" + violations;
        }
    }

    /**
     * @param from first seed
     * @param count how many schedules
     * @return their summary
     */
    public static Summary runAll(long from, int count) {
        Summary s = new Summary();
        for (long seed = from; seed < from + count; seed++) {
            s.add(run(seed));
        }
        return s;
    }

    /**
     * {@code RandomSchedules [--schedules N] [--from SEED] [--show K]} runs N schedules (default 1000) from seed
     * SEED (default 0), prints one line per failing schedule, the scenario JSON of the first K (default 3) and the
     * summary line last; exits 4 if any failed. {@code RandomSchedules --scenario SEED} prints one schedule's
     * scenario JSON (for {@code bin/ha-sim}).
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        long from = 0;
        int count = 1000;
        int show = 3;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                usage(a);
            }
            String v = args[++i];
            try {
                switch (a) {
                    case "--scenario" -> {
                        out.println(scenario(Long.parseLong(v)));
                        return;
                    }
                    case "--schedules" -> count = Integer.parseInt(v);
                    case "--from" -> from = Long.parseLong(v);
                    case "--show" -> show = Integer.parseInt(v);
                    default -> usage(a);
                }
            } catch (NumberFormatException e) {
                System.err.println("random-schedules: " + a + " needs an integer, was '" + v + "'");
                System.exit(HaSimCommand.EXIT_INVALID);
            }
        }
        Summary s = runAll(from, count);
        int shown = 0;
        for (Outcome o : s.failures()) {
            out.println(o.problem());
            if (shown++ < show) {
                out.println("  scenario: " + o.scenario());
            }
        }
        out.println(s.line());
        System.exit(s.failures().isEmpty() ? 0 : HaSimCommand.EXIT_VIOLATION);
    }

    private static void usage(String arg) {
        System.err.println("random-schedules: unexpected '" + arg + "'; usage: RandomSchedules [--schedules N] "
                + "[--from SEED] [--show K] | --scenario SEED");
        System.exit(HaSimCommand.EXIT_INVALID);
    }
}
