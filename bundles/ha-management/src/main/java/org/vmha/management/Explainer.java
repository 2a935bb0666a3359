/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import org.vmha.api.command.reply.Explanation;
import org.vmha.api.command.reply.HostExplanation;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.transport.PeerStatus;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.FailoverPlan;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.core.command.NameSuggestions;

/**
 * The {@link Explainer} is responsible for {@code why}: sentences that say why a VM is where it is, or
 * why it does not run: its state, its host's state, its protection and alternate (computed or pinned),
 * what the deterministic planner would do if its host failed now, and the last admission refusal; and for a
 * host, its state, since when and who declared it, on which evidence (the last heartbeat on each channel, its
 * isolation marker, the leases it holds) and the VMs the table places on it.
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

    /**
     * @param name a VM (name or lun) or a host
     * @param hostOnly look among the hosts only
     * @return true for a VM, false for a host
     * @throws CommandException NOT_FOUND naming it, with the closest VM or host name
     */
    boolean isVm(String name, boolean hostOnly) {
        if (!hostOnly && table.has(name)) {
            return true;
        }
        if (members.contains(name)) {
            return false;
        }
        List<String> known = new ArrayList<>(members.names());
        if (!hostOnly) {
            known.addAll(table.vmNames());
        }
        throw new CommandException(CommandException.NOT_FOUND, (hostOnly ? "unknown host '" : "unknown VM or host '")
                + name + "'" + NameSuggestions.didYouMean(name, known));
    }

    /**
     * @param host a host of the cluster
     * @param ds what the datastore says of it, read off the management thread
     * @return its state, since when, who declared it, the evidence, and the sentences
     * @throws CommandException NOT_FOUND
     */
    HostExplanation whyHost(String host, DatastoreEvidence ds) {
        long now = clock.getAsLong();
        Host h = ClusterMembers.require(host, members.hosts(now));
        long timeout = members.failureTimeoutMillis();
        Long since = members.since(host, h.state());
        String declaredBy = h.state() == HostState.MAINTENANCE ? "operator" : "management";
        HostHeartbeat net = members.lastHeartbeat(host);
        Long netAt = members.heartbeatAt(host);
        HostExplanation.Heartbeat network = netAt == null ? null
                : new HostExplanation.Heartbeat(iso(netAt), Math.max(0, now - netAt), net.sequence());
        HeartbeatRecord dsHb = ds.heartbeat();
        HostExplanation.Heartbeat datastore = dsHb == null ? null
                : new HostExplanation.Heartbeat(iso(dsHb.timeMillis()), Math.max(0, ds.readAtMillis() - dsHb.timeMillis()),
                        dsHb.sequence());
        Map<String, String> vmOfLun = new TreeMap<>();
        TreeSet<String> placed = new TreeSet<>();
        for (FailoverTableEntry e : table.entries()) {
            vmOfLun.put(e.lun(), e.vm());
            if (host.equals(e.currentHost()) && e.state().consumesCapacity()) {
                placed.add(e.vm());
            }
        }
        TreeSet<String> leases = new TreeSet<>();
        ds.leasedLuns().forEach(l -> leases.add(vmOfLun.getOrDefault(l, l)));
        IsolationMarker m = ds.marker();
        HostExplanation.Isolation isolation = null;
        if (m != null) {
            TreeSet<String> released = new TreeSet<>();
            m.releasedLuns().forEach(l -> released.add(vmOfLun.getOrDefault(l, l)));
            isolation = new HostExplanation.Isolation(iso(m.timeMillis()), m.action(), List.copyOf(released));
        }
        boolean netFresh = netAt != null && now - netAt <= timeout;
        boolean dsFresh = datastore != null && datastore.agoMs() <= timeout;
        PeerStatus channels = ds.error() != null ? null
                : netFresh ? PeerStatus.ALIVE : dsFresh ? PeerStatus.PARTITIONED : PeerStatus.FAILED;

        List<String> reasons = new ArrayList<>();
        reasons.add(stateSentence(h, since, now, timeout, network));
        reasons.add("Network channel: " + (network == null ? "no heartbeat heard since the management service started."
                : "last heartbeat " + ago(network.agoMs()) + " (sequence " + network.sequence() + ")."));
        datastoreSentences(reasons, ds.error(), datastore, channels, isolation, leases);
        reasons.add(placed.isEmpty() ? "The failover table places no running VM on it."
                : "The failover table places " + placed.size() + " VM(s) on it: " + String.join(", ", placed) + ".");
        return new HostExplanation(host, h.state().name(), channels == null ? null : channels.name(),
                since == null ? null : iso(since), declaredBy, timeout, network, datastore, isolation,
                List.copyOf(leases), List.copyOf(placed), reasons);
    }

    /** What the datastore shows of a host: its heartbeat, whether it is partitioned, its marker and its leases. */
    private static void datastoreSentences(List<String> reasons, String error, HostExplanation.Heartbeat datastore,
            PeerStatus channels, HostExplanation.Isolation isolation, TreeSet<String> leases) {
        if (error != null) {
            reasons.add("Datastore channel: unknown, " + error + ".");
            return;
        }
        reasons.add("Datastore channel: " + (datastore == null ? "no heartbeat written."
                : "last heartbeat " + ago(datastore.agoMs()) + " (sequence " + datastore.sequence() + ")."));
        if (channels == PeerStatus.PARTITIONED) {
            reasons.add("Its datastore heartbeat is fresh while the network is silent: it is partitioned or "
                    + "isolated and still holds its leases; nothing is restarted unless it leaves an isolation "
                    + "marker.");
        }
        reasons.add(isolation == null ? "It left no isolation marker."
                : "It left an isolation marker at " + isolation.at() + " (response " + isolation.action()
                        + ")" + (isolation.releasedVms().isEmpty() ? "."
                                : ", releasing " + String.join(", ", isolation.releasedVms()) + "."));
        reasons.add(leases.isEmpty() ? "It holds no lease on the datastore."
                : "It holds the lease of " + leases.size() + " VM(s): " + String.join(", ", leases) + ".");
    }

    private static String stateSentence(Host h, Long since, long now, long timeout,
            HostExplanation.Heartbeat network) {
        String when = since == null ? "" : " since " + iso(since) + " (" + ago(Math.max(0, now - since)) + ")";
        return switch (h.state()) {
        case MAINTENANCE -> "Host " + h.name() + " is in MAINTENANCE" + when
                + ", set by an operator: it takes no new VM and is left out of the alternates.";
        case FAILED -> "Host " + h.name() + " is FAILED" + when + ", declared by the management service: "
                + (network == null ? "no heartbeat of it was heard" : "no heartbeat heard")
                + " within the failure timeout of " + seconds(timeout) + ".";
        default -> "Host " + h.name() + " is " + h.state() + when
                + " in the management service's view: its heartbeats arrive within the failure timeout of "
                + seconds(timeout) + ".";
        };
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static String ago(long millis) {
        return seconds(millis) + " ago";
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
