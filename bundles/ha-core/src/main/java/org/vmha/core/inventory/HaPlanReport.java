/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.core.admission.AbstractAdmissionPolicy;
import org.vmha.core.admission.AdmissionPolicies;
import org.vmha.core.admission.PolicyType;
import org.vmha.core.admission.Tolerance;
import org.vmha.core.plan.ClusterIndex;
import org.vmha.core.plan.FailoverPlan;
import org.vmha.core.plan.FailoverPlanner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link HaPlanReport} is responsible for the ha-plan report (format in docs/ha-plan.md): apply
 * the inventory's requests in order under its policy, then report the capacity figures of the
 * resulting cluster and the failover plans for every single-host failure, or for every combination
 * of {@code hostFailures} connected hosts.
 * <p>
 * Deterministic: keys and plans come in a fixed order. Thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class HaPlanReport {

    private final ObjectMapper mapper;

    public HaPlanReport() {
        this(new ObjectMapper());
    }

    /**
     * @param mapper the mapper that builds and writes the JSON
     */
    public HaPlanReport(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param inventory the validated inventory
     * @param allCombinations plan every combination of {@code hostFailures} connected hosts instead of
     *        every single host
     * @return the report
     */
    public ObjectNode report(Inventory inventory, boolean allCombinations) {
        AbstractAdmissionPolicy<?> policy = AdmissionPolicies.create(inventory.policy());
        ClusterSnapshot snapshot = inventory.snapshot();
        ArrayNode requests = mapper.createArrayNode();
        for (Inventory.Request r : inventory.requests()) {
            AbstractAdmissionPolicy.Outcome o = policy.evaluate(snapshot, r.request());
            ObjectNode n = requests.addObject();
            n.set("request", r.echo());
            n.put("admitted", o.decision().admitted());
            n.put("reason", o.decision().reason());
            snapshot = o.after();
        }
        ObjectNode out = admissionJson(policy.report(snapshot));
        out.set("requests", requests);
        ArrayNode plans = out.putArray("plans");
        for (FailoverPlan p : plans(snapshot, inventory, allCombinations)) {
            planJson(plans.addObject(), p);
        }
        return out;
    }

    /**
     * The same report for a live cluster: the policy in force over the cluster as it is, and what would
     * happen if {@code fail} failed now (or, with no hosts given, each connected host alone).
     *
     * @param policy the admission policy in force, or null when none is configured
     * @param snapshot the live cluster
     * @param fail hosts to fail together; empty: each connected host on its own
     * @return the report, with an empty {@code requests} list; under a policy it also says whether the configured
     *         tolerance is met: {@code hostFailures}, {@code met}, {@code tolerated}, {@code tolerance} (the
     *         sentence of {@link Tolerance}), and the percentage policy's {@code reservedPercent} or the dedicated
     *         policy's {@code failoverHosts}
     * @throws IllegalArgumentException naming a host of {@code fail} that the cluster does not have
     */
    public ObjectNode liveReport(AdmissionPolicy policy, ClusterSnapshot snapshot, java.util.Collection<String> fail) {
        ObjectNode out = policy == null ? noPolicyJson() : liveAdmissionJson(policy.report(snapshot));
        out.putArray("requests");
        ArrayNode plans = out.putArray("plans");
        ClusterIndex ix = ClusterIndex.of(snapshot);
        FailoverPlanner planner = new FailoverPlanner();
        java.util.Set<String> known = new java.util.TreeSet<>();
        snapshot.hosts().forEach(h -> known.add(h.name()));
        for (String f : fail) {
            if (!known.contains(f)) {
                throw new IllegalArgumentException("unknown host '" + f + "'; known: " + String.join(", ", known));
            }
        }
        if (!fail.isEmpty()) {
            planJson(plans.addObject(), planner.plan(snapshot, fail));
        } else {
            for (Host h : snapshot.hosts()) {
                if (h.state() == HostState.CONNECTED) {
                    planJson(plans.addObject(), planner.plan(ix, List.of(h.name())));
                }
            }
        }
        return out;
    }

    private ObjectNode noPolicyJson() {
        ObjectNode out = mapper.createObjectNode();
        out.put("policy", "none");
        return out;
    }

    private void planJson(ObjectNode pn, FailoverPlan p) {
        ArrayNode failed = pn.putArray("failed");
        p.failed().forEach(failed::add);
        ObjectNode placements = pn.putObject("placements");
        for (Map.Entry<String, String> e : p.placementMap().entrySet()) {
            placements.put(e.getKey(), e.getValue());
        }
        ArrayNode unplaced = pn.putArray("unplaced");
        for (FailoverPlan.Unplaced u : p.unplaced()) {
            unplaced.addObject().put("vm", u.vm()).put("reason", u.reason());
        }
    }

    /** The report's figures preceded by whether the configured tolerance is met, and the policy's targets. */
    private ObjectNode liveAdmissionJson(AdmissionReport rep) {
        ObjectNode out = mapper.createObjectNode();
        out.put("policy", rep.policy());
        out.put("hostFailures", rep.hostFailures());
        out.put("met", rep.met());
        out.put("tolerated", rep.failoverCapacityHosts());
        out.put("tolerance", Tolerance.describe(rep));
        if (!rep.reservedPercent().isEmpty()) {
            out.set("reservedPercent", mapper.valueToTree(rep.reservedPercent()));
        }
        if (!rep.failoverHosts().isEmpty()) {
            out.set("failoverHosts", mapper.valueToTree(rep.failoverHosts()));
        }
        out.setAll(admissionJson(rep));
        return out;
    }

    private ObjectNode admissionJson(AdmissionReport rep) {
        ObjectNode out = mapper.createObjectNode();
        out.put("policy", rep.policy());
        out.set("slotSize", mapper.valueToTree(rep.slotSize().amounts()));
        out.set("slotsPerHost", mapper.valueToTree(rep.slotsPerHost()));
        out.set("vmSlots", mapper.valueToTree(rep.vmSlots()));
        out.put("totalSlots", rep.totalSlots());
        out.put("usedSlots", rep.usedSlots());
        out.put("usableSlots", rep.usableSlots());
        out.put("unreservedSlots", rep.unreservedSlots());
        out.put("failoverCapacityHosts", rep.failoverCapacityHosts());
        out.set("failoverCapacityPercent", mapper.valueToTree(rep.failoverCapacityPercent()));
        return out;
    }

    /**
     * @param report a report
     * @return it as indented JSON text
     */
    public String toJson(ObjectNode report) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report is not serializable: " + e.getMessage(), e);
        }
    }

    private static List<FailoverPlan> plans(ClusterSnapshot snapshot, Inventory inventory, boolean all) {
        ClusterIndex ix = ClusterIndex.of(snapshot, inventory.policy().type() == PolicyType.DEDICATED
                ? inventory.policy().failoverHosts() : java.util.Set.of());
        FailoverPlanner planner = new FailoverPlanner(inventory.policy().maxConcurrentRestartsPerHost(), true);
        List<Integer> candidates = new ArrayList<>();
        boolean[] mask = new boolean[ix.hostCount()];
        for (int h = 0; h < ix.hostCount(); h++) {
            if (ix.host(h).state() == HostState.CONNECTED) {
                candidates.add(h);
            }
            mask[h] = ix.host(h).state() == HostState.FAILED;
        }
        int k = all ? Math.min(inventory.policy().hostFailures(), candidates.size()) : Math.min(1, candidates.size());
        List<FailoverPlan> out = new ArrayList<>();
        combos(candidates, k, 0, mask, ix, planner, out);
        return out;
    }

    private static void combos(List<Integer> c, int k, int from, boolean[] mask, ClusterIndex ix,
            FailoverPlanner planner, List<FailoverPlan> out) {
        if (k == 0) {
            out.add(planner.plan(ix, mask.clone()));
            return;
        }
        for (int i = from; i <= c.size() - k; i++) {
            mask[c.get(i)] = true;
            combos(c, k - 1, i + 1, mask, ix, planner, out);
            mask[c.get(i)] = false;
        }
    }
}
