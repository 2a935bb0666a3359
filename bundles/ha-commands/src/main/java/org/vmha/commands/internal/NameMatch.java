/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.Collection;
import java.util.Locale;

/**
 * The {@link NameMatch} is responsible for the shell's own "did you mean" (an event type, a command name): the known
 * name closest to a mistyped one, by edit distance, as the management service suggests VM and host names.
 *
 * @author vmha - Initial contribution
 */
final class NameMatch {

    private NameMatch() {
    }

    /**
     * @param name the unknown name
     * @param known the known names, in the order to prefer on a tie
     * @return the closest known name within a third of its length in edits (at least one), or null
     */
    static String closest(String name, Collection<String> known) {
        if (name == null || name.isEmpty() || name.length() > 200) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(n, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(1, name.length() / 3) ? best : null;
    }

    /** Levenshtein distance, two rows. */
    private static int distance(String a, String b) {
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
