/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An {@link AuditEntry} is responsible for one operator action as the {@link AuditLog} keeps it.
 *
 * @param time when the command was dispatched (null: the log stamps it with its clock when it records it)
 * @param user who sent it: the shell session's JAAS user, the broker-validated user of a NOC request; null if unknown
 * @param channel how it came: {@value #SHELL} (the local console), {@value #SSH}, or the broker protocol of a NOC
 *        request ({@code amqp}, {@code core}, {@code stomp}, {@code mqtt}; {@value #NOC} when the broker did not say)
 * @param command the command name ({@code power-off}, {@code status}, …; the NOC name, also for the shell), null when
 *        the request named none
 * @param kind {@value #READ} for a command that only reads ({@link #READ_COMMANDS}), else {@value #CHANGE}
 * @param args the arguments as JSON values (String, Number, Boolean, List, Map, null), absent ones left out; empty
 *        when there were none
 * @param outcome {@value #OK}, {@value #ERROR} (the handler ran and answered an error) or {@value #REFUSED} (it never
 *        ran: bad arguments, not permitted, too large, unavailable)
 * @param code the error code ({@code CONFLICT}, {@code BAD_REQUEST}, …), null when ok
 * @param message what went wrong, in words, null when ok
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record AuditEntry(Instant time, String user, String channel, String command, String kind,
        Map<String, Object> args, String outcome, String code, String message) {

    /** Channel of the local Karaf console. */
    public static final String SHELL = "shell";

    /** Channel of a Karaf shell over SSH. */
    public static final String SSH = "ssh";

    /** Channel of a NOC request whose broker protocol is not known. */
    public static final String NOC = "noc";

    /** Kind of a command that only reads. */
    public static final String READ = "read";

    /** Kind of a command that may change the cluster. */
    public static final String CHANGE = "change";

    /** Outcome of a command that the handler answered. */
    public static final String OK = "ok";

    /** Outcome of a command whose handler answered an error. */
    public static final String ERROR = "error";

    /** Outcome of a command that never reached its handler. */
    public static final String REFUSED = "refused";

    /** The commands that only read; every other one is a {@value #CHANGE}. */
    public static final Set<String> READ_COMMANDS = Set.of("status", "why", "what-if", "plan");

    /**
     * Copies {@code args}, keeping its order; a null one becomes empty.
     */
    public AuditEntry {
        args = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /**
     * @param command a command name, may be null
     * @return {@value #READ} or {@value #CHANGE}
     */
    public static String kindOf(String command) {
        return command != null && READ_COMMANDS.contains(command) ? READ : CHANGE;
    }

    /**
     * @param time the time
     * @return this entry at that time
     */
    public AuditEntry at(Instant time) {
        return new AuditEntry(time, user, channel, command, kind, args, outcome, code, message);
    }
}
