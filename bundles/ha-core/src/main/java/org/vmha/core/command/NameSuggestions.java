/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.command;

import java.util.Collection;
import java.util.Locale;

/**
 * The {@link NameSuggestions} are responsible for the "did you mean" of an unknown name (a VM, a host, a command,
 * an event type), for the management service and the shell alike: the known name
 * closest to it, when one is close (a typo, another case, a missing zero: {@code vm5} for {@code VM05}; never
 * one with another number: {@code VM9} is no typo of {@code VM1}).
 * <p>
 * <b>Threading:</b> stateless.
 *
 * @author vmha - Initial contribution
 * @since 0.2
 */
public final class NameSuggestions {

    private NameSuggestions() {
    }

    /**
     * @param name the unknown name
     * @param known the known names, in the order to prefer on a tie
     * @return the closest known name within a third of its length in edits (at least one), or null
     */
    public static String closest(String name, Collection<String> known) {
        if (name == null || name.length() > 200) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String numbers = numbers(n);
        for (String k : known) {
            String kn = numbers(k);
            if (!numbers.isEmpty() && !kn.isEmpty() && !numbers.equals(kn)) {
                continue; // VM9 is not a typo of VM1: another number names another machine
            }
            int d = distance(n, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(1, name.length() / 3) ? best : null;
    }

    /** @return {@code "; did you mean X?"} for the closest known name, or "" */
    public static String didYouMean(String name, Collection<String> known) {
        String c = closest(name, known);
        return c == null ? "" : "; did you mean " + c + "?";
    }

    /** @return the numbers in the name, without leading zeros: "5,12" for {@code vm05-12} */
    private static String numbers(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("[^0-9]+")) {
            if (!part.isEmpty()) {
                String v = part.replaceFirst("^0+(?=.)", "");
                out.append(out.length() == 0 ? "" : ",").append(v);
            }
        }
        return out.toString();
    }

    /** Levenshtein distance, two rows. */
    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 200) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
