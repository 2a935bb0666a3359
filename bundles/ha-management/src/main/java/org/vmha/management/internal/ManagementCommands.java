/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.HostState;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.ResourceVector;
import org.vmha.management.HostView;
import org.vmha.management.ManagementService;
import org.vmha.management.VmResult;
import org.vmha.core.command.CommandArgs;
import org.vmha.core.inventory.HaPlanReport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link ManagementCommands} is responsible for the operators' commands that the management service
 * carries out, as {@link CommandHandler}s: the NOC sends them on {@code ha.commands}, and the Karaf shell's
 * {@code ha:*} commands call the same handlers, so both surfaces validate and answer alike.
 * <ul>
 * <li>changes: {@code power-on}, {@code power-off}, {@code migrate}, {@code set}, {@code host-add},
 * {@code host-remove}, {@code maintenance};</li>
 * <li>views: {@code status} (cluster summary, hosts, admission report), {@code why}, {@code what-if}
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

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    /** The names of the commands {@link #handlers} provides. */
    static final List<String> NAMES = org.vmha.api.command.CommandNames.MANAGEMENT;

    private ManagementCommands() {
    }

    /** One command, by name. */
    private record Handler(String name, Function<Map<String, Object>, Map<String, Object>> body)
            implements CommandHandler {
        @Override
        public Map<String, Object> handle(Map<String, Object> args) {
            return body.apply(args == null ? Map.of() : args);
        }
    }

    /**
     * @param m runs work on the management thread
     * @param policy the admission policy in force, or null
     * @return one handler per name of {@link #NAMES}
     */
    static List<CommandHandler> handlers(OnManagement m, Supplier<AdmissionPolicy> policy) {
        List<CommandHandler> out = new ArrayList<>();
        vmChanges(m, out);
        hostChanges(m, out);
        views(m, policy, out);
        return out;
    }

    /** {@code power-on}, {@code power-off}, {@code migrate}, {@code set}. */
    private static void vmChanges(OnManagement m, List<CommandHandler> out) {
        out.add(new Handler("power-on", a -> {
            CommandArgs args = new CommandArgs("power-on", a, "vm", "host");
            String vm = args.requiredString("vm");
            String host = args.optionalString("host");
            return entry(m.call(s -> s.powerOn(vm, host)));
        }));
        out.add(new Handler("power-off", a -> {
            String vm = new CommandArgs("power-off", a, "vm").requiredString("vm");
            return entry(m.call(s -> s.powerOff(vm)));
        }));
        out.add(new Handler("migrate", a -> {
            CommandArgs args = new CommandArgs("migrate", a, "vm", "host");
            String vm = args.requiredString("vm");
            String host = args.requiredString("host");
            return entry(m.call(s -> s.migrate(vm, host)));
        }));
        out.add(new Handler("set", a -> {
            CommandArgs args = new CommandArgs("set", a, "vm", "priority", "ha", "alternate", "isolationResponse");
            String vm = args.requiredString("vm");
            RestartPriority priority = priority(args.optionalString("priority"));
            Boolean ha = args.optionalBoolean("ha");
            String alternate = args.has("alternate") ? args.optionalString("alternate") : null;
            String alt = args.has("alternate") && alternate == null ? "" : alternate;
            String isolation = args.optionalString("isolationResponse");
            return entry(m.call(s -> s.set(vm, priority, ha, alt, isolation)));
        }));
    }

    /** {@code host-add}, {@code host-remove}, {@code maintenance}. */
    private static void hostChanges(OnManagement m, List<CommandHandler> out) {
        out.add(new Handler("host-add", a -> {
            CommandArgs args = new CommandArgs("host-add", a, "host", "capacity");
            String host = args.requiredString("host");
            Map<String, Long> cap = args.amounts("capacity");
            if (cap == null) {
                throw new CommandException(CommandException.BAD_REQUEST,
                        "command 'host-add' needs argument 'capacity', e.g. {\"cpuMhz\": 8000, \"memoryMb\": 16384}");
            }
            return host(m.call(s -> s.addHost(host, ResourceVector.of(cap))));
        }));
        out.add(new Handler("host-remove", a -> {
            String host = new CommandArgs("host-remove", a, "host").requiredString("host");
            return host(m.call(s -> s.removeHost(host)));
        }));
        out.add(new Handler("maintenance", a -> {
            CommandArgs args = new CommandArgs("maintenance", a, "host", "on");
            String host = args.requiredString("host");
            boolean on = args.requiredBoolean("on");
            return m.call(s -> s.maintenance(host, on)).toMap();
        }));
    }

    /** {@code why}, {@code status}, {@code what-if}. */
    private static void views(OnManagement m, Supplier<AdmissionPolicy> policy, List<CommandHandler> out) {
        out.add(new Handler("why", a -> {
            String vm = new CommandArgs("why", a, "vm").requiredString("vm");
            return m.call(s -> s.why(vm)).toMap();
        }));
        out.add(new Handler("status", a -> {
            new CommandArgs("status", a);
            return m.call(s -> status(s, policy.get()));
        }));
        out.add(new Handler("what-if", a -> {
            List<String> fail = new CommandArgs("what-if", a, "fail").stringList("fail");
            ClusterSnapshot snap = m.call(ManagementService::snapshot);
            try {
                return new ObjectMapper().convertValue(new HaPlanReport().liveReport(policy.get(), snap, fail), MAP);
            } catch (IllegalArgumentException e) {
                throw new CommandException(CommandException.NOT_FOUND, e.getMessage());
            }
        }));
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

    /** @return the entry as a reply result */
    static Map<String, Object> entry(FailoverTableEntry e) {
        return VmResult.of(e).toMap();
    }

    /** @return the host view as a reply result */
    static Map<String, Object> host(HostView v) {
        return v.toMap();
    }

    /** The cluster summary: host and VM counts, hosts, and the admission policy's report. */
    static Map<String, Object> status(ManagementService s, AdmissionPolicy policy) {
        Map<String, Object> r = new LinkedHashMap<>();
        List<HostView> hosts = s.hosts();
        Map<String, Integer> hostCounts = new TreeMap<>();
        for (HostState st : HostState.values()) {
            if (st != HostState.REMOVED) {
                hostCounts.put(st.name().toLowerCase(Locale.ROOT), 0);
            }
        }
        List<Map<String, Object>> hostRows = new ArrayList<>();
        for (HostView v : hosts) {
            hostCounts.merge(v.state().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            hostRows.add(host(v));
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
        Map<String, Object> vms = new LinkedHashMap<>();
        vms.put("total", snap.table().entries().size());
        vms.put("protected", protectedVms);
        vms.put("byState", vmCounts);
        r.put("tableVersion", snap.table().version());
        r.put("hostCounts", hostCounts);
        r.put("vms", vms);
        Map<String, Object> adm = new LinkedHashMap<>();
        if (policy == null) {
            adm.put("policy", "none");
        } else {
            AdmissionReport rep = policy.report(snap);
            adm.put("policy", rep.policy());
            adm.put("hostFailures", rep.hostFailures());
            adm.put("failoverCapacityHosts", rep.failoverCapacityHosts());
            adm.put("failoverCapacityPercent", rep.failoverCapacityPercent());
            adm.put("slotSize", rep.slotSize().amounts());
            adm.put("slotsPerHost", rep.slotsPerHost());
            adm.put("totalSlots", rep.totalSlots());
            adm.put("usedSlots", rep.usedSlots());
            adm.put("usableSlots", rep.usableSlots());
        }
        r.put("admission", adm);
        r.put("hosts", hostRows);
        return r;
    }
}
