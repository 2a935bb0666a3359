/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;

/**
 * The {@link ClusterIndex} is responsible for a compiled, array-based form of a
 * {@link ClusterSnapshot} that the planner and the admission policies run on: resources, hosts and
 * VMs get dense indexes in name order, reservations and capacities become {@code long} arrays, and the
 * per-host load and the per-host restart order are precomputed.
 * <p>
 * Hosts are indexed in name order, resources in name order, VMs in (name, lun) order, so everything
 * derived from an index is deterministic. Instances are immutable once built (the arrays are never
 * handed out for writing) and thread-safe. {@link #withEntry} derives a changed index in O(VMs)
 * without re-sorting the whole cluster.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ClusterIndex {

    final String[] resources;
    final Map<String, Integer> resourceIdx;
    final Host[] hosts;
    final long[][] cap;
    final HostState[] state;
    final boolean[] failoverOnly;
    final Map<String, Integer> hostIdx;
    final FailoverTableEntry[] entries;
    final long[][] res;
    final int[] vmHost;
    final int[] altHost;
    final boolean[] consuming;
    final boolean[] protectedVm;
    final int[] prio;
    final double[] size;
    final Map<String, Integer> vmIdx;
    final long[][] used;
    /** Consuming protected VMs per host, in restart order. */
    final int[][] restartOrderOnHost;
    final double[] scale;
    final long tableVersion;

    private ClusterIndex(String[] resources, Map<String, Integer> resourceIdx, Host[] hosts, long[][] cap,
            HostState[] state, boolean[] failoverOnly, Map<String, Integer> hostIdx, FailoverTableEntry[] entries,
            long[][] res, int[] vmHost, int[] altHost, boolean[] consuming, boolean[] protectedVm, int[] prio,
            double[] size, Map<String, Integer> vmIdx, long[][] used, int[][] restartOrderOnHost, double[] scale,
            long tableVersion) {
        this.resources = resources;
        this.resourceIdx = resourceIdx;
        this.hosts = hosts;
        this.cap = cap;
        this.state = state;
        this.failoverOnly = failoverOnly;
        this.hostIdx = hostIdx;
        this.entries = entries;
        this.res = res;
        this.vmHost = vmHost;
        this.altHost = altHost;
        this.consuming = consuming;
        this.protectedVm = protectedVm;
        this.prio = prio;
        this.size = size;
        this.vmIdx = vmIdx;
        this.used = used;
        this.restartOrderOnHost = restartOrderOnHost;
        this.scale = scale;
        this.tableVersion = tableVersion;
    }

    /**
     * Compiles a snapshot.
     *
     * @param snapshot the cluster
     * @return the index
     */
    public static ClusterIndex of(ClusterSnapshot snapshot) {
        return of(snapshot, Set.of());
    }

    /**
     * Compiles a snapshot, treating extra hosts as failover-only (the dedicated policy's list).
     *
     * @param snapshot the cluster
     * @param extraFailoverHosts names of hosts to treat as failover-only
     * @return the index
     * @throws IllegalArgumentException on duplicate host names or duplicate VM luns
     */
    public static ClusterIndex of(ClusterSnapshot snapshot, Collection<String> extraFailoverHosts) {
        TreeSet<String> names = new TreeSet<>();
        List<Host> hostList = new ArrayList<>(snapshot.hosts());
        hostList.sort((a, b) -> a.name().compareTo(b.name()));
        for (Host h : hostList) {
            names.addAll(h.capacity().amounts().keySet());
        }
        for (FailoverTableEntry e : snapshot.table().entries()) {
            names.addAll(e.reservation().amounts().keySet());
        }
        String[] resources = names.toArray(new String[0]);
        Map<String, Integer> resourceIdx = new HashMap<>();
        for (int r = 0; r < resources.length; r++) {
            resourceIdx.put(resources[r], r);
        }
        int nh = hostList.size();
        Host[] hosts = hostList.toArray(new Host[0]);
        long[][] cap = new long[nh][];
        HostState[] state = new HostState[nh];
        boolean[] fo = new boolean[nh];
        Map<String, Integer> hostIdx = new HashMap<>();
        for (int h = 0; h < nh; h++) {
            if (hostIdx.put(hosts[h].name(), h) != null) {
                throw new IllegalArgumentException("duplicate host name '" + hosts[h].name() + "'");
            }
            cap[h] = vector(hosts[h].capacity(), resources);
            state[h] = hosts[h].state();
            fo[h] = hosts[h].failoverOnly() || extraFailoverHosts.contains(hosts[h].name());
        }
        List<FailoverTableEntry> list = new ArrayList<>(snapshot.table().entries());
        list.sort((a, b) -> {
            int c = a.vm().compareTo(b.vm());
            return c != 0 ? c : a.lun().compareTo(b.lun());
        });
        FailoverTableEntry[] entries = list.toArray(new FailoverTableEntry[0]);
        double[] scale = new double[resources.length];
        for (int r = 0; r < resources.length; r++) {
            long max = 1;
            for (int h = 0; h < nh; h++) {
                max = Math.max(max, cap[h][r]);
            }
            scale[r] = max;
        }
        int nv = entries.length;
        long[][] res = new long[nv][];
        int[] vmHost = new int[nv];
        int[] alt = new int[nv];
        boolean[] consuming = new boolean[nv];
        boolean[] prot = new boolean[nv];
        int[] prio = new int[nv];
        double[] size = new double[nv];
        Map<String, Integer> vmIdx = new HashMap<>();
        Set<String> luns = new java.util.HashSet<>();
        for (int v = 0; v < nv; v++) {
            FailoverTableEntry e = entries[v];
            if (!luns.add(e.lun())) {
                throw new IllegalArgumentException("duplicate VM lun '" + e.lun() + "'");
            }
            fill(v, e, resources, hostIdx, scale, res, vmHost, alt, consuming, prot, prio, size);
            vmIdx.putIfAbsent(e.vm(), v);
        }
        for (int v = 0; v < nv; v++) {
            vmIdx.putIfAbsent(entries[v].lun(), v);
        }
        long[][] used = new long[nh][resources.length];
        List<List<Integer>> perHost = new ArrayList<>();
        for (int h = 0; h < nh; h++) {
            perHost.add(new ArrayList<>());
        }
        for (int v = 0; v < nv; v++) {
            int h = vmHost[v];
            if (consuming[v] && h >= 0) {
                for (int r = 0; r < resources.length; r++) {
                    used[h][r] += res[v][r];
                }
                if (prot[v]) {
                    perHost.get(h).add(v);
                }
            }
        }
        ClusterIndex partial = new ClusterIndex(resources, resourceIdx, hosts, cap, state, fo, hostIdx, entries, res,
                vmHost, alt, consuming, prot, prio, size, vmIdx, used, null, scale, snapshot.table().version());
        int[][] order = new int[nh][];
        for (int h = 0; h < nh; h++) {
            order[h] = partial.sortRestartOrder(perHost.get(h));
        }
        return new ClusterIndex(resources, resourceIdx, hosts, cap, state, fo, hostIdx, entries, res, vmHost, alt,
                consuming, prot, prio, size, vmIdx, used, order, scale, snapshot.table().version());
    }

    private static void fill(int v, FailoverTableEntry e, String[] resources, Map<String, Integer> hostIdx,
            double[] scale, long[][] res, int[] vmHost, int[] alt, boolean[] consuming, boolean[] prot, int[] prio,
            double[] size) {
        res[v] = vector(e.reservation(), resources);
        Integer h = e.currentHost() == null ? null : hostIdx.get(e.currentHost());
        vmHost[v] = h == null ? -1 : h;
        Integer a = e.alternateHost() == null ? null : hostIdx.get(e.alternateHost());
        alt[v] = a == null ? -1 : a;
        consuming[v] = e.state().consumesCapacity() && vmHost[v] >= 0;
        prot[v] = e.isProtected();
        prio[v] = e.priority().ordinal();
        double s = 0;
        for (int r = 0; r < resources.length; r++) {
            s = Math.max(s, res[v][r] / scale[r]);
        }
        size[v] = s;
    }

    private static long[] vector(ResourceVector v, String[] resources) {
        long[] out = new long[resources.length];
        for (int r = 0; r < resources.length; r++) {
            out[r] = v.get(resources[r]);
        }
        return out;
    }

    /**
     * Derives the index with one entry replaced or added, without re-sorting the cluster.
     *
     * @param existing the index of the VM to replace, or -1 to add {@code entry}
     * @param entry the new entry; its reservation may only use resources this index knows
     * @return the new index
     * @throws IllegalArgumentException if the entry names a resource unknown to this index
     */
    public ClusterIndex withEntry(int existing, FailoverTableEntry entry) {
        for (Map.Entry<String, Long> e : entry.reservation().amounts().entrySet()) {
            if (e.getValue() != 0 && !resourceIdx.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown resource '" + e.getKey() + "'");
            }
        }
        int nv = entries.length;
        int v = existing >= 0 ? existing : nv;
        int n = existing >= 0 ? nv : nv + 1;
        FailoverTableEntry[] ent = Arrays.copyOf(entries, n);
        long[][] r2 = Arrays.copyOf(res, n);
        int[] vh = Arrays.copyOf(vmHost, n);
        int[] al = Arrays.copyOf(altHost, n);
        boolean[] co = Arrays.copyOf(consuming, n);
        boolean[] pr = Arrays.copyOf(protectedVm, n);
        int[] pi = Arrays.copyOf(prio, n);
        double[] sz = Arrays.copyOf(size, n);
        ent[v] = entry;
        fill(v, entry, resources, hostIdx, scale, r2, vh, al, co, pr, pi, sz);
        Map<String, Integer> vi = vmIdx;
        if (existing < 0) {
            vi = new HashMap<>(vmIdx);
            vi.putIfAbsent(entry.vm(), v);
            vi.putIfAbsent(entry.lun(), v);
        }
        long[][] u = used.clone();
        int[][] order = restartOrderOnHost.clone();
        ClusterIndex next = new ClusterIndex(resources, resourceIdx, hosts, cap, state, failoverOnly, hostIdx, ent, r2,
                vh, al, co, pr, pi, sz, vi, u, order, scale, tableVersion);
        Set<Integer> touched = new TreeSet<>();
        if (existing >= 0 && consuming[v] && vmHost[v] >= 0) {
            int h = vmHost[v];
            u[h] = u[h].clone();
            for (int r = 0; r < resources.length; r++) {
                u[h][r] -= res[v][r];
            }
            touched.add(h);
        }
        if (co[v] && vh[v] >= 0) {
            int h = vh[v];
            if (!touched.contains(h)) {
                u[h] = u[h].clone();
            }
            for (int r = 0; r < resources.length; r++) {
                u[h][r] += r2[v][r];
            }
            touched.add(h);
        }
        for (int h : touched) {
            List<Integer> list = new ArrayList<>();
            for (int x : restartOrderOnHost[h]) {
                if (x != v) {
                    list.add(x);
                }
            }
            if (co[v] && pr[v] && vh[v] == h) {
                list.add(v);
            }
            order[h] = next.sortRestartOrder(list);
        }
        return next;
    }

    /**
     * Derives the index with the alternate host of every VM replaced (-1 for none).
     *
     * @param alt host index per VM index
     * @return the new index
     */
    ClusterIndex withAlternates(int[] alt) {
        return new ClusterIndex(resources, resourceIdx, hosts, cap, state, failoverOnly, hostIdx, entries, res, vmHost,
                alt.clone(), consuming, protectedVm, prio, size, vmIdx, used, restartOrderOnHost, scale, tableVersion);
    }

    int[] sortRestartOrder(List<Integer> vms) {
        Integer[] arr = vms.toArray(new Integer[0]);
        Arrays.sort(arr, this::compareRestartOrder);
        int[] out = new int[arr.length];
        for (int i = 0; i < arr.length; i++) {
            out[i] = arr[i];
        }
        return out;
    }

    /**
     * The documented restart order: higher priority first; within a priority the larger VM first (its
     * largest share of the biggest host's capacity over all resources); then VM name, then lun.
     */
    int compareRestartOrder(int a, int b) {
        int c = Integer.compare(prio[b], prio[a]);
        if (c != 0) {
            return c;
        }
        c = Double.compare(size[b], size[a]);
        if (c != 0) {
            return c;
        }
        c = entries[a].vm().compareTo(entries[b].vm());
        return c != 0 ? c : entries[a].lun().compareTo(entries[b].lun());
    }

    /** @return resource names in index order */
    public List<String> resources() {
        return List.of(resources);
    }

    /** @return number of hosts */
    public int hostCount() {
        return hosts.length;
    }

    /** @return number of VMs */
    public int vmCount() {
        return entries.length;
    }

    /**
     * @param h host index
     * @return the host
     */
    public Host host(int h) {
        return hosts[h];
    }

    /**
     * @param name host name
     * @return its index or -1
     */
    public int hostIndex(String name) {
        Integer h = name == null ? null : hostIdx.get(name);
        return h == null ? -1 : h;
    }

    /**
     * @param h host index
     * @return true when the host is failover-only (flagged or listed for the dedicated policy)
     */
    public boolean isFailoverOnly(int h) {
        return failoverOnly[h];
    }

    /**
     * @param v VM index
     * @return the entry
     */
    public FailoverTableEntry entry(int v) {
        return entries[v];
    }

    /**
     * @param nameOrLun VM name or lun
     * @return its index or -1
     */
    public int vmIndex(String nameOrLun) {
        Integer v = nameOrLun == null ? null : vmIdx.get(nameOrLun);
        return v == null ? -1 : v;
    }

    /**
     * @param lun a volume id
     * @return true when some VM of the index has that lun
     */
    public boolean hasLun(String lun) {
        Integer v = lun == null ? null : vmIdx.get(lun);
        if (v == null) {
            return false; // every lun is a key of vmIdx (as a lun or as some VM's name)
        }
        if (entries[v].lun().equals(lun)) {
            return true;
        }
        for (FailoverTableEntry e : entries) {
            if (e.lun().equals(lun)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param name resource name
     * @return its index or -1
     */
    public int resourceIndex(String name) {
        Integer r = resourceIdx.get(name);
        return r == null ? -1 : r;
    }

    /**
     * @param v VM index
     * @return true when the VM holds its reservation on a host
     */
    public boolean isConsuming(int v) {
        return consuming[v];
    }

    /**
     * @param v VM index
     * @return true when HA restarts the VM
     */
    public boolean isProtected(int v) {
        return protectedVm[v];
    }

    /**
     * @param v VM index
     * @return host index of its current host, or -1
     */
    public int currentHost(int v) {
        return vmHost[v];
    }

    /**
     * @param v VM index
     * @param r resource index
     * @return reserved amount
     */
    public long reservation(int v, int r) {
        return res[v][r];
    }

    /**
     * @param h host index
     * @param r resource index
     * @return capacity
     */
    public long capacity(int h, int r) {
        return cap[h][r];
    }

    /**
     * @param h host index
     * @param r resource index
     * @return capacity minus the reservations of the VMs holding capacity on the host
     */
    public long free(int h, int r) {
        return cap[h][r] - used[h][r];
    }

    /**
     * @param h host index
     * @param r resource index
     * @return the sum of the reservations of the VMs holding capacity on the host
     */
    public long used(int h, int r) {
        return used[h][r];
    }

    /** @return the table version this index was compiled from */
    public long tableVersion() {
        return tableVersion;
    }

    /**
     * @param v VM index
     * @return its reservation as a vector over this index's resources
     */
    public ResourceVector reservationVector(int v) {
        return toVector(res[v]);
    }

    ResourceVector toVector(long[] a) {
        java.util.TreeMap<String, Long> m = new java.util.TreeMap<>();
        for (int r = 0; r < resources.length; r++) {
            m.put(resources[r], a[r]);
        }
        return new ResourceVector(m);
    }

    /**
     * Rebuilds a table from the (possibly changed) entries, in VM name order.
     *
     * @return the table
     */
    public FailoverTable table() {
        return new FailoverTable(tableVersion, List.of(entries));
    }
}
