/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import org.vmha.core.security.SafeText;

/**
 * The {@link ShellError} is responsible for the one error style of the {@code ha:*} commands: a single line
 * {@code Error: <what>} naming the bad argument (with the closest known name when the handler or the command found
 * one), without ANSI colour codes, on a terminal or not (a {@code bin/client -b} batch, a pipe).
 * <p>
 * Karaf prints what a command throws with {@code ShellUtil.logException}: most exceptions as a red (ANSI)
 * {@code Error executing command: …}, whatever the output is, and an exception named {@code CommandException} as the
 * text of its {@code getNiceHelp()}, unchanged and logged at debug level only. {@link HaCommandSupport#execute} turns
 * what an operator can get wrong ({@link IllegalArgumentException}, {@link IllegalStateException}, a handler's
 * {@link org.vmha.api.command.CommandException}) into {@link CommandException}, whose nice help is that one line; the
 * session still sees a failed command (exit status 1 in batch mode). Anything else (a bug) reaches Karaf unchanged,
 * so that its stack trace is logged.
 *
 * @author vmha - Initial contribution
 */
public final class ShellError {

    private ShellError() {
    }

    /**
     * @param e what a command threw
     * @return the exception Karaf prints as one plain line, or {@code e} itself when it is none an operator caused
     */
    static Exception of(Exception e) {
        if (e instanceof CommandException) {
            return e;
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof org.vmha.api.command.CommandException) {
            return new CommandException((RuntimeException) e);
        }
        return e;
    }

    /**
     * @param message what was wrong, may span lines
     * @return {@code Error: <message>} on one line, control characters escaped
     */
    static String line(String message) {
        String m = message == null || message.isBlank() ? "the command failed" : message.strip();
        // text escaped before (a handler's message quoting a name) passes unchanged, as on the console
        return "Error: " + SafeText.forTerminal(m.replaceAll("\\s*\\R\\s*", " ").replace('\t', ' '));
    }

    /**
     * A command's error as Karaf prints it: {@link #getNiceHelp()}. Its message and cause are the original's, so that
     * callers (and tests) still see what was thrown.
     */
    public static final class CommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandException(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }

        /** @return {@code Error: <what>}, one line (Karaf's {@code ShellUtil.logException} prints it as it is) */
        public String getNiceHelp() {
            return line(getMessage());
        }
    }
}
