/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.HostState;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.ClusterIndex;

/**
 * The {@link AbstractAdmissionPolicy} is responsible for what every policy shares: compiling and
 * caching the snapshot (by identity), turning a request into a change of one table entry, the checks
 * every policy makes (known VM, not already on, healthy non-failover target host with room for the
 * reservation), and the slot figures of the report.
 * <p>
 * Thread-safe: the cache is one volatile reference to an immutable value.
 *
 * @param <S> the policy's own precomputed state for a snapshot
 * @author vmha - Initial contribution
 * @since 0.1
 */
public abstract class AbstractAdmissionPolicy<S> implements AdmissionPolicy {

    /** The settings. */
    protected final PolicySettings settings;

    private volatile Prepared<S> prepared;

    /**
     * @param settings validated settings
     */
    protected AbstractAdmissionPolicy(PolicySettings settings) {
        this.settings = settings;
    }

    /**
     * A compiled snapshot with the policy's state.
     *
     * @param snapshot the snapshot (compared by identity)
     * @param index its compiled index
     * @param slots its slot figures
     * @param state the policy's state
     * @param <S> state type
     * @author vmha - Initial contribution
     */
    protected record Prepared<S>(ClusterSnapshot snapshot, ClusterIndex index, SlotCalculator.Slots slots, S state) {
    }

    /**
     * A request turned into a change of one entry.
     *
     * @param vm VM index, or -1 for a VM new to the cluster
     * @param before the entry before, {@code null} for a new VM
     * @param after the entry after
     * @author vmha - Initial contribution
     */
    protected record Change(int vm, FailoverTableEntry before, FailoverTableEntry after) {
    }

    /**
     * The decision together with the cluster after the operation.
     *
     * @param decision the decision
     * @param after the snapshot with the operation applied when admitted, else the input snapshot
     * @author vmha - Initial contribution
     */
    public record Outcome(AdmissionDecision decision, ClusterSnapshot after) {
    }

    @Override
    public String type() {
        return settings.type().id();
    }

    @Override
    public int hostFailures() {
        return settings.hostFailures();
    }

    /** @return the settings */
    public PolicySettings settings() {
        return settings;
    }

    /**
     * @return host names the policy treats as failover-only besides the hosts flagged so
     */
    protected Set<String> extraFailoverHosts() {
        return Set.of();
    }

    /**
     * @param index the compiled snapshot
     * @param slots its slot figures
     * @return the policy's own state
     */
    protected abstract S prepare(ClusterIndex index, SlotCalculator.Slots slots);

    /**
     * Decides a change that passed the common checks.
     *
     * @param p the prepared snapshot
     * @param change the change
     * @return the decision
     */
    protected abstract AdmissionDecision decide(Prepared<S> p, Change change);

    /**
     * @param p the prepared snapshot
     * @return the policy's meaning of the current failover capacity in hosts
     */
    protected int failoverCapacityHosts(Prepared<S> p) {
        return p.slots().failoverCapacityHosts(p.slots().used());
    }

    /**
     * @param p the prepared snapshot
     * @param failoverCapacityHosts its {@link #failoverCapacityHosts}
     * @return whether the configured tolerance holds now; by default iff the cluster survives
     *         {@code hostFailures} host failures
     */
    protected boolean met(Prepared<S> p, int failoverCapacityHosts) {
        return failoverCapacityHosts >= hostFailures();
    }

    /** @return the policy's spare-capacity targets in percent by resource, for the report; none by default */
    protected Map<String, Integer> reservedPercentTargets() {
        return Map.of();
    }

    /**
     * @param p the prepared snapshot
     * @return the policy's failover hosts with their states, for the report; none by default
     */
    protected Map<String, String> failoverHostStates(Prepared<S> p) {
        return Map.of();
    }

