/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;
import org.vmha.api.command.reply.ClusterStatus;
import org.vmha.api.command.reply.HostSummary;
import org.vmha.api.command.reply.VmResult;
import org.vmha.api.command.request.HostAddRequest;
import org.vmha.api.command.request.HostRequest;
import org.vmha.api.command.request.MaintenanceRequest;
import org.vmha.api.command.request.MigrateRequest;
import org.vmha.api.command.request.PowerOnRequest;
import org.vmha.api.command.request.SetRequest;
import org.vmha.api.command.request.StatusRequest;
import org.vmha.api.command.request.VmRequest;
import org.vmha.api.command.request.WhatIfRequest;
import org.vmha.api.command.request.WhyRequest;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.core.admission.Tolerance;
import org.vmha.core.inventory.HaPlanReport;
import org.vmha.management.DatastoreEvidence;
import org.vmha.management.HostView;
import org.vmha.management.ManagementService;

/**
 * The {@link ManagementCommands} is responsible for the operators' commands that the management service
 * carries out, as typed {@link CommandHandler}s (a request record in, a result record out): the NOC sends them on {@code ha.commands}, and the Karaf shell's
 * {@code ha:*} commands call the same handlers, so both surfaces validate and answer alike.
 * <ul>
 * <li>changes: {@code power-on}, {@code power-off}, {@code migrate}, {@code set}, {@code host-add},
 * {@code host-remove}, {@code maintenance};</li>
 * <li>views: {@code status} (cluster summary, hosts, admission report with whether the configured tolerance is
 * met), {@code why} (a VM or a host), {@code what-if}
 * (the ha-plan report for the live cluster, optionally failing given hosts).</li>
 * </ul>
 * <p>
 * <b>Threading:</b> handlers are called on any thread; each hands its work to the management service's
 * thread through {@link OnManagement} and waits for the answer.
 *
 * @author vmha - Initial contribution
 */
final class ManagementCommands {

    /** Runs a function on the management service's thread and returns its result. */
    @FunctionalInterface
    interface OnManagement {
        <T> T call(Function<ManagementService, T> work);
    }

    /** The names of the commands {@link #handlers} provides. */
    static final List<String> NAMES = org.vmha.api.command.CommandNames.MANAGEMENT;

    private ManagementCommands() {
    }

    /** One command: its name, its request record and what it does with it. */
    record Handler<A extends Record, R>(String name, Class<A> requestType, Function<A, R> body)
            implements CommandHandler<A, R> {
        @Override
        public R handle(A request) {
            return body.apply(request);
        }
    }

    /**
     * @param m runs work on the management thread
     * @param policy the admission policy in force, or null
     * @return one handler per name of {@link #NAMES}
     */
    static List<CommandHandler<?, ?>> handlers(OnManagement m, Supplier<AdmissionPolicy> policy) {
        return handlers(m, policy, () -> null, System::currentTimeMillis);
    }

    /**
     * @param m runs work on the management thread
     * @param policy the admission policy in force, or null
     * @param storage the datastore {@code why} reads a host's evidence from (on the caller's thread), or null
     * @param clock the time of the datastore's stamps
     * @return one handler per name of {@link #NAMES}
     */
    static List<CommandHandler<?, ?>> handlers(OnManagement m, Supplier<AdmissionPolicy> policy,
            Supplier<StorageAdapter> storage, LongSupplier clock) {
        List<CommandHandler<?, ?>> out = new ArrayList<>();
        vmChanges(m, out);
        hostChanges(m, out);
        views(m, policy, storage, clock, out);
        return out;
    }

    /** {@code power-on}, {@code power-off}, {@code migrate}, {@code set}. */
    private static void vmChanges(OnManagement m, List<CommandHandler<?, ?>> out) {
        out.add(new Handler<>("power-on", PowerOnRequest.class,
                r -> VmResult.of(m.call(s -> s.powerOn(r.vm(), r.host())))));
        out.add(new Handler<>("power-off", VmRequest.class, r -> VmResult.of(m.call(s -> s.powerOff(r.vm())))));
        out.add(new Handler<>("migrate", MigrateRequest.class,
                r -> VmResult.of(m.call(s -> s.migrate(r.vm(), r.host())))));
        out.add(new Handler<>("set", SetRequest.class, r -> {
            RestartPriority priority = priority(r.priority());
            return VmResult.of(m.call(s -> s.set(r.vm(), priority, r.ha(), r.alternate(), r.isolationResponse())));
        }));
    }

