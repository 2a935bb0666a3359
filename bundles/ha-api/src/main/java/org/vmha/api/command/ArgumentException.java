/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Thrown by a request record of {@link org.vmha.api.command.request} when an argument is missing or its value does
 * not fit. It knows the argument and what was expected but not the command; {@link #forCommand} makes the
 * {@link CommandException#BAD_REQUEST} that the requester sees, for example
 * {@code argument 'vm' of command 'power-on' must be a string, got integer 12}.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ArgumentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String argument;
    private final String expected;
    private final boolean missing;
    private final String got;

    private ArgumentException(String argument, String expected, boolean missing, String got) {
        super(missing ? "argument '" + argument + "' is missing (" + expected + ")"
                : "argument '" + argument + "' must be " + expected + ", got " + got);
        this.argument = argument;
        this.expected = expected;
        this.missing = missing;
        this.got = got;
    }

    /**
     * @param argument the argument's name (a nested one as {@code capacity.cpuMhz} or {@code fail[0]})
     * @param expected what it must be, in words ("a string")
     * @return the exception for a missing argument
     */
    public static ArgumentException missing(String argument, String expected) {
        return new ArgumentException(argument, expected, true, null);
    }

    /**
     * @param argument the argument's name
     * @param expected what it must be, in words
     * @param value the value given, as JSON-compatible Java (String, Integer, Long, Double, Boolean, List, Map, null)
     * @return the exception for a value that does not fit
     */
    public static ArgumentException invalid(String argument, String expected, Object value) {
        return new ArgumentException(argument, expected, false, describe(value));
    }

    /**
     * @param value a string argument
     * @param argument its name
     * @return the value
     * @throws ArgumentException if it is null or blank
     */
    public static String requireText(String value, String argument) {
        if (value == null || value.isBlank()) {
            throw missing(argument, "a string");
        }
        return value;
    }

    /**
     * @param value a boolean argument
     * @param argument its name
     * @return the value
     * @throws ArgumentException if it is null
     */
    public static boolean requireBoolean(Boolean value, String argument) {
        if (value == null) {
            throw missing(argument, "true or false");
        }
        return value;
    }

    /**
     * @param value a JSON-compatible value
     * @return how an error message names it: {@code the string "x"}, {@code integer 12}, {@code an object}, …
     */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        String v = String.valueOf(value);
        return value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + (v.length() > 40 ? v.substring(0, 40)
                + "…" : v);
    }

    /** @return the argument's name */
    public String argument() {
        return argument;
    }

    /** @return what the argument must be, in words */
    public String expected() {
        return expected;
    }

    /** @return true if the argument is missing, false if its value does not fit */
    public boolean isMissing() {
        return missing;
    }

    /**
     * @param command the command whose request it was
     * @return the error for the requester, naming command, argument, expectation and what was given
     */
    public CommandException forCommand(String command) {
        return new CommandException(CommandException.BAD_REQUEST, missing ? "command '" + command
                + "' needs argument '" + argument + "' (" + expected + ")" : "argument '" + argument + "' of command '"
                + command + "' must be " + expected + ", got " + got);
    }
}
