/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import org.vmha.api.admission.AdmissionDecision;
import org.vmha.core.plan.ClusterIndex;

/**
 * The {@link SlotPolicy} is responsible for the patent's slot-based admission control: admit iff the
 * slots used after the operation are at most maxSlot (total slots minus the slots of the N largest
 * hosts), with the slot size recomputed when the operation grows it. See {@link SlotCalculator}.
 * <p>
 * Incremental: when the slot size does not change, a decision costs O(resources); otherwise the slot
 * figures are recomputed over the cluster.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class SlotPolicy extends AbstractAdmissionPolicy<Void> {

    /**
     * @param settings settings; type should be {@link PolicyType#SLOT}
     */
    public SlotPolicy(PolicySettings settings) {
        super(settings);
    }

    @Override
    protected Void prepare(ClusterIndex index, SlotCalculator.Slots slots) {
        return null;
    }

    @Override
    protected AdmissionDecision decide(Prepared<Void> p, Change c) {
        ClusterIndex ix = p.index();
        SlotCalculator.Slots s = p.slots();
        int nr = ix.resources().size();
        long[] after = new long[nr];
        for (int r = 0; r < nr; r++) {
            after[r] = c.after().reservation().get(ix.resources().get(r));
        }
        boolean recompute = false;
        if (c.after().isProtected()) {
            for (int r = 0; r < nr; r++) {
                if (SlotCalculator.clamp(ix.resources().get(r), after[r], settings) > s.slot()[r]) {
                    recompute = true;
                }
            }
        }
        if (c.vm() >= 0 && ix.isConsuming(c.vm()) && ix.isProtected(c.vm())) {
            for (int r = 0; r < nr; r++) {
                // the changed VM may have defined the slot size: it can shrink
                if (ix.reservation(c.vm(), r) >= s.slot()[r] && after[r] < s.slot()[r]) {
                    recompute = true;
                }
            }
        }
        int used;
        int usable;
        long[] slot;
        if (recompute) {
            SlotCalculator.Slots n = SlotCalculator.compute(ix.withEntry(c.vm(), c.after()), settings);
            used = n.used();
            usable = n.usable();
            slot = n.slot();
        } else {
            used = s.used() - (c.vm() >= 0 ? s.vmSlots()[c.vm()] : 0)
                    + SlotCalculator.slotsFor(r -> after[r], s.slot());
            usable = s.usable();
            slot = s.slot();
        }
        String figures = "slots used after the operation " + used + (used <= usable ? " <= " : " > ")
                + "usable " + usable + " (slot size " + SlotCalculator.slotSize(ix, slot) + ", tolerating " + hostFailures() + " host failure(s))";
        return used <= usable ? AdmissionDecision.admit(figures) : AdmissionDecision.refuse(figures);
    }
}