    /** {@code host-add}, {@code host-remove}, {@code maintenance}. */
    private static void hostChanges(OnManagement m, List<CommandHandler<?, ?>> out) {
        out.add(new Handler<>("host-add", HostAddRequest.class,
                r -> m.call(s -> s.addHost(r.host(), ResourceVector.of(r.capacity()))).summary()));
        out.add(new Handler<>("host-remove", HostRequest.class, r -> m.call(s -> s.removeHost(r.host())).summary()));
        out.add(new Handler<>("maintenance", MaintenanceRequest.class,
                r -> m.call(s -> s.maintenance(r.host(), r.on()))));
    }

    /** {@code why}, {@code status}, {@code what-if}. */
    private static void views(OnManagement m, Supplier<AdmissionPolicy> policy, Supplier<StorageAdapter> storage,
            LongSupplier clock, List<CommandHandler<?, ?>> out) {
        out.add(new Handler<WhyRequest, Object>("why", WhyRequest.class, r -> why(m, storage, clock, r)));
        out.add(new Handler<>("status", StatusRequest.class, r -> m.call(s -> status(s, policy.get()))));
        out.add(new Handler<>("what-if", WhatIfRequest.class, r -> {
            ClusterSnapshot snap = m.call(ManagementService::snapshot);
            for (HostView v : m.call(ManagementService::hosts)) {
                if (r.fail() != null && r.fail().contains(v.name())
                        && snap.hosts().stream().noneMatch(h -> h.name().equals(v.name()))) {
                    throw new CommandException(CommandException.CONFLICT, "host " + v.name() + " is not heard yet: "
                            + "it counts for nothing, so its failure changes nothing");
                }
            }
            try {
                return new HaPlanReport().liveReport(policy.get(), snap, r.fail());
            } catch (IllegalArgumentException e) {
                throw new CommandException(CommandException.NOT_FOUND, e.getMessage());
            }
        }));
    }

    /**
     * A VM's explanation, or a host's: the datastore's evidence is read here, on the caller's thread, so that a
     * slow datastore never holds up the management service.
     */
    private static Object why(OnManagement m, Supplier<StorageAdapter> storage, LongSupplier clock, WhyRequest r) {
        String name = r.name();
        if (m.call(s -> s.isVm(name, r.host() != null))) {
            return m.call(s -> s.why(name));
        }
        List<String> luns = m.call(ManagementService::luns);
        DatastoreEvidence ds = DatastoreEvidence.read(storage.get(), name, luns, clock.getAsLong());
        return m.call(s -> s.whyHost(name, ds));
    }

    private static RestartPriority priority(String p) {
        if (p == null) {
            return null;
        }
        try {
            return RestartPriority.valueOf(p.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (RestartPriority r : RestartPriority.values()) {
                names.add(r.name().toLowerCase(Locale.ROOT));
            }
            throw new CommandException(CommandException.BAD_REQUEST, "priority '" + p + "' is not one of "
                    + String.join(", ", names));
        }
    }

    /** The cluster summary: host and VM counts, hosts, and the admission policy's report. */
    static ClusterStatus status(ManagementService s, AdmissionPolicy policy) {
        Map<String, Integer> hostCounts = new TreeMap<>();
        for (HostState st : HostState.values()) {
            if (st != HostState.REMOVED) {
                hostCounts.put(st.name().toLowerCase(Locale.ROOT), 0);
            }
        }
        List<HostSummary> hostRows = new ArrayList<>();
        for (HostView v : s.hosts()) {
            hostCounts.merge(v.state().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            hostRows.add(v.summary());
        }
        ClusterSnapshot snap = s.snapshot();
        Map<String, Integer> vmCounts = new TreeMap<>();
        int protectedVms = 0;
        for (FailoverTableEntry e : snap.table().entries()) {
            vmCounts.merge(e.state().kind().toLowerCase(Locale.ROOT).replace('_', '-'), 1, Integer::sum);
            if (e.isProtected()) {
                protectedVms++;
            }
        }
        ClusterStatus.VmCounts vms = new ClusterStatus.VmCounts(snap.table().entries().size(), protectedVms, vmCounts);
        return new ClusterStatus(snap.table().version(), hostCounts, vms, admission(policy, snap), hostRows);
    }

    private static ClusterStatus.Admission admission(AdmissionPolicy policy, ClusterSnapshot snap) {
        if (policy == null) {
            return ClusterStatus.Admission.none();
        }
        AdmissionReport rep = policy.report(snap);
        return new ClusterStatus.Admission(rep.policy(), rep.met(), rep.failoverCapacityHosts(), rep.hostFailures(),
                Tolerance.describe(rep), rep.failoverCapacityHosts(), rep.failoverCapacityPercent(),
                rep.reservedPercent().isEmpty() ? null : rep.reservedPercent(),
                rep.failoverHosts().isEmpty() ? null : rep.failoverHosts(), rep.slotSize().amounts(),
                rep.slotsPerHost(), rep.totalSlots(), rep.usedSlots(), rep.usableSlots());
    }
}
