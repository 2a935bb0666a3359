/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.table.ShellTable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link PlanView} renders an ha-plan report (the JSON of {@code bin/ha-plan}) as Karaf shell tables:
 * the summary (with, for a live cluster, whether the configured tolerance is met and the policy's targets or
 * failover hosts), the slots per host, the requests and one row per failure plan.
 *
 * @author vmha - Initial contribution
 */
final class PlanView {

    private final ObjectNode report;

    PlanView(ObjectNode report) {
        this.report = report;
    }

    void print(PrintStream out, boolean format) {
        ShellTable summary = new ShellTable();
        summary.column("Admission");
        summary.column("Value").maxSize(100);
        summary.addRow().addContent(HaCommandSupport.cells("policy", report.path("policy").asText()));
        if (report.hasNonNull("tolerance")) {
            summary.addRow().addContent(HaCommandSupport.cells("tolerance", report.path("tolerance").asText()));
        }
        if (report.hasNonNull("reservedPercent")) {
            summary.addRow().addContent(HaCommandSupport.cells("reserved for failover (%)",
                    Readable.percents(plain(report.get("reservedPercent")))));
        }
        if (report.hasNonNull("failoverHosts")) {
            List<String> hostStates = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : fields(report.get("failoverHosts"))) {
                hostStates.add(e.getKey() + " " + e.getValue().asText());
            }
            summary.addRow().addContent(HaCommandSupport.cells("failover hosts", String.join(", ", hostStates)));
        }
        summary.addRow().addContent(HaCommandSupport.cells("slot size", Readable.amounts(plain(report.get("slotSize")))));
        summary.addRow().addContent(HaCommandSupport.cells("slots (total/used/usable/unreserved)", report.path("totalSlots").asText() + "/"
                + report.path("usedSlots").asText() + "/" + report.path("usableSlots").asText() + "/"
                + report.path("unreservedSlots").asText()));
        summary.addRow().addContent(HaCommandSupport.cells("failover capacity (hosts)", report.path("failoverCapacityHosts").asText()));
        summary.addRow().addContent(HaCommandSupport.cells("failover capacity (%)",
                Readable.percents(plain(report.get("failoverCapacityPercent")))));
        summary.print(out, format);

        ShellTable hosts = new ShellTable().emptyTableText("no connected host");
        hosts.column("Host");
        hosts.column("Slots").alignRight();
        for (Map.Entry<String, JsonNode> e : fields(report.get("slotsPerHost"))) {
            hosts.addRow().addContent(HaCommandSupport.cells(e.getKey(), e.getValue().asText()));
        }
        out.println();
        hosts.print(out, format);

        JsonNode requests = report.get("requests");
        if (requests != null && requests.size() > 0) {
            ShellTable table = new ShellTable();
            table.column("Request");
            table.column("Admitted");
            wrap(table.column("Reason"), 90, format);
            for (JsonNode r : requests) {
                table.addRow().addContent(HaCommandSupport.cells(request(r.get("request")), r.path("admitted").asBoolean() ? "yes" : "no",
                        r.path("reason").asText()));
            }
            out.println();
            table.print(out, format);
        }

        ShellTable plans = new ShellTable().emptyTableText("no failure to plan");
        plans.column("Failed hosts");
        wrap(plans.column("Restarts"), 70, format);
        wrap(plans.column("Not placed"), 70, format);
        for (JsonNode plan : iterable(report.get("plans"))) {
            List<String> failed = new ArrayList<>();
            plan.path("failed").forEach(h -> failed.add(h.asText()));
            List<String> placed = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : fields(plan.get("placements"))) {
                placed.add(e.getKey() + "→" + e.getValue().asText());
            }
            List<String> unplaced = new ArrayList<>();
            plan.path("unplaced").forEach(u -> unplaced.add(u.path("vm").asText() + ": " + u.path("reason").asText()));
            plans.addRow().addContent(HaCommandSupport.cells(String.join(",", failed), placed.isEmpty() ? "-" : String.join(" ", placed),
                    unplaced.isEmpty() ? "-" : String.join("; ", unplaced)));
        }
        out.println();
        plans.print(out, format);
    }

    /** Long cells wrap on a terminal; with --no-format every row stays one line, for scripts. */
    private static void wrap(org.apache.karaf.shell.support.table.Col column, int width, boolean format) {
        if (format) {
            column.maxSize(width).wrap();
        }
    }

    private static String request(JsonNode request) {
        if (request == null || !request.isObject()) {
            return "?";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : fields(request)) {
            parts.add(e.getKey() + " " + (e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        }
        return String.join(", ", parts);
    }

    /** @return an object's fields in order, scalars as their text, nested values as JSON trees (their JSON) */
    private static Map<String, Object> plain(JsonNode node) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(node)) {
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isNumber() ? v.numberValue() : v.isValueNode() ? v.asText() : v.toString());
        }
        return out;
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (node != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                out.add(it.next());
            }
        }
        return out;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node == null ? List.of() : node;
    }
}
