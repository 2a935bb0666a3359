/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.FailoverTableCodec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link ManagementState} is responsible for what the management service keeps across its restarts
 * ({@link ManagementStateStore}): the highest table version it issued or heard, so that its first table after a start
 * goes out above it; the hosts operators added (with their capacities) and removed, relative to the inventory; the
 * hosts in maintenance mode (and since when); the operators' pinned alternates; and its copy of the table, whose
 * per-VM settings its first full table carries (the agents take a full table's settings).
 * <p>
 * Its JSON form (format 1; unknown fields are ignored):
 *
 * <pre>
 * {"format":1,"version":22,"hostsAdded":{"H5":{"cpuMhz":8000,"memoryMb":16384}},"hostsRemoved":["H3"],
 *  "maintenance":{"H2":1764680000000},"pins":{"lun-vm05":"H4"},"table":{"version":22,"entries":[...]}}
 * </pre>
 *
 * {@code table} is the {@link FailoverTableCodec} form.
 * <p>
 * <b>Threading:</b> immutable, thread-safe.
 *
 * @param version the highest table version issued or heard
 * @param hostsAdded the hosts operators added, with their capacities
 * @param hostsRemoved the hosts operators removed
 * @param maintenance the hosts in maintenance mode, with when each entered it (epoch millis)
 * @param pins the operators' pinned alternates, by lun
 * @param table the service's copy of the table
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record ManagementState(long version, SortedMap<String, ResourceVector> hostsAdded,
        SortedSet<String> hostsRemoved, SortedMap<String, Long> maintenance, SortedMap<String, String> pins,
        FailoverTable table) {

    /** The format written; a file of another format is refused. */
    public static final int FORMAT = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final FailoverTableCodec CODEC = new FailoverTableCodec(MAPPER);

    public ManagementState {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        hostsAdded = Collections.unmodifiableSortedMap(new TreeMap<>(hostsAdded));
        hostsRemoved = Collections.unmodifiableSortedSet(new TreeSet<>(hostsRemoved));
        maintenance = Collections.unmodifiableSortedMap(new TreeMap<>(maintenance));
        pins = Collections.unmodifiableSortedMap(new TreeMap<>(pins));
        Objects.requireNonNull(table, "table");
    }

    /**
     * The hosts of the cluster after a restart: the configured ones, less those removed, plus those added.
     *
     * @param configured the inventory's hosts with their capacities
     * @return the hosts with their capacities, in name order
     */
    public SortedMap<String, ResourceVector> hosts(Map<String, ResourceVector> configured) {
        SortedMap<String, ResourceVector> out = new TreeMap<>(configured);
        out.keySet().removeAll(hostsRemoved);
        out.putAll(hostsAdded);
        return out;
    }

    /**
     * The table to start from after a restart: the inventory's VMs (the inventory decides which VMs there are), each
     * as kept here, except where a host holds the VM's lease live at a newer generation than kept (a failover or a
     * power-on while the service was away): {@code RUNNING} there, with the settings kept here. The inventory's guesses
     * for VMs nobody holds ({@code STARTING}, {@code FAILING_OVER}, {@code POWERED_OFF}) never replace a kept entry:
     * the agents' replicas know better, and the service's first full table is applied by them. The version is the one
     * kept here.
     *
     * @param fromInventory the table built from the inventory and the leases
     * @return the table to start from
     */
    public FailoverTable restore(FailoverTable fromInventory) {
        Map<String, FailoverTableEntry> kept = new LinkedHashMap<>();
        for (FailoverTableEntry e : table.entries()) {
            kept.put(e.lun(), e);
        }
        List<FailoverTableEntry> out = new ArrayList<>();
        for (FailoverTableEntry inv : fromInventory.entries()) {
            FailoverTableEntry mine = kept.get(inv.lun());
            if (mine == null) {
                out.add(inv);
            } else if (inv.generation() > mine.generation() && inv.state() instanceof VmState.Running) {
                out.add(new FailoverTableEntry(inv.vm(), inv.lun(), inv.currentHost(), mine.alternateHost(),
                        mine.priority(), mine.reservation(), inv.state(), inv.generation(), mine.isolationResponse(),
                        0));
            } else {
                out.add(mine);
            }
        }
        return new FailoverTable(Math.max(version, fromInventory.version()), out);
    }

    /** @return the JSON form, one line */
    public String encode() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", version);
        ObjectNode added = root.putObject("hostsAdded");
        hostsAdded.forEach((h, c) -> {
            ObjectNode n = added.putObject(h);
            c.amounts().forEach(n::put);
        });
        var removed = root.putArray("hostsRemoved");
        hostsRemoved.forEach(removed::add);
        ObjectNode m = root.putObject("maintenance");
        maintenance.forEach(m::put);
        ObjectNode p = root.putObject("pins");
        pins.forEach(p::put);
        try {
            root.set("table", MAPPER.readTree(CODEC.encode(table)));
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the management state: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param json the JSON form
     * @return the state
     * @throws IllegalArgumentException naming the field that is wrong and how
     */
    public static ManagementState decode(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        long format = number(root.get("format"), "format");
        if (format != FORMAT) {
            throw new IllegalArgumentException("format: " + format + " is not the supported " + FORMAT);
        }
        long version = number(root.get("version"), "version");
        if (version < 0) {
            throw new IllegalArgumentException("version: must be >= 0, was " + version);
        }
        return new ManagementState(version, hostsAdded(root), hostsRemoved(root), maintenance(root), pins(root),
                table(root));
    }

    private static SortedMap<String, ResourceVector> hostsAdded(JsonNode root) {
        SortedMap<String, ResourceVector> added = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "hostsAdded").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> h = it.next();
            String path = "hostsAdded." + h.getKey();
            if (!h.getValue().isObject()) {
                throw new IllegalArgumentException(path + ": must be an object of amounts");
            }
            SortedMap<String, Long> amounts = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> a = h.getValue().fields(); a.hasNext();) {
                Map.Entry<String, JsonNode> r = a.next();
                amounts.put(r.getKey(), number(r.getValue(), path + "." + r.getKey()));
            }
            try {
                added.put(h.getKey(), new ResourceVector(amounts));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": " + e.getMessage());
            }
        }
        return added;
    }

    private static SortedSet<String> hostsRemoved(JsonNode root) {
        SortedSet<String> removed = new TreeSet<>();
        JsonNode r = root.get("hostsRemoved");
        if (r == null || !r.isArray()) {
            throw new IllegalArgumentException("hostsRemoved: must be an array of host names");
        }
        for (JsonNode n : r) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException("hostsRemoved: must be an array of host names");
            }
            removed.add(n.asText());
        }
        return removed;
    }

    private static SortedMap<String, Long> maintenance(JsonNode root) {
        SortedMap<String, Long> maintenance = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "maintenance").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> h = it.next();
            maintenance.put(h.getKey(), number(h.getValue(), "maintenance." + h.getKey()));
        }
        return maintenance;
    }

    private static SortedMap<String, String> pins(JsonNode root) {
        SortedMap<String, String> pins = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "pins").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> h = it.next();
            if (!h.getValue().isTextual()) {
                throw new IllegalArgumentException("pins." + h.getKey() + ": must be a host name");
            }
            pins.put(h.getKey(), h.getValue().asText());
        }
        return pins;
    }

    private static FailoverTable table(JsonNode root) {
        try {
            return CODEC.decode(MAPPER.writeValueAsString(object(root, "table")));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("table: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("table: " + e.getMessage());
        }
    }

    private static JsonNode object(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(field + ": must be an object");
        }
        return n;
    }

    private static long number(JsonNode n, String field) {
        if (n == null || !n.canConvertToExactIntegral() || !n.canConvertToLong()) {
            throw new IllegalArgumentException(field + ": must be a whole number, was "
                    + (n == null ? "missing" : n.toString()));
        }
        return n.asLong();
    }
}