    /**
     * @param snapshot the cluster
     * @return the compiled, cached form
     */
    protected final Prepared<S> prepared(ClusterSnapshot snapshot) {
        Prepared<S> p = prepared;
        if (p != null && p.snapshot() == snapshot) {
            return p;
        }
        ClusterIndex ix = ClusterIndex.of(snapshot, extraFailoverHosts());
        SlotCalculator.Slots slots = SlotCalculator.compute(ix, settings);
        p = new Prepared<>(snapshot, ix, slots, prepare(ix, slots));
        prepared = p;
        return p;
    }

    @Override
    public AdmissionDecision admit(ClusterSnapshot snapshot, AdmissionRequest request) {
        return evaluate(snapshot, request, false).decision();
    }

    /**
     * Decides and, when admitted, applies the request.
     *
     * @param snapshot the cluster
     * @param request the request
     * @return the decision and the resulting cluster
     */
    public Outcome evaluate(ClusterSnapshot snapshot, AdmissionRequest request) {
        return evaluate(snapshot, request, true);
    }

    private Outcome evaluate(ClusterSnapshot snapshot, AdmissionRequest request, boolean apply) {
        Prepared<S> p = prepared(snapshot);
        ClusterIndex ix = p.index();
        Object resolved = resolve(ix, request);
        if (resolved instanceof AdmissionDecision d) {
            return new Outcome(d, snapshot);
        }
        Change c = (Change) resolved;
        AdmissionDecision d;
        if (!c.after().state().consumesCapacity()) {
            d = AdmissionDecision.admit("VM " + c.after().vm() + " is powered off; its reservation is checked at power-on");
        } else if (c.before() != null && c.before().state().consumesCapacity()
                && c.after().reservation().fitsIn(c.before().reservation())) {
            d = AdmissionDecision.admit("reservation of VM " + c.after().vm() + " is not raised");
        } else {
            d = decide(p, c);
        }
        if (!d.admitted() || !apply) {
            return new Outcome(d, snapshot);
        }
        ClusterIndex next = ix.withEntry(c.vm(), c.after());
        return new Outcome(d, new ClusterSnapshot(snapshot.hosts(), next.table()));
    }

    /** @return a {@link Change} or a refusing {@link AdmissionDecision} */
    private Object resolve(ClusterIndex ix, AdmissionRequest request) {
        if (request instanceof AdmissionRequest.PowerOn on) {
            int v = ix.vmIndex(on.vm());
            if (v < 0) {
                return AdmissionDecision.refuse("unknown VM '" + on.vm() + "'");
            }
            FailoverTableEntry e = ix.entry(v);
            if (e.state().consumesCapacity()) {
                return AdmissionDecision.refuse("VM " + e.vm() + " is already powered on (" + e.state().kind()
                        + " on " + e.currentHost() + ")");
            }
            String host = on.host() != null ? on.host() : e.currentHost();
            if (host == null) {
                int h = chooseHost(ix, v);
                if (h < 0) {
                    return AdmissionDecision.refuse("no connected non-failover host has room for VM " + e.vm()
                            + " " + e.reservation());
                }
                host = ix.host(h).name();
            }
            FailoverTableEntry after = e.withPlacement(host, VmState.RUNNING);
            AdmissionDecision bad = checkTarget(ix, after, "power on");
            return bad != null ? bad : new Change(v, e, after);
        }
        if (request instanceof AdmissionRequest.MigrateIn in) {
            FailoverTableEntry e = in.entry();
            if (ix.hasLun(e.lun())) {
                return AdmissionDecision.refuse("a VM with lun " + e.lun() + " is already in the cluster");
            }
            FailoverTableEntry after = e.withPlacement(e.currentHost(), VmState.RUNNING);
            AdmissionDecision bad = checkTarget(ix, after, "migrate");
            return bad != null ? bad : new Change(-1, null, after);
        }
        AdmissionRequest.ChangeReservation ch = (AdmissionRequest.ChangeReservation) request;
        int v = ix.vmIndex(ch.vm());
        if (v < 0) {
            return AdmissionDecision.refuse("unknown VM '" + ch.vm() + "'");
        }
        FailoverTableEntry e = ix.entry(v);
        AdmissionDecision unknown = unknownResource(ix, ch.reservation(), e.vm());
        if (unknown != null) {
            return unknown;
        }
        FailoverTableEntry after = e.withReservation(ch.reservation());
        if (ix.isConsuming(v)) {
            int h = ix.currentHost(v);
            for (int r = 0; r < ix.resources().size(); r++) {
                long delta = after.reservation().get(ix.resources().get(r)) - ix.reservation(v, r);
                if (delta > ix.free(h, r)) {
                    return AdmissionDecision.refuse("host " + ix.host(h).name() + " has only " + ix.free(h, r) + " "
                            + ix.resources().get(r) + " free, raising VM " + e.vm() + " needs " + delta + " more");
                }
            }
        }
        return new Change(v, e, after);
    }

