/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.ServiceReference;
import org.vmha.api.messaging.DeadLetters;
import org.vmha.api.messaging.MessageRefusals;

/**
 * The {@link DlqCommand} is responsible for {@code ha:dlq}: the embedded broker's dead-letter queue (what the
 * nodes refused and kept: malformed messages with a valid HMAC, command requests with a bad or missing reply-to,
 * messages whose deliveries failed), with the reason, the user who sent each and a short escaped prefix of its
 * body, the queue's limits, and what this node's consumers refused without keeping it (bad HMAC, oversized,
 * unknown hosts …). {@code --purge} empties the queue. Admin only ({@code etc/org.apache.karaf.command.acl.ha.cfg}).
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "dlq", description = "Lists (or purges) the dead-letter queue DLQ and what this node's "
        + "consumers refused")
public class DlqCommand extends HaCommandSupport {

    @Option(name = "-n", aliases = "--max", description = "How many of the oldest dead letters to show (default 50)")
    int max = 50;

    @Option(name = "--purge", description = "Remove every message of the dead-letter queue")
    boolean purge;

    @Option(name = "--json", description = "Print as JSON")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Override
    protected Object doExecute() throws Exception {
        if (max < 0) {
            throw new IllegalArgumentException("-n must be >= 0, got " + max);
        }
        Collection<ServiceReference<DeadLetters>> refs = bundleContext.getServiceReferences(DeadLetters.class, null);
        if (refs.isEmpty()) {
            throw new IllegalStateException("no embedded broker on this node (feature ha-broker): its dead-letter "
                    + "queue is on the broker's own node");
        }
        ServiceReference<DeadLetters> ref = refs.iterator().next();
        DeadLetters dlq = bundleContext.getService(ref);
        try {
            if (purge) {
                out().println("Purged " + dlq.purge() + " message(s) from DLQ");
                return null;
            }
            List<DeadLetters.Letter> letters = dlq.list(max);
            Map<String, Long> refused = refusals();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("count", dlq.count());
                m.put("limits", dlq.limits());
                List<Map<String, Object>> rows = new ArrayList<>();
                for (DeadLetters.Letter l : letters) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("id", l.id());
                    r.put("time", l.timestampMillis() > 0 ? Instant.ofEpochMilli(l.timestampMillis()).toString() : null);
                    r.put("address", l.originalAddress());
                    r.put("user", l.user());
                    r.put("reason", l.reason());
                    r.put("bodyChars", l.bodyChars());
                    r.put("body", l.bodyPrefix());
                    rows.add(r);
                }
                m.put("messages", rows);
                m.put("refusedByThisNode", refused);
                printJson(m);
                return null;
            }
            out().println("DLQ holds " + dlq.count() + " message(s); " + text(dlq.limits()));
            ShellTable t = new ShellTable().emptyTableText("the dead-letter queue is empty");
            for (String c : List.of("Time", "Address", "User", "Reason", "Size", "Body")) {
                t.column(c);
            }
            for (DeadLetters.Letter l : letters) {
                t.addRow().addContent(cells(l.timestampMillis() > 0
                        ? DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(l.timestampMillis())) : "-",
                        l.originalAddress(), l.user(), l.reason(), l.bodyChars() < 0 ? "-" : l.bodyChars() + " chars",
                        l.bodyPrefix()));
            }
            t.print(out(), !noFormat);
            out().println();
            out().println("Refused by this node's consumers and not kept: " + (refused.isEmpty() ? "none"
                    : text(Readable.pairs(new java.util.TreeMap<>(refused)))));
        } finally {
            bundleContext.ungetService(ref);
        }
        return null;
    }

    private Map<String, Long> refusals() throws Exception {
        Collection<ServiceReference<MessageRefusals>> refs = bundleContext.getServiceReferences(MessageRefusals.class,
                null);
        if (refs.isEmpty()) {
            return Map.of();
        }
        ServiceReference<MessageRefusals> ref = refs.iterator().next();
        MessageRefusals r = bundleContext.getService(ref);
        try {
            return r == null ? Map.of() : r.counts();
        } finally {
            bundleContext.ungetService(ref);
        }
    }
}
