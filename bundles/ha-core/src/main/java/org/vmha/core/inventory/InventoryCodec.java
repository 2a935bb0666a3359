/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.core.admission.PolicySettings;
import org.vmha.core.admission.PolicyType;
import org.vmha.core.plan.FailoverPlanner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link InventoryCodec} is responsible for reading and validating the ha-plan inventory JSON
 * (format in docs/ha-plan.md). The first problem found is reported as an {@link InventoryException}
 * naming the field's JSON path: unknown fields, missing or mistyped fields, duplicate names, unknown
 * hosts, negative amounts, resources no host has, unknown priorities or states.
 * <p>
 * Thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class InventoryCodec {

    private static final Set<String> ROOT = Set.of("hosts", "vms", "policy", "requests");
    private static final Set<String> HOST = Set.of("name", "capacity", "failoverOnly", "state");
    private static final Set<String> VM = Set.of("name", "lun", "reservation", "host", "poweredOn", "priority", "ha");
    private static final Set<String> POLICY = Set.of("type", "hostFailures", "minSlot", "slotCap", "reservedPercent",
            "failoverHosts", "maxConcurrentRestartsPerHost");

    private final ObjectMapper mapper;

    public InventoryCodec() {
        this(new ObjectMapper());
    }

    /**
     * @param mapper the Jackson mapper to parse with
     */
    public InventoryCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Parses and validates an inventory.
     *
     * @param json the JSON text
     * @return the inventory
     * @throws InventoryException naming the first invalid field ({@code $} for the document itself)
     */
    public Inventory parse(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InventoryException("$", "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InventoryException("$", "must be a JSON object");
        }
        onlyKnown(root, ROOT, "");
        JsonNode hostsNode = root.get("hosts");
        if (hostsNode == null || !hostsNode.isArray() || hostsNode.isEmpty()) {
            throw new InventoryException("hosts", "must be a non-empty array");
        }
        List<Host> hosts = new ArrayList<>();
        Set<String> hostNames = new HashSet<>();
        Set<String> resources = new TreeSet<>();
        for (int i = 0; i < hostsNode.size(); i++) {
            Host h = host(hostsNode.get(i), "hosts[" + i + "]");
            if (!hostNames.add(h.name())) {
                throw new InventoryException("hosts[" + i + "].name", "duplicate host name '" + h.name() + "'");
            }
            resources.addAll(h.capacity().amounts().keySet());
            hosts.add(h);
        }
        List<Inventory.InventoryVm> vms = new ArrayList<>();
        Map<String, Inventory.InventoryVm> byName = new TreeMap<>();
        Set<String> luns = new HashSet<>();
        JsonNode vmsNode = root.get("vms");
        if (vmsNode != null && !vmsNode.isNull()) {
            if (!vmsNode.isArray()) {
                throw new InventoryException("vms", "must be an array");
            }
            for (int i = 0; i < vmsNode.size(); i++) {
                Inventory.InventoryVm vm = vm(vmsNode.get(i), "vms[" + i + "]", hostNames, resources);
                if (byName.containsKey(vm.name())) {
                    throw new InventoryException("vms[" + i + "].name", "duplicate VM name '" + vm.name() + "'");
                }
                if (!luns.add(vm.lun())) {
                    throw new InventoryException("vms[" + i + "].lun", "duplicate lun '" + vm.lun() + "'");
                }
                byName.put(vm.name(), vm);
                vms.add(vm);
            }
        }
        PolicySettings policy = policy(root.get("policy"), hostNames, resources);
        List<Inventory.Request> requests = new ArrayList<>();
        JsonNode reqNode = root.get("requests");
        if (reqNode != null && !reqNode.isNull()) {
            if (!reqNode.isArray()) {
                throw new InventoryException("requests", "must be an array");
            }
            for (int i = 0; i < reqNode.size(); i++) {
                requests.add(request(reqNode.get(i), "requests[" + i + "]", byName, luns, hostNames, resources));
            }
        }
        return new Inventory(hosts, vms, policy, requests);
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String path) {
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new InventoryException(path.isEmpty() ? f : path + "." + f, "unknown field, expected one of "
                        + new TreeSet<>(known));
            }
        }
    }

    private static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InventoryException(path, "must be a JSON object");
        }
        return node;
    }

    private static String text(JsonNode node, String path, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw new InventoryException(path, "is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InventoryException(path, "must be a non-blank string");
        }
        return node.asText();
    }

    private static boolean bool(JsonNode node, String path, boolean dflt) {
        if (node == null || node.isNull()) {
            return dflt;
        }
        if (!node.isBoolean()) {
            throw new InventoryException(path, "must be true or false, was " + node);
        }
        return node.booleanValue();
    }

    private static long integer(JsonNode node, String path, long min) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InventoryException(path, "must be an integer, was " + node);
        }
        long v = node.longValue();
        if (v < min) {
            throw new InventoryException(path, "must be >= " + min + ", was " + v);
        }
        return v;
    }

    private static ResourceVector vector(JsonNode node, String path, Set<String> known, long min) {
        if (node == null || node.isNull()) {
            return ResourceVector.ZERO;
        }
        object(node, path);
        TreeMap<String, Long> m = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = path + "." + e.getKey();
            if (known != null && !known.contains(e.getKey())) {
                throw new InventoryException(p, "unknown resource '" + e.getKey() + "' (no host has it; hosts offer "
                        + known + ")");
            }
            m.put(e.getKey(), integer(e.getValue(), p, min));
        }
        return new ResourceVector(m);
    }

    private static Host host(JsonNode node, String path) {
        object(node, path);
        onlyKnown(node, HOST, path);
        String name = text(node.get("name"), path + ".name", true);
        JsonNode capNode = node.get("capacity");
        if (capNode == null) {
            throw new InventoryException(path + ".capacity", "is required");
        }
        ResourceVector cap = vector(capNode, path + ".capacity", null, 0);
        for (String r : List.of(ResourceVector.CPU_MHZ, ResourceVector.MEMORY_MB)) {
            if (!cap.amounts().containsKey(r)) {
                throw new InventoryException(path + ".capacity." + r, "is required");
            }
        }
        HostState state = HostState.CONNECTED;
        String s = text(node.get("state"), path + ".state", false);
        if (s != null) {
            try {
                state = HostState.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InventoryException(path + ".state", "unknown state '" + s
                        + "', expected connected, maintenance, failed or removed");
            }
        }
        return new Host(name, cap, state, bool(node.get("failoverOnly"), path + ".failoverOnly", false));
    }

    private static Inventory.InventoryVm vm(JsonNode node, String path, Set<String> hosts, Set<String> resources) {
        object(node, path);
        onlyKnown(node, VM, path);
        String name = text(node.get("name"), path + ".name", true);
        String lun = text(node.get("lun"), path + ".lun", false);
        ResourceVector res = vector(node.get("reservation"), path + ".reservation", resources, 0);
        String host = text(node.get("host"), path + ".host", false);
        if (host != null && !hosts.contains(host)) {
            throw new InventoryException(path + ".host", "unknown host '" + host + "'");
        }
        boolean on = bool(node.get("poweredOn"), path + ".poweredOn", false);
        if (on && host == null) {
            throw new InventoryException(path + ".host", "is required when poweredOn is true");
        }
        RestartPriority prio = RestartPriority.DEFAULT;
        String p = text(node.get("priority"), path + ".priority", false);
        if (p != null) {
            try {
                prio = RestartPriority.valueOf(p.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InventoryException(path + ".priority", "unknown priority '" + p
                        + "', expected disabled, lowest, low, medium, high or highest");
            }
        }
        return new Inventory.InventoryVm(name, lun == null ? name : lun, res, host, on, prio,
                bool(node.get("ha"), path + ".ha", true));
    }

    private static PolicySettings policy(JsonNode node, Set<String> hosts, Set<String> resources) {
        if (node == null || node.isNull()) {
            return PolicySettings.defaults(PolicyType.SLOT);
        }
        object(node, "policy");
        onlyKnown(node, POLICY, "policy");
        PolicyType type = PolicyType.SLOT;
        String t = text(node.get("type"), "policy.type", false);
        if (t != null) {
            try {
                type = PolicyType.parse(t);
            } catch (IllegalArgumentException e) {
                throw new InventoryException("policy.type", e.getMessage());
            }
        }
        int n = node.has("hostFailures") ? (int) Math.min(Integer.MAX_VALUE,
                integer(node.get("hostFailures"), "policy.hostFailures", 1)) : PolicySettings.DEFAULT_HOST_FAILURES;
        ResourceVector minSlot = node.has("minSlot") ? vector(node.get("minSlot"), "policy.minSlot", resources, 0)
                : null;
        ResourceVector slotCap = node.has("slotCap") ? vector(node.get("slotCap"), "policy.slotCap", resources, 1)
                : null;
        ResourceVector pct = null;
        if (node.has("reservedPercent")) {
            pct = vector(node.get("reservedPercent"), "policy.reservedPercent", resources, 0);
            for (Map.Entry<String, Long> e : pct.amounts().entrySet()) {
                if (e.getValue() > 100) {
                    throw new InventoryException("policy.reservedPercent." + e.getKey(), "must be <= 100, was "
                            + e.getValue());
                }
            }
        }
        TreeSet<String> failover = new TreeSet<>();
        JsonNode fo = node.get("failoverHosts");
        if (fo != null && !fo.isNull()) {
            if (!fo.isArray()) {
                throw new InventoryException("policy.failoverHosts", "must be an array of host names");
            }
            for (int i = 0; i < fo.size(); i++) {
                String h = text(fo.get(i), "policy.failoverHosts[" + i + "]", true);
                if (!hosts.contains(h)) {
                    throw new InventoryException("policy.failoverHosts[" + i + "]", "unknown host '" + h + "'");
                }
                failover.add(h);
            }
        }
        int conc = node.has("maxConcurrentRestartsPerHost") ? (int) Math.min(Integer.MAX_VALUE, integer(
                node.get("maxConcurrentRestartsPerHost"), "policy.maxConcurrentRestartsPerHost", 1))
                : FailoverPlanner.DEFAULT_MAX_CONCURRENT_RESTARTS;
        return new PolicySettings(type, n, minSlot, slotCap, pct, failover, conc);
    }

    private static Inventory.Request request(JsonNode node, String path, Map<String, Inventory.InventoryVm> vms,
            Set<String> luns, Set<String> hosts, Set<String> resources) {
        object(node, path);
        if (node.has("powerOn")) {
            onlyKnown(node, Set.of("powerOn", "host"), path);
            String vm = text(node.get("powerOn"), path + ".powerOn", true);
            if (!vms.containsKey(vm)) {
                throw new InventoryException(path + ".powerOn", "unknown VM '" + vm + "'");
            }
            String host = text(node.get("host"), path + ".host", false);
            if (host != null && !hosts.contains(host)) {
                throw new InventoryException(path + ".host", "unknown host '" + host + "'");
            }
            return new Inventory.Request(new AdmissionRequest.PowerOn(vm, host), node);
        }
        if (node.has("migrateIn")) {
            onlyKnown(node, Set.of("migrateIn"), path);
            Inventory.InventoryVm vm = vm(node.get("migrateIn"), path + ".migrateIn", hosts, resources);
            if (vm.host() == null) {
                throw new InventoryException(path + ".migrateIn.host", "is required (the target host)");
            }
            if (vms.containsKey(vm.name())) {
                throw new InventoryException(path + ".migrateIn.name", "duplicate VM name '" + vm.name() + "'");
            }
            if (luns.contains(vm.lun())) {
                throw new InventoryException(path + ".migrateIn.lun", "duplicate lun '" + vm.lun() + "'");
            }
            Inventory.InventoryVm running = new Inventory.InventoryVm(vm.name(), vm.lun(), vm.reservation(), vm.host(),
                    true, vm.priority(), vm.ha());
            return new Inventory.Request(new AdmissionRequest.MigrateIn(running.toEntry()), node);
        }
        if (node.has("raiseReservation")) {
            onlyKnown(node, Set.of("raiseReservation"), path);
            JsonNode body = object(node.get("raiseReservation"), path + ".raiseReservation");
            onlyKnown(body, Set.of("vm", "reservation"), path + ".raiseReservation");
            String vm = text(body.get("vm"), path + ".raiseReservation.vm", true);
            if (!vms.containsKey(vm)) {
                throw new InventoryException(path + ".raiseReservation.vm", "unknown VM '" + vm + "'");
            }
            if (!body.has("reservation")) {
                throw new InventoryException(path + ".raiseReservation.reservation", "is required");
            }
            ResourceVector res = vector(body.get("reservation"), path + ".raiseReservation.reservation", resources, 0);
            return new Inventory.Request(new AdmissionRequest.ChangeReservation(vm, res), node);
        }
        throw new InventoryException(path, "must have one of powerOn, migrateIn, raiseReservation");
    }
}
