/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.model.HostState;
import org.vmha.core.plan.ClusterIndex;

/**
 * The {@link DedicatedFailoverHostsPolicy} is responsible for the "dedicated failover hosts" policy:
 * the configured hosts (and any host flagged failover-only) are kept empty for restarts. User
 * power-ons and migrations onto a healthy failover host are refused (by the common checks); every
 * other operation that fits its target host is admitted. The planner sends restarts to failover hosts
 * first, then to any host. The configured tolerance is met while at least {@code hostFailures} failover
 * hosts are connected.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class DedicatedFailoverHostsPolicy extends AbstractAdmissionPolicy<Void> {

    /**
     * @param settings settings; type should be {@link PolicyType#DEDICATED}
     */
    public DedicatedFailoverHostsPolicy(PolicySettings settings) {
        super(settings);
    }

    @Override
    protected Set<String> extraFailoverHosts() {
        return settings.failoverHosts();
    }

    @Override
    protected Void prepare(ClusterIndex index, SlotCalculator.Slots slots) {
        return null;
    }

    @Override
    protected boolean met(Prepared<Void> p, int failoverCapacityHosts) {
        int connected = 0;
        for (String state : failoverHostStates(p).values()) {
            if (state.equals("connected")) {
                connected++;
            }
        }
        return connected >= hostFailures();
    }

    /** The configured failover hosts and those flagged failover-only, by name: their states, or unknown. */
    @Override
    protected Map<String, String> failoverHostStates(Prepared<Void> p) {
        ClusterIndex ix = p.index();
        Map<String, String> m = new TreeMap<>();
        for (String h : settings.failoverHosts()) {
            m.put(h, "unknown");
        }
        for (int h = 0; h < ix.hostCount(); h++) {
            if (ix.isFailoverOnly(h)) {
                HostState st = ix.host(h).state();
                m.put(ix.host(h).name(), st.name().toLowerCase(Locale.ROOT));
            }
        }
        return m;
    }

    @Override
    protected AdmissionDecision decide(Prepared<Void> p, Change c) {
        ClusterIndex ix = p.index();
        int failover = 0;
        for (int h = 0; h < ix.hostCount(); h++) {
            if (ix.isFailoverOnly(h)) {
                failover++;
            }
        }
        return AdmissionDecision.admit("VM " + c.after().vm() + " on non-failover host " + c.after().currentHost()
                + "; " + failover + " failover host(s) stay reserved for restarts");
    }
}
