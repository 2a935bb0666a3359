/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.vmha.api.model.ResourceVector;
import org.vmha.core.plan.ClusterIndex;

/**
 * The {@link SlotCalculator} is responsible for the patent's slot arithmetic on a cluster index.
 * <ul>
 * <li>slot size per resource = max(minSlot, max reservation over powered-on protected VMs), then
 * limited by slotCap where a cap is set; a resource whose slot size is 0 is ignored;</li>
 * <li>slots of a VM = max(1, max over resources of ceil(reservation / slot));</li>
 * <li>slots of a host = min over resources of floor(capacity / slot); only hosts that are connected or
 * failed-but-member count;</li>
 * <li>usable (maxSlot) = total - the N largest host slot counts; used = slots of every powered-on VM;
 * unreserved = max(0, usable - used);</li>
 * <li>current failover capacity = the largest k such that total - the k largest host slot counts is
 * still at least used.</li>
 * </ul>
 * Stateless and thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class SlotCalculator {

    private SlotCalculator() {
    }

    /**
     * The computed slot state.
     *
     * @param slot slot size per resource index (0 = ignored)
     * @param hostSlots slots per host index, -1 for hosts that do not count
     * @param vmSlots slots per VM index, 0 for VMs that hold no capacity
     * @param total total slots
     * @param used used slots
     * @param usable usable slots (maxSlot)
     * @param sortedDesc slot counts of counting hosts, largest first
     * @author vmha - Initial contribution
     */
    public record Slots(long[] slot, int[] hostSlots, int[] vmSlots, int total, int used, int usable,
            int[] sortedDesc) {

        /** @return unreserved slots, never negative */
        public int unreserved() {
            return Math.max(0, usable - used);
        }

        /**
         * @param usedSlots the used slots to check
         * @return the largest k such that the slots left after removing the k largest hosts cover them
         */
        public int failoverCapacityHosts(int usedSlots) {
            int left = total;
            int k = 0;
            for (int c : sortedDesc) {
                left -= c;
                if (left < usedSlots) {
                    break;
                }
                k++;
            }
            return k;
        }
    }

    /**
     * @param ix the cluster
     * @param s the settings (minSlot, slotCap, hostFailures)
     * @return the slot state
     */
    public static Slots compute(ClusterIndex ix, PolicySettings s) {
        int nr = ix.resources().size();
        long[] slot = new long[nr];
        for (int v = 0; v < ix.vmCount(); v++) {
            if (ix.isConsuming(v) && ix.isProtected(v)) {
                for (int r = 0; r < nr; r++) {
                    slot[r] = Math.max(slot[r], ix.reservation(v, r));
                }
            }
        }
        for (int r = 0; r < nr; r++) {
            slot[r] = clamp(ix.resources().get(r), slot[r], s);
        }
        return withSlot(ix, s, slot);
    }

    static long clamp(String resource, long value, PolicySettings s) {
        long v = Math.max(value, s.minSlot().get(resource));
        long cap = s.slotCap().get(resource);
        return cap > 0 ? Math.min(v, cap) : v;
    }

    static Slots withSlot(ClusterIndex ix, PolicySettings s, long[] slot) {
        int nh = ix.hostCount();
        int[] hostSlots = new int[nh];
        int total = 0;
        int counting = 0;
        for (int h = 0; h < nh; h++) {
            if (!ix.host(h).state().countsForCapacity()) {
                hostSlots[h] = -1;
                continue;
            }
            hostSlots[h] = hostSlots(ix, h, slot);
            total += hostSlots[h];
            counting++;
        }
        int[] sorted = new int[counting];
        int i = 0;
        for (int h = 0; h < nh; h++) {
            if (hostSlots[h] >= 0) {
                sorted[i++] = hostSlots[h];
            }
        }
        Arrays.sort(sorted);
        for (int a = 0, b = sorted.length - 1; a < b; a++, b--) {
            int t = sorted[a];
            sorted[a] = sorted[b];
            sorted[b] = t;
        }
        int lost = 0;
        for (int k = 0; k < Math.min(s.hostFailures(), sorted.length); k++) {
            lost += sorted[k];
        }
        int[] vmSlots = new int[ix.vmCount()];
        int used = 0;
        for (int v = 0; v < ix.vmCount(); v++) {
            if (ix.isConsuming(v)) {
                vmSlots[v] = vmSlots(ix, v, slot);
                used += vmSlots[v];
            }
        }
        return new Slots(slot, hostSlots, vmSlots, total, used, total - lost, sorted);
    }

    static int hostSlots(ClusterIndex ix, int h, long[] slot) {
        long min = Long.MAX_VALUE;
        for (int r = 0; r < slot.length; r++) {
            if (slot[r] > 0) {
                min = Math.min(min, ix.capacity(h, r) / slot[r]);
            }
        }
        return min == Long.MAX_VALUE ? 0 : (int) Math.max(0, Math.min(Integer.MAX_VALUE / 4, min));
    }

    static int vmSlots(ClusterIndex ix, int v, long[] slot) {
        return slotsFor(i -> ix.reservation(v, i), slot);
    }

    static int slotsFor(java.util.function.IntToLongFunction res, long[] slot) {
        long n = 1;
        for (int r = 0; r < slot.length; r++) {
            if (slot[r] > 0) {
                long q = (res.applyAsLong(r) + slot[r] - 1) / slot[r];
                n = Math.max(n, q);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE / 4, n);
    }

    /**
     * @param ix the cluster
     * @param slots its slot state
     * @return slot size as a vector
     */
    public static ResourceVector slotSize(ClusterIndex ix, Slots slots) {
        return slotSize(ix, slots.slot());
    }

    static ResourceVector slotSize(ClusterIndex ix, long[] slot) {
        TreeMap<String, Long> m = new TreeMap<>();
        for (int r = 0; r < slot.length; r++) {
            m.put(ix.resources().get(r), slot[r]);
        }
        return new ResourceVector(m);
    }

    /**
     * @param ix the cluster
     * @param slots its slot state
     * @return slots per counting host, in host name order
     */
    public static Map<String, Integer> slotsPerHost(ClusterIndex ix, Slots slots) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int h = 0; h < ix.hostCount(); h++) {
            if (slots.hostSlots()[h] >= 0) {
                m.put(ix.host(h).name(), slots.hostSlots()[h]);
            }
        }
        return m;
    }

    /**
     * @param ix the cluster
     * @param slots its slot state
     * @return slots per powered-on VM, in VM name order
     */
    public static Map<String, Integer> vmSlots(ClusterIndex ix, Slots slots) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int v = 0; v < ix.vmCount(); v++) {
            if (ix.isConsuming(v)) {
                m.put(ix.entry(v).vm(), slots.vmSlots()[v]);
            }
        }
        return m;
    }

    /**
     * Per resource: (capacity of counting hosts - reservations of powered-on VMs) * 100 / capacity,
     * truncated; 0 when there is no capacity.
     *
     * @param ix the cluster
     * @return percent per resource name
     */
    public static Map<String, Integer> failoverCapacityPercent(ClusterIndex ix) {
        long[] total = totals(ix);
        long[] reserved = reserved(ix);
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int r = 0; r < total.length; r++) {
            m.put(ix.resources().get(r), total[r] <= 0 ? 0 : (int) ((total[r] - reserved[r]) * 100 / total[r]));
        }
        return m;
    }

    static long[] totals(ClusterIndex ix) {
        int nr = ix.resources().size();
        long[] total = new long[nr];
        for (int h = 0; h < ix.hostCount(); h++) {
            if (ix.host(h).state().countsForCapacity()) {
                for (int r = 0; r < nr; r++) {
                    total[r] += ix.capacity(h, r);
                }
            }
        }
        return total;
    }

    static long[] reserved(ClusterIndex ix) {
        int nr = ix.resources().size();
        long[] reserved = new long[nr];
        for (int h = 0; h < ix.hostCount(); h++) {
            for (int r = 0; r < nr; r++) {
                reserved[r] += ix.used(h, r);
            }
        }
        return reserved;
    }
}
