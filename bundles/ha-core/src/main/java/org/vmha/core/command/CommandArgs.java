/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vmha.api.command.CommandException;

/**
 * The {@link CommandArgs} is responsible for reading a command's {@code args} object with typed accessors
 * that refuse what does not fit with a {@link CommandException#BAD_REQUEST} naming the argument, the
 * expected type and what was given; unknown arguments are refused too, so a misspelt option is never
 * silently ignored.
 * <p>
 * <b>Threading:</b> not thread-safe; one instance per request.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class CommandArgs {

    private final String command;
    private final Map<String, Object> args;

    /**
     * @param command the command name, for messages
     * @param args the request's args
     * @param allowed the argument names the command knows
     * @throws CommandException BAD_REQUEST naming an unknown argument
     */
    public CommandArgs(String command, Map<String, Object> args, String... allowed) {
        this.command = command;
        this.args = args == null ? Map.of() : args;
        Set<String> known = new TreeSet<>(List.of(allowed));
        for (String k : new TreeSet<>(this.args.keySet())) {
            if (!known.contains(k)) {
                throw new CommandException(CommandException.BAD_REQUEST, "command '" + command
                        + "' has no argument '" + k + "'" + (known.isEmpty() ? "; it takes none"
                                : "; it takes " + String.join(", ", known)));
            }
        }
    }

    /**
     * @param name the argument
     * @return its string value
     * @throws CommandException if missing, blank or not a string
     */
    public String requiredString(String name) {
        String v = optionalString(name);
        if (v == null || v.isBlank()) {
            throw new CommandException(CommandException.BAD_REQUEST, "command '" + command + "' needs argument '"
                    + name + "' (a string)");
        }
        return v;
    }

    /**
     * @param name the argument
     * @return its string value, or null if absent or JSON null
     * @throws CommandException if present with another type
     */
    public String optionalString(String name) {
        Object v = args.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw wrongType(name, "a string", v);
    }

    /**
     * @param name the argument
     * @return its boolean value, or null if absent
     * @throws CommandException if present with another type
     */
    public Boolean optionalBoolean(String name) {
        Object v = args.get(name);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw wrongType(name, "a boolean", v);
    }

    /**
     * @param name the argument
     * @return its boolean value
     * @throws CommandException if missing or of another type
     */
    public boolean requiredBoolean(String name) {
        Boolean b = optionalBoolean(name);
        if (b == null) {
            throw new CommandException(CommandException.BAD_REQUEST, "command '" + command + "' needs argument '"
                    + name + "' (true or false)");
        }
        return b;
    }

    /**
     * @param name the argument
     * @return its strings, empty if absent
     * @throws CommandException if not a list of strings
     */
    public List<String> stringList(String name) {
        Object v = args.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw wrongType(name, "a list of strings", v);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) {
                throw wrongType(name + "[" + i + "]", "a string", l.get(i));
            }
            out.add(s);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * @param name the argument
     * @return its value as a map of non-negative whole numbers (e.g. a capacity), null if absent
     * @throws CommandException if not an object of whole numbers
     */
    public Map<String, Long> amounts(String name) {
        Object v = args.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw wrongType(name, "an object of whole numbers, e.g. {\"cpuMhz\": 8000, \"memoryMb\": 16384}", v);
        }
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object n = e.getValue();
            if (!(n instanceof Integer || n instanceof Long) || ((Number) n).longValue() < 0) {
                throw wrongType(name + "." + e.getKey(), "a whole number >= 0", n);
            }
            out.put(String.valueOf(e.getKey()), ((Number) n).longValue());
        }
        return out;
    }

    /**
     * @param name the argument
     * @return true if the request has it (even as null)
     */
    public boolean has(String name) {
        return args.containsKey(name);
    }

    private CommandException wrongType(String name, String expected, Object got) {
        String kind = got == null ? "null" : got instanceof String ? "the string \"" + got + "\""
                : got instanceof Map ? "an object" : got instanceof List ? "a list" : got.getClass().getSimpleName()
                        .toLowerCase(java.util.Locale.ROOT) + " " + got;
        return new CommandException(CommandException.BAD_REQUEST, "argument '" + name + "' of command '" + command
                + "' must be " + expected + ", got " + kind);
    }
}