    private static AdmissionDecision unknownResource(ClusterIndex ix, org.vmha.api.model.ResourceVector res, String vm) {
        for (Map.Entry<String, Long> r : res.amounts().entrySet()) {
            if (r.getValue() != 0 && ix.resourceIndex(r.getKey()) < 0) {
                return AdmissionDecision.refuse("VM " + vm + " reserves resource '" + r.getKey()
                        + "' that no host offers");
            }
        }
        return null;
    }

    private static AdmissionDecision checkTarget(ClusterIndex ix, FailoverTableEntry after, String op) {
        int h = ix.hostIndex(after.currentHost());
        if (h < 0) {
            return AdmissionDecision.refuse("unknown host '" + after.currentHost() + "'");
        }
        if (ix.host(h).state() != HostState.CONNECTED) {
            return AdmissionDecision.refuse("cannot " + op + " VM " + after.vm() + " on host " + ix.host(h).name()
                    + ": host is " + ix.host(h).state().name().toLowerCase(Locale.ROOT));
        }
        if (ix.isFailoverOnly(h)) {
            return AdmissionDecision.refuse("cannot " + op + " VM " + after.vm() + " on host " + ix.host(h).name()
                    + ": it is a dedicated failover host");
        }
        AdmissionDecision unknown = unknownResource(ix, after.reservation(), after.vm());
        if (unknown != null) {
            return unknown;
        }
        for (int r = 0; r < ix.resources().size(); r++) {
            long need = after.reservation().get(ix.resources().get(r));
            if (need > ix.free(h, r)) {
                return AdmissionDecision.refuse("host " + ix.host(h).name() + " has only " + ix.free(h, r) + " "
                        + ix.resources().get(r) + " free, VM " + after.vm() + " needs " + need);
            }
        }
        return null;
    }

    /** Most free capacity left after placement (spreads load); ties by host name. */
    private static int chooseHost(ClusterIndex ix, int v) {
        int best = -1;
        double bestScore = -1;
        for (int h = 0; h < ix.hostCount(); h++) {
            if (ix.host(h).state() != HostState.CONNECTED || ix.isFailoverOnly(h)) {
                continue;
            }
            double score = 0;
            boolean fits = true;
            for (int r = 0; r < ix.resources().size() && fits; r++) {
                long left = ix.free(h, r) - ix.reservation(v, r);
                fits = left >= 0;
                score += ix.capacity(h, r) > 0 ? (double) left / ix.capacity(h, r) : 0;
            }
            if (fits && score > bestScore) {
                best = h;
                bestScore = score;
            }
        }
        return best;
    }

    @Override
    public AdmissionReport report(ClusterSnapshot snapshot) {
        Prepared<S> p = prepared(snapshot);
        ClusterIndex ix = p.index();
        SlotCalculator.Slots s = p.slots();
        int capacityHosts = failoverCapacityHosts(p);
        return new AdmissionReport(type(), hostFailures(), SlotCalculator.slotSize(ix, s),
                SlotCalculator.slotsPerHost(ix, s), SlotCalculator.vmSlots(ix, s), s.total(), s.used(), s.usable(),
                s.unreserved(), capacityHosts, SlotCalculator.failoverCapacityPercent(ix), met(p, capacityHosts),
                reservedPercentTargets(), failoverHostStates(p));
    }
}
