/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.ServiceReference;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventHistory;
import org.vmha.api.event.EventTypes;
import org.vmha.core.event.EventRing;
import org.vmha.core.command.NameSuggestions;

/**
 * The {@link EventsCommand} is responsible for {@code ha:events}: the events this node received on
 * {@code ha.events} (from every node), newest last, filtered by type, each event's data as {@code key=value ...}
 * ({@code by=H2 host=H3}); {@code --follow} prints new ones as they arrive, as rows of the same columns, until
 * interrupted (Ctrl-C).
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "events", description = "Shows the HA events this node received, optionally "
        + "filtered by type, and follows new ones")
public class EventsCommand extends HaCommandSupport {

    private static final String PREFIX = "org.vmha.";

    @Option(name = "--type", aliases = "-t", description = "Type or type prefix, with or without org.vmha., "
            + "e.g. vm.restarted or host")
    String type;

    @Option(name = "-n", aliases = "--max", description = "How many of the newest events to show (default 50)")
    int max = 50;

    @Option(name = "--follow", aliases = "-f", description = "Keep printing new events until interrupted (Ctrl-C)")
    boolean follow;

    @Option(name = "--json", description = "Print the events as CloudEvents JSON, for scripts")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Override
    protected Object doExecute() throws Exception {
        if (max < 0) {
            throw new IllegalArgumentException("-n must be >= 0, got " + max);
        }
        Collection<ServiceReference<EventHistory>> refs = bundleContext.getServiceReferences(EventHistory.class, null);
        if (refs.isEmpty()) {
            throw new IllegalStateException("no event history on this node (feature ha-routes)");
        }
        ServiceReference<EventHistory> ref = refs.iterator().next();
        EventHistory history = bundleContext.getService(ref);
        try {
            if (type != null) {
                checkType(type, history);
            }
            List<CloudEvent> events = history.recent(max, type);
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                events.forEach(e -> rows.add(map(e)));
                printJson(rows);
            } else {
                ShellTable t = table().emptyTableText("no events" + (type == null ? "" : " of type " + type));
                for (CloudEvent e : events) {
                    t.addRow().addContent(cells(row(e)));
                }
                t.print(out(), !noFormat);
            }
            if (follow) {
                follow(history);
            }
        } finally {
            bundleContext.ungetService(ref);
        }
        return null;
    }

    private void follow(EventHistory history) throws Exception {
        BlockingQueue<CloudEvent> queue = new LinkedBlockingQueue<>(10_000);
        try (AutoCloseable sub = history.follow(type, queue::offer)) {
            while (!Thread.currentThread().isInterrupted()) {
                CloudEvent e = queue.poll(500, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                if (json) {
                    printJson(map(e));
                } else {
                    // a row of the table: its columns, in its order, with its separator
                    ShellTable t = table().noHeaders();
                    t.addRow().addContent(cells(row(e)));
                    t.print(out(), !noFormat);
                }
                out().flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the table of the events: Time, Type, Subject, Source, Data */
    private static ShellTable table() {
        ShellTable t = new ShellTable();
        for (String c : List.of("Time", "Type", "Subject", "Source", "Data")) {
            t.column(c);
        }
        return t;
    }

    /** @return the Time, Type, Subject, Source and Data cells of an event: its data as {@code key=value ...} */
    private static Object[] row(CloudEvent e) {
        return new Object[] {DateTimeFormatter.ISO_INSTANT.format(e.time()), e.type(), e.subject(), e.source(),
            Readable.sortedPairs(e.data())};
    }

    /**
     * @param type a {@code --type} value
     * @param history the node's history, whose types count as known too (another version's, a test's)
     * @throws IllegalArgumentException naming it, with the known types, when it is neither one of {@link EventTypes}
     *         or of the history nor a prefix of one (with or without {@code org.vmha.})
     */
    static void checkType(String type, EventHistory history) {
        java.util.Set<String> known = new java.util.TreeSet<>(knownTypes());
        if (matchesAny(known, type)) {
            return;
        }
        for (CloudEvent e : history.recent(Integer.MAX_VALUE, null)) {
            if (e.type() != null && e.type().startsWith(PREFIX) && e.type().indexOf('.', PREFIX.length()) > 0) {
                known.add(e.type());
            }
        }
        if (matchesAny(known, type)) {
            return;
        }
        java.util.Set<String> prefixes = new java.util.TreeSet<>();
        List<String> shortNames = new ArrayList<>();
        for (String k : known) {
            String s = k.substring(PREFIX.length());
            shortNames.add(s);
            prefixes.add(s.substring(0, s.indexOf('.')));
        }
        String given = type.startsWith(PREFIX) ? type.substring(PREFIX.length()) : type;
        List<String> candidates = new ArrayList<>(prefixes);
        candidates.addAll(shortNames);
        String close = NameSuggestions.closest(given, candidates);
        throw new IllegalArgumentException("--type: unknown event type '" + type + "'"
                + (close == null ? "" : "; did you mean " + close + "?") + " (prefixes: " + String.join(", ", prefixes)
                + "; types: " + String.join(", ", shortNames) + ")");
    }

    private static boolean matchesAny(java.util.Set<String> types, String filter) {
        for (String k : types) {
            if (EventRing.matches(k, filter)) {
                return true;
            }
        }
        return false;
    }

    /** @return every event type of {@link EventTypes}, sorted */
    static List<String> knownTypes() {
        List<String> out = new ArrayList<>();
        for (java.lang.reflect.Field f : EventTypes.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    Object v = f.get(null);
                    if (v instanceof String s && s.startsWith(PREFIX) && s.indexOf('.', PREFIX.length()) > 0) {
                        out.add(s);
                    }
                } catch (IllegalAccessException e) {
                    // not readable: left out
                }
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    private static Map<String, Object> map(CloudEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("specversion", "1.0");
        m.put("id", e.id());
        m.put("source", e.source());
        m.put("type", e.type());
        m.put("time", DateTimeFormatter.ISO_INSTANT.format(e.time()));
        m.put("subject", e.subject());
        m.put("data", e.data());
        return m;
    }
}
