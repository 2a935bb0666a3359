/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import org.vmha.core.event.MalformedMessageException;

/**
 * The {@link JsonLimits} are responsible for refusing, before Jackson sees it, JSON text that is too large, nested
 * too deep, or carries a string, a number or a count of values beyond what any vmha message needs. Jackson 2.14 (the
 * version the Karaf features resolve) has no {@code StreamReadConstraints}, and converting a deeply nested tree into
 * maps recurses until the stack overflows, so every consumer runs this linear scan first: one pass over the
 * characters, no allocation, strings and escapes honoured. Invalid JSON that stays within the limits passes the scan
 * and is reported by the parser as before.
 * <p>
 * The limits per consumer are in {@link #HEARTBEAT}, {@link #TABLE}, {@link #EVENT} and {@link #COMMAND}
 * (docs/security-messaging.md).
 * <p>
 * <b>Threading:</b> immutable, thread-safe.
 *
 * @param maxChars the largest text, in UTF-16 characters (a UTF-8 message is at least as many bytes)
 * @param maxDepth the deepest nesting of objects and arrays
 * @param maxStringChars the longest string (member names included), in characters after unescaping
 * @param maxNumberChars the longest number literal
 * @param maxValues the most values (scalars, objects and arrays) in the whole text
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record JsonLimits(int maxChars, int maxDepth, int maxStringChars, int maxNumberChars, int maxValues) {

    /** A host heartbeat: a few hundred bytes. */
    public static final JsonLimits HEARTBEAT = new JsonLimits(4_096, 8, 256, 24, 512);

    /**
     * A table update: a full table of 5,000 VMs is about 1.3 MB of JSON (measured in JsonLimitsTest); the largest
     * accepted is 4 MiB, which also bounds the broker's per-address limit of {@code ha.table}.
     */
    public static final JsonLimits TABLE = new JsonLimits(4 * 1024 * 1024, 16, 1_024, 24, 400_000);

    /** A CloudEvent on {@code ha.events}. */
    public static final JsonLimits EVENT = new JsonLimits(64 * 1024, 16, 8_192, 24, 8_192);

    /** A NOC command request; {@code maxRequestBytes} of {@code etc/org.vmha.commands.cfg} may lower the size. */
    public static final JsonLimits COMMAND = new JsonLimits(16 * 1024 * 1024, 32, 64 * 1024, 32, 200_000);

    public JsonLimits {
        if (maxChars < 2 || maxDepth < 1 || maxStringChars < 1 || maxNumberChars < 1 || maxValues < 1) {
            throw new IllegalArgumentException("JSON limits must be positive: " + maxChars + "/" + maxDepth + "/"
                    + maxStringChars + "/" + maxNumberChars + "/" + maxValues);
        }
    }

    /**
     * @param chars a different largest text
     * @return these limits with that size
     */
    public JsonLimits withMaxChars(int chars) {
        return new JsonLimits(chars, maxDepth, maxStringChars, maxNumberChars, maxValues);
    }

    /**
     * Thrown when a text exceeds a limit; a {@link MalformedMessageException}, so every consumer treats it as one.
     */
    public static final class LimitExceededException extends MalformedMessageException {

        private static final long serialVersionUID = 1L;

        private final boolean tooLarge;

        LimitExceededException(String message, boolean tooLarge) {
            super(message);
            this.tooLarge = tooLarge;
        }

        /** @return true if the text as a whole was too large (rather than too deep or too long inside) */
        public boolean tooLarge() {
            return tooLarge;
        }
    }

    /**
     * Scans a text.
     *
     * @param json the text (null and empty pass: the parser reports them)
     * @param what what the text is, for the message ({@code heartbeat}, {@code command request} …)
     * @throws LimitExceededException naming the first limit exceeded and where
     */
    public void check(String json, String what) {
        if (json == null) {
            return;
        }
        int n = json.length();
        if (n > maxChars) {
            throw new LimitExceededException(what + " of " + n + " characters exceeds the limit of " + maxChars, true);
        }
        int depth = 0;
        int values = 0;
        int i = 0;
        while (i < n) {
            char c = json.charAt(i);
            switch (c) {
                case '{', '[' -> {
                    if (++depth > maxDepth) {
                        throw new LimitExceededException(what + " nests deeper than " + maxDepth + " levels (at character "
                                + i + ")", false);
                    }
                    values = count(values, what, i);
                    i++;
                }
                case '}', ']' -> {
                    depth = Math.max(0, depth - 1);
                    i++;
                }
                case '"' -> {
                    int start = i;
                    int len = 0;
                    i++;
                    while (i < n) {
                        char s = json.charAt(i);
                        if (s == '"') {
                            break;
                        }
                        if (s == '\\') {
                            // a backslash-u escape is one character, any other escape too; a truncated escape is the parser's problem
                            i += i + 1 < n && json.charAt(i + 1) == 'u' ? 6 : 2;
                        } else {
                            i++;
                        }
                        if (++len > maxStringChars) {
                            throw new LimitExceededException(what + " has a string longer than " + maxStringChars
                                    + " characters (starting at character " + start + ")", false);
                        }
                    }
                    i++;
                    values = count(values, what, start);
                }
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                    int start = i;
                    while (i < n && isNumberChar(json.charAt(i))) {
                        i++;
                    }
                    if (i - start > maxNumberChars) {
                        throw new LimitExceededException(what + " has a number longer than " + maxNumberChars
                                + " characters (at character " + start + ")", false);
                    }
                    values = count(values, what, start);
                }
                case 't', 'f', 'n' -> {
                    values = count(values, what, i);
                    i++;
                    while (i < n && Character.isLetter(json.charAt(i))) {
                        i++;
                    }
                }
                default -> i++;
            }
        }
    }

    private int count(int values, String what, int at) {
        if (values + 1 > maxValues) {
            throw new LimitExceededException(what + " has more than " + maxValues + " values (at character " + at + ")",
                    false);
        }
        return values + 1;
    }

    private static boolean isNumberChar(char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    }
}
