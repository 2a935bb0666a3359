/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.ServiceReference;
import org.vmha.api.audit.AuditEntry;
import org.vmha.api.audit.AuditLog;
import org.vmha.api.audit.AuditQuery;
import org.vmha.api.command.CommandNames;
import org.vmha.core.audit.AuditTimes;
import org.vmha.core.command.NameSuggestions;


/**
 * The {@link AuditCommand} is responsible for {@code ha:audit}: the operator actions this node's audit log kept
 * (shell and NOC, across restarts), newest last, filtered by time, command and user.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "audit", description = "Shows who ran which command through which channel, with its "
        + "arguments and outcome (this node's audit log)")
public class AuditCommand extends HaCommandSupport {

    @Option(name = "--since", aliases = "-s", description = "Entries at or after this time: an ISO time "
            + "(2026-12-02T14:00:00Z), a date, or a duration back from now (30m, 1h, 2d)")
    String since;

    @Option(name = "--type", aliases = "-t", description = "Only this command (power-off, migrate, set, host-add, "
            + "maintenance, status, ...)")
    @Completion(value = StringsCompleter.class, values = {"power-on", "power-off", "migrate", "set", "host-add",
        "host-remove", "maintenance", "status", "why", "what-if", "plan"})
    String type;

    @Option(name = "--user", aliases = "-u", description = "Only this user")
    String user;

    @Option(name = "-n", aliases = "--max", description = "How many of the newest entries to show (default 50)")
    int max = 50;

    @Option(name = "--json", description = "Print the entries as JSON, as the audit file has them, for scripts")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    /** Now, for a {@code --since} duration (tests fix it). */
    Clock clock = Clock.systemUTC();

    @Override
    protected Object doExecute() throws Exception {
        if (max < 0) {
            throw new IllegalArgumentException("-n must be >= 0, got " + max);
        }
        Instant from = since == null ? null : AuditTimes.since(since, clock);
        if (type != null && !known().contains(type)) {
            String close = NameSuggestions.closest(type, known());
            throw new IllegalArgumentException("--type must be a command name (" + String.join(", ", known())
                    + "), got '" + text(type) + "'" + (close == null ? "" : "; did you mean " + close + "?"));
        }
        Collection<ServiceReference<AuditLog>> refs = bundleContext.getServiceReferences(AuditLog.class, null);
        if (refs == null || refs.isEmpty()) {
            throw new IllegalStateException("no audit log on this node (feature ha-routes)");
        }
        ServiceReference<AuditLog> ref = refs.iterator().next();
        AuditLog log = bundleContext.getService(ref);
        if (log == null) {
            throw new IllegalStateException("the audit log went away while ha:audit ran");
        }
        List<AuditEntry> entries;
        try {
            entries = log.query(new AuditQuery(from, type, user, max));
        } finally {
            bundleContext.ungetService(ref);
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            entries.forEach(e -> rows.add(map(e)));
            printJson(rows);
            return null;
        }
        ShellTable t = new ShellTable().emptyTableText("no audit entries" + (type == null ? "" : " of command " + type)
                + (user == null ? "" : " by user " + user) + (since == null ? "" : " since " + since));
        for (String c : List.of("Time", "User", "Channel", "Command", "Kind", "Arguments", "Outcome")) {
            t.column(c);
        }
        for (AuditEntry e : entries) {
            t.addRow().addContent(cells(DateTimeFormatter.ISO_INSTANT.format(e.time()), e.user(), e.channel(),
                    e.command(), e.kind(), arguments(e.args()), outcome(e)));
        }
        t.print(out(), !noFormat);
        return null;
    }

    private static TreeSet<String> known() {
        TreeSet<String> names = new TreeSet<>(CommandNames.MANAGEMENT);
        names.add(CommandNames.PLAN);
        return names;
    }

    /** @return {@code vm=VM05 host=H2}; a nested value as compact JSON; "-" for none */
    static String arguments(Map<String, Object> args) {
        return Readable.pairs(args);
    }

    /** @return {@code ok}, or {@code error CONFLICT: VM05 is already off}, {@code refused BAD_REQUEST: …} */
    static String outcome(AuditEntry e) {
        if (AuditEntry.OK.equals(e.outcome())) {
            return e.outcome();
        }
        return e.outcome() + (e.code() == null ? "" : " " + e.code()) + (e.message() == null ? "" : ": "
                + e.message());
    }

    private static Map<String, Object> map(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", DateTimeFormatter.ISO_INSTANT.format(e.time()));
        m.put("user", e.user());
        m.put("channel", e.channel());
        m.put("command", e.command());
        m.put("kind", e.kind());
        m.put("outcome", e.outcome());
        if (e.code() != null) {
            m.put("code", e.code());
        }
        if (e.message() != null) {
            m.put("message", e.message());
        }
        m.put("args", e.args());
        return m;
    }
}
