/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import java.util.Set;

import org.vmha.api.admission.AdmissionDecision;
import org.vmha.core.plan.ClusterIndex;

/**
 * The {@link DedicatedFailoverHostsPolicy} is responsible for the "dedicated failover hosts" policy:
 * the configured hosts (and any host flagged failover-only) are kept empty for restarts. User
 * power-ons and migrations onto a healthy failover host are refused (by the common checks); every
 * other operation that fits its target host is admitted. The planner sends restarts to failover hosts
 * first, then to any host.
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
