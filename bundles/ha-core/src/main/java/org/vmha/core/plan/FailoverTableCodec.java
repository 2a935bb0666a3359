/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link FailoverTableCodec} is responsible for the JSON form of the failover table, the body of
 * table updates between nodes. The field names are the record component names and are a public
 * interface (docs/admission.md):
 *
 * <pre>
 * {"version":3,"entries":[{"vm":"VM1","lun":"lun-1","currentHost":"H1","alternateHost":"H2",
 *   "priority":"medium","reservation":{"cpuMhz":500,"memoryMb":1024},
 *   "state":{"kind":"MIGRATING","source":"H1","dest":"H2"},"generation":4}]}
 * </pre>
 *
 * {@code currentHost}, {@code alternateHost} and {@code isolationResponse} ({@code leave-powered-on},
 * {@code power-off}, {@code shutdown}: the VM's own setting) are omitted when {@code null}; priorities are lower
 * case; {@code state.kind} is the upper-case {@link VmState#kind()} with {@code source}/{@code dest}
 * for {@code MIGRATING} and {@code reason} for {@code RESTART_PENDING} and {@code FAILED}. Decoding
 * names the first invalid field. Thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class FailoverTableCodec {

    private final ObjectMapper mapper;

    public FailoverTableCodec() {
        this(new ObjectMapper());
    }

    /**
     * @param mapper the mapper to read and write with
     */
    public FailoverTableCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param table the table
     * @return compact JSON, entries in the table's order
     */
    public String encode(FailoverTable table) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", table.version());
        var arr = root.putArray("entries");
        for (FailoverTableEntry e : table.entries()) {
            ObjectNode n = arr.addObject();
            n.put("vm", e.vm());
            n.put("lun", e.lun());
            if (e.currentHost() != null) {
                n.put("currentHost", e.currentHost());
            }
            if (e.alternateHost() != null) {
                n.put("alternateHost", e.alternateHost());
            }
            n.put("priority", e.priority().name().toLowerCase(Locale.ROOT));
            if (e.isolationResponse() != null) {
                n.put("isolationResponse", e.isolationResponse().wireName());
            }
            ObjectNode res = n.putObject("reservation");
            e.reservation().amounts().forEach(res::put);
            ObjectNode st = n.putObject("state");
            st.put("kind", e.state().kind());
            if (e.state() instanceof VmState.Migrating m) {
                st.put("source", m.source());
                st.put("dest", m.dest());
            } else if (e.state() instanceof VmState.RestartPending p) {
                st.put("reason", p.reason());
            } else if (e.state() instanceof VmState.Failed f) {
                st.put("reason", f.reason());
            }
            n.put("generation", e.generation());
            if (e.revision() != 0) {
                n.put("revision", e.revision());
            }
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("table is not serializable: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param json the JSON text
     * @return the table
     * @throws IllegalArgumentException naming the first invalid field, e.g. {@code entries[3].state.kind}
     */
    public FailoverTable decode(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("failover table: not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw bad("$", "must be a JSON object");
        }
        long version = integer(root.get("version"), "version");
        JsonNode entries = root.get("entries");
        if (entries == null || !entries.isArray()) {
            throw bad("entries", "must be an array");
        }
        List<FailoverTableEntry> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            out.add(entry(entries.get(i), "entries[" + i + "]"));
        }
        return new FailoverTable(version, out);
    }

    private static FailoverTableEntry entry(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw bad(path, "must be a JSON object");
        }
        String vm = text(n.get("vm"), path + ".vm", true);
        String lun = text(n.get("lun"), path + ".lun", true);
        String current = text(n.get("currentHost"), path + ".currentHost", false);
        String alternate = text(n.get("alternateHost"), path + ".alternateHost", false);
        String p = text(n.get("priority"), path + ".priority", true);
        RestartPriority prio;
        try {
            prio = RestartPriority.valueOf(p.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(path + ".priority", "unknown priority '" + p + "'");
        }
        TreeMap<String, Long> res = new TreeMap<>();
        JsonNode r = n.get("reservation");
        if (r != null && !r.isNull()) {
            if (!r.isObject()) {
                throw bad(path + ".reservation", "must be a JSON object");
            }
            Iterator<Map.Entry<String, JsonNode>> it = r.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                long v = integer(e.getValue(), path + ".reservation." + e.getKey());
                if (v < 0) {
                    throw bad(path + ".reservation." + e.getKey(), "must be >= 0, was " + v);
                }
                res.put(e.getKey(), v);
            }
        }
        VmState state = state(n.get("state"), path + ".state");
        long generation = integer(n.get("generation"), path + ".generation");
        long revision = n.has("revision") ? integer(n.get("revision"), path + ".revision") : 0;
        if (revision < 0) {
            throw bad(path + ".revision", "must be >= 0, was " + revision);
        }
        String iso = text(n.get("isolationResponse"), path + ".isolationResponse", false);
        org.vmha.api.model.IsolationResponse response = null;
        if (iso != null) {
            response = org.vmha.api.model.IsolationResponse.fromWireName(iso).orElseThrow(() -> bad(
                    path + ".isolationResponse", "unknown isolation response '" + iso
                            + "', expected leave-powered-on, power-off or shutdown"));
        }
        return new FailoverTableEntry(vm, lun, current, alternate, prio, new ResourceVector(res), state, generation,
                response, revision);
    }

    /**
     * Reads a VM state in its JSON form ({@code {"kind": …}} plus {@code source}/{@code dest} or
     * {@code reason}), the one decoder every JSON reader of states uses.
     *
     * @param n the JSON object
     * @param path where it is in the document, for the message
     * @return the state
     * @throws IllegalArgumentException naming the path and what is wrong
     */
    public static VmState state(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw bad(path, "must be a JSON object with a kind");
        }
        String kind = text(n.get("kind"), path + ".kind", true);
        switch (kind) {
        case "POWERED_OFF":
            return VmState.POWERED_OFF;
        case "STARTING":
            return VmState.STARTING;
        case "RUNNING":
            return VmState.RUNNING;
        case "FAILING_OVER":
            return VmState.FAILING_OVER;
        case "MIGRATING":
            return new VmState.Migrating(text(n.get("source"), path + ".source", true),
                    text(n.get("dest"), path + ".dest", true));
        case "RESTART_PENDING":
            return new VmState.RestartPending(text(n.get("reason"), path + ".reason", true));
        case "FAILED":
            return new VmState.Failed(text(n.get("reason"), path + ".reason", true));
        default:
            throw bad(path + ".kind", "unknown state '" + kind + "', expected POWERED_OFF, STARTING, RUNNING, "
                    + "MIGRATING, FAILING_OVER, RESTART_PENDING or FAILED");
        }
    }

    private static String text(JsonNode n, String path, boolean required) {
        if (n == null || n.isNull()) {
            if (required) {
                throw bad(path, "is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw bad(path, "must be a string, was " + n);
        }
        return n.asText();
    }

    private static long integer(JsonNode n, String path) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw bad(path, "must be an integer, was " + n);
        }
        return n.longValue();
    }

    private static IllegalArgumentException bad(String path, String problem) {
        return new IllegalArgumentException("failover table: " + path + ": " + problem);
    }
}
