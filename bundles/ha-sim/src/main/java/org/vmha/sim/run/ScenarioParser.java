/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;
import org.vmha.core.inventory.Inventory;
import org.vmha.core.inventory.InventoryCodec;
import org.vmha.core.inventory.InventoryException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link ScenarioParser} is responsible for reading and validating a scenario JSON document (the
 * public format of docs/ha-sim.md). The cluster part ({@code hosts}, {@code vms}, {@code policy}) is
 * read by the ha-plan {@link InventoryCodec}; every error names its place.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ScenarioParser {

    /** {@code do} values for a host. */
    public static final Set<String> HOST_ACTIONS = Set.of("power-off", "power-on", "network-off", "network-on",
            "storage-off", "storage-on", "add", "remove", "maintenance-on", "maintenance-off", "storage-hang",
            "agent-pause", "hypervisor-fail");
    /** {@code do} values for a VM. */
    public static final Set<String> VM_ACTIONS = Set.of("power-on", "power-off", "migrate", "corrupt-checkpoint");
    /** {@code op} values of {@code hypervisor-fail}. */
    public static final Set<String> HYPERVISOR_OPS = Set.of("start", "power-off", "shutdown", "checkpoint");
    /** Default of {@code config.adapterTimeoutMs}: the product's adapter call timeout. */
    public static final long DEFAULT_ADAPTER_TIMEOUT_MS = 10_000;
    /** {@code do} values for the cluster (no host, no vm). */
    public static final Set<String> CLUSTER_ACTIONS = Set.of("management-off", "management-on", "broker-off",
            "broker-on");
    /** {@code do} values of later issues: exit code 3. */
    public static final Set<String> NOT_SUPPORTED_YET = Set.of("guest-hang", "guest-recover", "app-hang",
            "app-recover", "reset");

    private static final Set<String> ROOT = Set.of("hosts", "vms", "policy", "config", "seed", "until", "events");
    private static final Set<String> CONFIG = Set.of("heartbeatIntervalMs", "failureTimeoutMs", "isolationResponse",
            "isolationResponseOverrides", "isolationDelayMs", "checkpointIntervalMs", "leaseDurationMs", "bootDelayMs",
            "maxConcurrentRestarts", "messageLoss", "messageDelayMinMs", "messageDelayMaxMs", "management",
            "managementIntervalMs", "restartBoundMs", "adapterTimeoutMs", "messageDuplication", "guestShutdownMs");
    private static final Set<String> EVENT = Set.of("at", "host", "vm", "do", "capacity", "to", "for", "op", "count",
            "fresh");
    /** Host actions that last for a window given by {@code for}. */
    private static final Set<String> WINDOWED = Set.of("storage-hang", "agent-pause");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @param json the scenario text
     * @return the scenario
     * @throws ScenarioException naming the place of the first problem
     */
    public Scenario parse(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ScenarioException("$", "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), false);
        }
        if (root == null || !root.isObject()) {
            throw new ScenarioException("$", "must be a JSON object", false);
        }
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!ROOT.contains(f)) {
                throw new ScenarioException(f, "unknown field, expected one of " + new TreeSet<>(ROOT), false);
            }
        }
        ObjectNode cluster = mapper.createObjectNode();
        for (String f : List.of("hosts", "vms", "policy")) {
            if (root.has(f)) {
                cluster.set(f, root.get(f));
            }
        }
        Inventory inv;
        try {
            inv = new InventoryCodec(mapper).parse(cluster.toString());
        } catch (InventoryException e) {
            String m = e.getMessage();
            String prefix = e.field() + ": ";
            throw new ScenarioException(e.field(), m.startsWith(prefix) ? m.substring(prefix.length()) : m, false);
        }
        Set<String> vmNames = new TreeSet<>();
        for (Inventory.InventoryVm vm : inv.vms()) {
            vmNames.add(vm.name());
        }
        Set<String> hostNames = new TreeSet<>();
        inv.hosts().forEach(h -> hostNames.add(h.name()));
        Scenario.Config config = config(root.get("config"), vmNames);
        long seed = root.has("seed") ? integer(root.get("seed"), "seed", Long.MIN_VALUE) : 0;
        long until = root.has("until") ? duration(root.get("until"), "until") : 300_000;
        if (until < 1) {
            throw new ScenarioException("until", "must be > 0", false);
        }
        List<Scenario.Event> events = events(root.get("events"), hostNames, vmNames);
        checkAdapterTimeout(config, root.get("config"), events);
        return new Scenario(inv, config, seed, until, events);
    }

    private Scenario.Config config(JsonNode node, Set<String> vms) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new ScenarioException("config", "must be a JSON object", false);
        }
        JsonNode c = node == null || node.isNull() ? mapper.createObjectNode() : node;
        Iterator<String> it = c.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!CONFIG.contains(f)) {
                throw new ScenarioException("config." + f, "unknown setting, expected one of " + new TreeSet<>(CONFIG),
                        false);
            }
        }
        long hb = num(c, "heartbeatIntervalMs", 1000, 1);
        long ft = num(c, "failureTimeoutMs", hb * 5 / 2, hb + 1);
        IsolationResponse ir = c.has("isolationResponse") ? response(c.get("isolationResponse"),
                "config.isolationResponse") : IsolationResponse.LEAVE_POWERED_ON;
        Map<String, IsolationResponse> overrides = new TreeMap<>();
        JsonNode o = c.get("isolationResponseOverrides");
        if (o != null && !o.isNull()) {
            if (!o.isObject()) {
                throw new ScenarioException("config.isolationResponseOverrides", "must be an object of VM name to "
                        + "response", false);
            }
            Iterator<Map.Entry<String, JsonNode>> f = o.fields();
            while (f.hasNext()) {
                Map.Entry<String, JsonNode> e = f.next();
                String p = "config.isolationResponseOverrides." + e.getKey();
                if (!vms.contains(e.getKey())) {
                    throw new ScenarioException(p, "unknown VM '" + e.getKey() + "'", false);
                }
                overrides.put(e.getKey(), response(e.getValue(), p));
            }
        }
        long isoDelay = num(c, "isolationDelayMs", 30_000, 0);
        long ckpt = num(c, "checkpointIntervalMs", 5000, 0);
        long lease = num(c, "leaseDurationMs", Math.max(2 * hb, ft), 1);
        if (lease < 2 * hb) {
            throw new ScenarioException("config.leaseDurationMs", "must be >= 2 x heartbeatIntervalMs (" + 2 * hb
                    + "), was " + lease + ": a lease that does not outlast two heartbeat intervals expires between "
                    + "renewals, and its VM is fenced and restarted over and over (restart thrash)", false);
        }
        long boot = num(c, "bootDelayMs", 2000, 0);
        int conc = (int) num(c, "maxConcurrentRestarts", 32, 1);
        double loss = probability(c, "messageLoss");
        double duplication = probability(c, "messageDuplication");
        long adapterTimeout = num(c, "adapterTimeoutMs", DEFAULT_ADAPTER_TIMEOUT_MS, 1);
        long guestShutdown = num(c, "guestShutdownMs", 0, 0);
        long dmin = num(c, "messageDelayMinMs", 0, 0);
        long dmax = num(c, "messageDelayMaxMs", dmin, dmin);
        boolean mgmt = true;
        if (c.has("management")) {
            if (!c.get("management").isBoolean()) {
                throw new ScenarioException("config.management", "must be true or false, was " + c.get("management"),
                        false);
            }
            mgmt = c.get("management").booleanValue();
        }
        long mi = num(c, "managementIntervalMs", 5000, 1);
        long bound = num(c, "restartBoundMs", ft + lease + boot + 3 * hb + dmax, 1);
        return new Scenario.Config(hb, ft, ir, overrides, isoDelay, ckpt, lease, boot, conc, loss, dmin, dmax, mgmt, mi,
                bound, adapterTimeout, duplication, guestShutdown);
    }

    private static double probability(JsonNode c, String key) {
        if (!c.has(key)) {
            return 0;
        }
        JsonNode l = c.get(key);
        if (!l.isNumber() || l.doubleValue() < 0 || l.doubleValue() >= 1) {
            throw new ScenarioException("config." + key, "must be a number in [0, 1), was " + l, false);
        }
        return l.doubleValue();
    }

    /**
     * The adapter timeout must be shorter than the lease: a storage call that hangs for the whole timeout
     * must leave the agent time to fence itself before its leases expire. Checked where the timeout takes
     * effect: when the scenario sets it or has a {@code storage-hang}.
     */
    private static void checkAdapterTimeout(Scenario.Config cfg, JsonNode config, List<Scenario.Event> events) {
        boolean explicit = config != null && config.has("adapterTimeoutMs");
        Scenario.Event hang = null;
        for (Scenario.Event e : events) {
            if (e.action().equals("storage-hang") && (hang == null || e.index() < hang.index())) {
                hang = e;
            }
        }
        if ((explicit || hang != null) && cfg.adapterTimeoutMs() >= cfg.leaseDurationMs()) {
            throw new ScenarioException("config.adapterTimeoutMs", "must be < leaseDurationMs ("
                    + cfg.leaseDurationMs() + "), was " + cfg.adapterTimeoutMs() + (explicit ? "" : " (the default, "
                            + "which applies because events[" + hang.index() + "] is a storage-hang)")
                    + ": a storage call that hangs for the whole timeout outlives the lease, so the agent cannot fence "
                    + "itself before peers may take its VMs over; lower config.adapterTimeoutMs or raise "
                    + "config.leaseDurationMs", false);
        }
    }

    private List<Scenario.Event> events(JsonNode node, Set<String> hosts, Set<String> vms) {
        List<Scenario.Event> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new ScenarioException("events", "must be an array", false);
        }
        Set<String> known = new TreeSet<>(hosts);
        for (int i = 0; i < node.size(); i++) {
            String p = "events[" + i + "]";
            JsonNode e = node.get(i);
            if (!e.isObject()) {
                throw new ScenarioException(p, "must be a JSON object", false);
            }
            Iterator<String> it = e.fieldNames();
            while (it.hasNext()) {
                String f = it.next();
                if (!EVENT.contains(f)) {
                    throw new ScenarioException(p + "." + f, "unknown field, expected one of " + new TreeSet<>(EVENT),
                            false);
                }
            }
            if (!e.has("at")) {
                throw new ScenarioException(p + ".at", "is required", false);
            }
            long at = duration(e.get("at"), p + ".at");
            String action = text(e.get("do"), p + ".do");
            String host = e.has("host") ? text(e.get("host"), p + ".host") : null;
            String vm = e.has("vm") ? text(e.get("vm"), p + ".vm") : null;
            if (host != null && vm != null) {
                throw new ScenarioException(p, "names both a host and a vm; give one", false);
            }
            if (NOT_SUPPORTED_YET.contains(action)) {
                throw new ScenarioException(p + ".do", "'" + action + "' is not supported yet (a later release adds "
                        + "guest and application monitoring)", true);
            }
            ResourceVector cap = null;
            if (host != null) {
                if (!HOST_ACTIONS.contains(action)) {
                    throw new ScenarioException(p + ".do", "unknown host action '" + action + "', expected one of "
                            + new TreeSet<>(HOST_ACTIONS), false);
                }
                if (action.equals("add")) {
                    if (known.contains(host)) {
                        throw new ScenarioException(p + ".host", "host '" + host + "' already exists", false);
                    }
                    cap = capacity(e.get("capacity"), p + ".capacity");
                    known.add(host);
                } else if (!known.contains(host)) {
                    throw new ScenarioException(p + ".host", "unknown host '" + host + "'", false);
                }
            } else if (vm != null) {
                if (!VM_ACTIONS.contains(action)) {
                    throw new ScenarioException(p + ".do", "unknown VM action '" + action + "', expected one of "
                            + new TreeSet<>(VM_ACTIONS), false);
                }
                if (!vms.contains(vm)) {
                    throw new ScenarioException(p + ".vm", "unknown VM '" + vm + "'", false);
                }
            } else if (!CLUSTER_ACTIONS.contains(action)) {
                throw new ScenarioException(p + ".do", "unknown cluster action '" + action + "' (host and vm actions "
                        + "need a host or vm field), expected one of " + new TreeSet<>(CLUSTER_ACTIONS), false);
            }
            if (e.has("capacity") && !"add".equals(action)) {
                throw new ScenarioException(p + ".capacity", "only 'add' takes a capacity", false);
            }
            long forMillis = 0;
            if (host != null && WINDOWED.contains(action)) {
                if (!e.has("for")) {
                    throw new ScenarioException(p + ".for", "is required for '" + action + "': how long, like \"12s\"",
                            false);
                }
                forMillis = duration(e.get("for"), p + ".for");
                if (forMillis < 1) {
                    throw new ScenarioException(p + ".for", "must be > 0", false);
                }
            } else if (e.has("for")) {
                throw new ScenarioException(p + ".for", "only 'storage-hang' and 'agent-pause' take a duration", false);
            }
            String op = null;
            int count = 0;
            if (host != null && action.equals("hypervisor-fail")) {
                if (!e.has("op")) {
                    throw new ScenarioException(p + ".op", "is required for 'hypervisor-fail': one of "
                            + new TreeSet<>(HYPERVISOR_OPS), false);
                }
                op = text(e.get("op"), p + ".op");
                if (!HYPERVISOR_OPS.contains(op)) {
                    throw new ScenarioException(p + ".op", "unknown hypervisor operation '" + op + "', expected one of "
                            + new TreeSet<>(HYPERVISOR_OPS), false);
                }
                long n = e.has("count") ? integer(e.get("count"), p + ".count", 1) : 1;
                if (n > Integer.MAX_VALUE) {
                    throw new ScenarioException(p + ".count", "must be <= " + Integer.MAX_VALUE + ", was " + n, false);
                }
                count = (int) n;
            } else if (e.has("op") || e.has("count")) {
                throw new ScenarioException(p + (e.has("op") ? ".op" : ".count"), "only 'hypervisor-fail' takes "
                        + "an operation and a count", false);
            }
            boolean fresh = false;
            if (e.has("fresh")) {
                if (host != null || vm != null || !action.equals("management-on")) {
                    throw new ScenarioException(p + ".fresh", "only 'management-on' takes 'fresh'", false);
                }
                if (!e.get("fresh").isBoolean()) {
                    throw new ScenarioException(p + ".fresh", "must be true or false, was " + e.get("fresh"), false);
                }
                fresh = e.get("fresh").booleanValue();
            }
            String to = null;
            if ("migrate".equals(action) && vm != null) {
                if (!e.has("to")) {
                    throw new ScenarioException(p + ".to", "is required for 'migrate': the destination host", false);
                }
                to = text(e.get("to"), p + ".to");
                if (!known.contains(to)) {
                    throw new ScenarioException(p + ".to", "unknown host '" + to + "'", false);
                }
            } else if (e.has("to")) {
                throw new ScenarioException(p + ".to", "only 'migrate' takes a destination", false);
            }
            out.add(new Scenario.Event(i, at, host, vm, action, cap, to, forMillis, op, count, fresh));
        }
        out.sort(Comparator.comparingLong(Scenario.Event::atMillis).thenComparingInt(Scenario.Event::index));
        return out;
    }

    private static ResourceVector capacity(JsonNode node, String path) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new ScenarioException(path, "is required for 'add': an object like {\"cpuMhz\":8000,"
                    + "\"memoryMb\":16384}", false);
        }
        TreeMap<String, Long> m = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), integer(e.getValue(), path + "." + e.getKey(), 0));
        }
        return new ResourceVector(m);
    }

    private static IsolationResponse response(JsonNode node, String path) {
        String s = text(node, path);
        return IsolationResponse.fromWireName(s).orElseThrow(() -> new ScenarioException(path,
                "must be leave-powered-on, power-off or shutdown, was '" + s + "'", false));
    }

    private static long num(JsonNode c, String key, long dflt, long min) {
        return c.has(key) ? integer(c.get(key), "config." + key, min) : dflt;
    }

    private static long integer(JsonNode node, String path, long min) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new ScenarioException(path, "must be an integer, was " + node, false);
        }
        if (node.longValue() < min) {
            throw new ScenarioException(path, "must be >= " + min + ", was " + node.longValue(), false);
        }
        return node.longValue();
    }

    private static String text(JsonNode node, String path) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new ScenarioException(path, "must be a non-blank string, was " + node, false);
        }
        return node.asText();
    }

    /**
     * Reads a duration: a string like {@code 10s}, {@code 1500ms}, {@code 2m}, {@code 1h}, or an
     * integer of milliseconds.
     *
     * @param node the value
     * @param path its place
     * @return milliseconds
     */
    static long duration(JsonNode node, String path) {
        if (node != null && node.isIntegralNumber()) {
            return integer(node, path, 0);
        }
        if (node == null || !node.isTextual()) {
            throw new ScenarioException(path, "must be a duration like \"10s\", \"1500ms\", \"2m\" or \"1h\", was "
                    + node, false);
        }
        Matcher m = DURATION.matcher(node.asText().trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ScenarioException(path, "must be a duration like \"10s\", \"1500ms\", \"2m\" or \"1h\", was \""
                    + node.asText() + "\"", false);
        }
        double v = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        return Math.round(v * unit);
    }
}
