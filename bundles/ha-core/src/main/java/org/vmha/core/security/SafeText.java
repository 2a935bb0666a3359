/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

/**
 * The {@link SafeText} is responsible for making text that came from a message safe to print on a terminal or
 * to write into a log line: control characters (C0, DEL, C1), bidirectional overrides and isolates, zero-width
 * and invisible formatting characters, line and paragraph separators, lone surrogates and non-characters are
 * replaced by a visible escape (backslash-n, backslash-t, backslash-u-202E …), and the backslash itself is doubled so
 * that an escape in the input cannot pass for one of ours. Everything else, including printable non-ASCII text
 * (VM names in any script), is kept as it is.
 * <p>
 * {@link #prefix} gives at most a short, escaped prefix of a payload, for log lines and error headers that must
 * not carry a whole bad message.
 * <p>
 * <b>Threading:</b> stateless, thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class SafeText {

    /** Characters of a payload a log line or error header carries at most. */
    public static final int DEFAULT_PREFIX = 120;

    private SafeText() {
    }

    /**
     * @param text any text, may be null
     * @return the text with every unsafe character escaped; {@code null} stays {@code null}
     */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int i = 0;
        while (i < n && isPlain(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder out = new StringBuilder(n + 16);
        out.append(text, 0, i);
        appendEscaped(out, text, i, n);
        return out.toString();
    }

    /**
     * The terminal form: like {@link #escape} but keeps line feeds and tabs (the layout of what a command prints) and
     * leaves backslashes alone, so text escaped before passes unchanged. This is the last line of defence of every
     * {@code ha:*} command's console; the cells of a table are escaped with {@link #escape} before.
     *
     * @param text any text, may be null
     * @return the text with every unsafe character but LF and TAB escaped
     */
    public static String forTerminal(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t') {
                i++;
            } else {
                break;
            }
        }
        if (i == n) {
            return text;
        }
        StringBuilder out = new StringBuilder(n + 16);
        for (int k = 0; k < n; k++) {
            char c = text.charAt(k);
            if (c == '\n' || c == '\t' || c == '\\') {
                out.append(c);
            } else if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(text.charAt(k + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(k + 1));
                if (unsafe(cp)) {
                    out.append(String.format("\\u{%X}", cp));
                } else {
                    out.append(c).append(text.charAt(k + 1));
                }
                k++;
            } else if (unsafe(c)) {
                out.append(c == '\r' ? "\\r" : String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * @param value any value; its {@link String#valueOf} is escaped
     * @return the escaped text, {@code "-"} for null
     */
    public static String of(Object value) {
        return value == null ? "-" : escape(String.valueOf(value));
    }

    /**
     * @param text a payload, may be null
     * @param max how many characters of it to keep at most
     * @return its first {@code max} characters, escaped, followed by {@code …(N chars)} when it was longer
     */
    public static String prefix(String text, int max) {
        if (text == null) {
            return "<none>";
        }
        int keep = Math.max(0, Math.min(max, text.length()));
        // never cut a surrogate pair in two: a lone surrogate would be escaped, which is still safe but misleading
        if (keep > 0 && keep < text.length() && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        StringBuilder out = new StringBuilder(keep + 24);
        appendEscaped(out, text, 0, keep);
        if (keep < text.length()) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /**
     * @param text a payload
     * @return {@link #prefix(String, int)} with {@value #DEFAULT_PREFIX} characters
     */
    public static String prefix(String text) {
        return prefix(text, DEFAULT_PREFIX);
    }

    /**
     * @param text any text
     * @return true if {@link #escape} would change it
     */
    public static boolean needsEscaping(String text) {
        return text != null && !escape(text).equals(text);
    }

    private static boolean isPlain(char c) {
        return c >= 0x20 && c < 0x7f && c != '\\';
    }

    private static void appendEscaped(StringBuilder out, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (isPlain(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, text.charAt(i + 1));
                        if (unsafe(cp)) {
                            out.append(String.format("\\u{%X}", cp));
                        } else {
                            out.append(c).append(text.charAt(i + 1));
                        }
                        i++;
                    } else if (unsafe(c)) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /**
     * @param cp a code point
     * @return true if it must not reach a terminal or a log as it is
     */
    static boolean unsafe(int cp) {
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
            return true; // C0, DEL, C1 (ESC, CSI …)
        }
        if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
            return true; // a lone surrogate
        }
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F
                || cp == 0x061C) {
            return true; // bidi embeddings, overrides, isolates and marks
        }
        if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD || cp == 0x180E) {
            return true; // zero-width and invisible formatting
        }
        if (cp == 0x2028 || cp == 0x2029 || cp == 0x0085) {
            return true; // line and paragraph separators
        }
        if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
            return true; // non-characters
        }
        if ((cp >= 0xE0000 && cp <= 0xE007F)) {
            return true; // tag characters
        }
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                || type == Character.CONTROL;
    }
}
