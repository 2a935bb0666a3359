/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.vmha.api.command.reply.Explanation;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.FailoverPlan;
import org.vmha.core.plan.FailoverPlanner;

/**
 * The {@link Explainer} is responsible for {@code why}: sentences that say why a VM is where it is, or
 * why it does not run: its state, its host's state, its protection and alternate (computed or pinned),
 * what the deterministic planner would do if its host failed now, and the last admission refusal.
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class Explainer {

    private final ClusterMembers members;
    private final TableCoordinator table;
    private final AdmissionDenials denials;
    private final LongSupplier clock;

    Explainer(ClusterMembers members, TableCoordinator table, AdmissionDenials denials, LongSupplier clock) {
        this.members = members;
        this.table = table;
        this.denials = denials;
        this.clock = clock;
    }

    /**
     * @param vm the VM's name or lun
     * @return its facts and the sentences
     * @throws CommandException NOT_FOUND
     */
    Explanation why(String vm) {
        FailoverTableEntry e = table.find(vm);
        List<Host> hosts = members.hosts(clock.getAsLong());
        List<String> reasons = new ArrayList<>();
        reasons.add(state(e));
        VmState st = e.state();
        if (e.currentHost() != null && st.consumesCapacity()) {
            for (Host h : hosts) {
                if (h.name().equals(e.currentHost()) && h.state() != HostState.CONNECTED) {
                    reasons.add("Its host " + h.name() + " is " + h.state() + " in the management service's view.");
                }
            }
        }
        if (!e.isProtected()) {
            reasons.add("HA is off for it (priority disabled): nobody restarts it if its host fails.");
        } else {
            protection(e, hosts, reasons);
        }
        String denial = denials.last(e.lun());
        if (denial != null) {
            reasons.add("The last admission decision refused it: " + denial + ".");
        }
        return new Explanation(e.vm(), e.lun(), st.kind(), e.currentHost(), e.alternateHost(),
                table.pins().containsKey(e.lun()), HaSettings.name(e.priority()), e.generation(), denial, reasons);
    }

    private static String state(FailoverTableEntry e) {
        VmState st = e.state();
        if (st instanceof VmState.PoweredOff) {
            return "VM " + e.vm() + " is powered off; it holds no capacity and HA does not restart it.";
        } else if (st instanceof VmState.RestartPending p) {
            return "VM " + e.vm() + " could not be restarted after " + e.currentHost()
                    + " went down and waits for capacity: " + p.reason()
                    + ". It is retried when a host is added or returns, or VMs are powered off.";
        } else if (st instanceof VmState.Failed f) {
            return "VM " + e.vm() + " is FAILED: " + f.reason() + ". Power it on again once the cause is fixed.";
        } else if (st instanceof VmState.Migrating m) {
            return "VM " + e.vm() + " is migrating from " + m.source() + " to " + m.dest() + ".";
        }
        return "VM " + e.vm() + " is " + st.kind() + " on " + e.currentHost() + " under lease generation "
                + e.generation() + ".";
    }

    /** The alternate, and what the planner would do if the VM's host failed now. */
    private void protection(FailoverTableEntry e, List<Host> hosts, List<String> reasons) {
        String pin = table.pins().get(e.lun());
        boolean holds = e.state().consumesCapacity();
        if (e.alternateHost() != null) {
            reasons.add("Its alternate host is " + e.alternateHost() + (e.alternateHost().equals(pin)
                    ? ", pinned by an operator." : ", computed from the hosts' free capacity and restart order."));
        } else if (holds) {
            reasons.add("It has no alternate host yet: no surviving host has room for it in the precomputed plan.");
        }
        if (e.currentHost() == null || !holds) {
            return;
        }
        FailoverPlan plan = new FailoverPlanner().plan(new ClusterSnapshot(hosts, table.table()),
                List.of(e.currentHost()));
        for (FailoverPlan.Placement p : plan.placements()) {
            if (p.lun().equals(e.lun())) {
                reasons.add("If " + e.currentHost() + " failed now, " + p.host()
                        + " would restart it (priority " + HaSettings.name(e.priority()) + ").");
            }
        }
        for (FailoverPlan.Unplaced u : plan.unplaced()) {
            if (u.lun().equals(e.lun())) {
                reasons.add("If " + e.currentHost() + " failed now, it could not be restarted: " + u.reason() + ".");
            }
        }
    }
}
