/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.transport;

import org.vmha.api.transport.TableUpdate;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.ResourceVector;
import org.vmha.core.event.MalformedMessageException;
import org.vmha.core.plan.FailoverTableCodec;
import org.vmha.core.security.JsonLimits;
import org.vmha.core.security.SafeText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link ClusterMessageCodec} is responsible for the JSON form of what agents exchange on the bus:
 * <ul>
 * <li>a {@link HostHeartbeat} on {@code ha.heartbeat.host}:
 * {@code {"host":"H1","sequence":7,"timeMillis":…,"load":{"cpuMhz":…},"capacity":{…}}};</li>
 * <li>a {@link TableUpdate} on {@code ha.table}: {@code {"source":"H1","full":false,"version":3,
 * "entries":[…]}}, the entries in the {@link FailoverTableCodec} form; a full table may carry
 * {@code "maintenance":["H4"]}, the hosts in maintenance mode, and {@code "hosts":["H1",…]}, the cluster's hosts
 * as the management service knows them.</li>
 * </ul>
 * Before parsing, every text goes through {@link JsonLimits#HEARTBEAT} or {@link JsonLimits#TABLE}: size, depth,
 * string and number lengths. Error messages quote at most a short, escaped prefix of a bad value
 * ({@link SafeText#prefix}).
 * Field names are the record component names and are a public interface. Decoding rejects malformed
 * input with a {@link MalformedMessageException} naming the first invalid field.
 * <p>
 * <b>Threading:</b> thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ClusterMessageCodec {

    private final ObjectMapper mapper;
    private final FailoverTableCodec tables;

    public ClusterMessageCodec() {
        this(new ObjectMapper());
    }

    /**
     * @param mapper the mapper to read and write with
     */
    public ClusterMessageCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.tables = new FailoverTableCodec(mapper);
    }

    /**
     * @param heartbeat a heartbeat
     * @return compact JSON
     */
    public String encodeHeartbeat(HostHeartbeat heartbeat) {
        ObjectNode root = mapper.createObjectNode();
        root.put("host", heartbeat.host());
        root.put("sequence", heartbeat.sequence());
        root.put("timeMillis", heartbeat.timeMillis());
        heartbeat.load().amounts().forEach(root.putObject("load")::put);
        heartbeat.capacity().amounts().forEach(root.putObject("capacity")::put);
        if (heartbeat.leaving()) {
            // only in a leave message: an ordinary heartbeat's JSON is as it always was
            root.put("leaving", true);
        }
        return write(root);
    }

    /**
     * @param json the JSON text
     * @return the heartbeat
     * @throws MalformedMessageException naming the first invalid field, e.g. {@code heartbeat: sequence}
     */
    public HostHeartbeat decodeHeartbeat(String json) {
        JsonNode root = read(json, "heartbeat", JsonLimits.HEARTBEAT);
        String host = name(root.get("host"), "heartbeat", "host");
        long sequence = integer(root.get("sequence"), "heartbeat", "sequence");
        if (sequence < 0) {
            throw bad("heartbeat", "sequence", "must be >= 0, was " + sequence);
        }
        long time = integer(root.get("timeMillis"), "heartbeat", "timeMillis");
        ResourceVector load = resources(root.get("load"), "load");
        ResourceVector capacity = resources(root.get("capacity"), "capacity");
        JsonNode leaving = root.get("leaving");
        if (leaving != null && !leaving.isBoolean()) {
            throw bad("heartbeat", "leaving", "must be true or false, was " + leaving);
        }
        return new HostHeartbeat(host, sequence, time, load, capacity, leaving != null && leaving.booleanValue());
    }

    /**
     * @param update a table update
     * @return compact JSON
     */
    public String encodeTable(TableUpdate update) {
        String table = tables.encode(new FailoverTable(update.version(), update.entries()));
        try {
            ObjectNode body = (ObjectNode) mapper.readTree(table);
            ObjectNode root = mapper.createObjectNode();
            root.put("source", update.source());
            root.put("full", update.full());
            if (!update.maintenance().isEmpty()) {
                com.fasterxml.jackson.databind.node.ArrayNode m = root.putArray("maintenance");
                update.maintenance().forEach(m::add);
            }
            if (!update.hosts().isEmpty()) {
                com.fasterxml.jackson.databind.node.ArrayNode h = root.putArray("hosts");
                update.hosts().forEach(h::add);
            }
            root.setAll(body);
            return write(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("table update is not serializable: " + e.getMessage(), e);
        }
    }

    /**
     * @param json the JSON text
     * @return the table update
     * @throws MalformedMessageException naming the first invalid field, e.g.
     *         {@code table update: entries[3].state.kind}
     */
    public TableUpdate decodeTable(String json) {
        JsonNode root = read(json, "table update", JsonLimits.TABLE);
        String source = name(root.get("source"), "table update", "source");
        JsonNode full = root.get("full");
        if (full == null || !full.isBoolean()) {
            throw bad("table update", "full", "must be true or false, was " + show(full));
        }
        FailoverTable table;
        try {
            table = tables.decode(json);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("table update: " + SafeText.prefix(e.getMessage(), 200), e);
        }
        java.util.SortedSet<String> maintenance = names(root.get("maintenance"), "maintenance");
        java.util.SortedSet<String> hosts = names(root.get("hosts"), "hosts");
        return new TableUpdate(source, table.version(), full.booleanValue(), table.entries(), maintenance, hosts);
    }

    private static java.util.SortedSet<String> names(JsonNode m, String field) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        if (m != null) {
            if (!m.isArray()) {
                throw bad("table update", field, "must be an array of host names, was " + show(m));
            }
            for (int i = 0; i < m.size(); i++) {
                out.add(name(m.get(i), "table update", field + "[" + i + "]"));
            }
        }
        return out;
    }

    private String write(ObjectNode root) {
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("message is not serializable: " + e.getMessage(), e);
        }
    }

    private JsonNode read(String json, String what, JsonLimits limits) {
        if (json == null || json.isBlank()) {
            throw new MalformedMessageException(what + ": empty message");
        }
        limits.check(json, what);
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException(what + ": not valid JSON: " + SafeText.prefix(e.getOriginalMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException(what + ": must be a JSON object");
        }
        return root;
    }

    private static ResourceVector resources(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return ResourceVector.ZERO;
        }
        if (!n.isObject()) {
            throw bad("heartbeat", field, "must be a JSON object of integers, was " + show(n));
        }
        TreeMap<String, Long> m = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!org.vmha.api.storage.StorageNames.isValid(key)) {
                throw bad("heartbeat", field, "resource name " + SafeText.prefix(key, 40) + " must match "
                        + org.vmha.api.storage.StorageNames.NAME_REGEX);
            }
            long v = integer(e.getValue(), "heartbeat", field + "." + key);
            if (v < 0) {
                throw bad("heartbeat", field + "." + key, "must be >= 0, was " + v);
            }
            m.put(e.getKey(), v);
        }
        return new ResourceVector(m);
    }

    /** A host or source name: what the datastore accepts as a name (no path, no control character). */
    private static String name(JsonNode n, String what, String field) {
        if (n == null || !n.isTextual() || !org.vmha.api.storage.StorageNames.isValid(n.asText())) {
            throw bad(what, field, "must be a name matching " + org.vmha.api.storage.StorageNames.NAME_REGEX
                    + ", was " + show(n));
        }
        return n.asText();
    }

    private static long integer(JsonNode n, String what, String field) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw bad(what, field, "must be an integer, was " + show(n));
        }
        return n.longValue();
    }

    /** A bad value as an error message shows it: a short, escaped prefix. */
    private static String show(JsonNode n) {
        return n == null ? "missing" : SafeText.prefix(n.toString(), 60);
    }

    private static MalformedMessageException bad(String what, String field, String problem) {
        return new MalformedMessageException(what + ": " + field + ": " + problem);
    }
}
