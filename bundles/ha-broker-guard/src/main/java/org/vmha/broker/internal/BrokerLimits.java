/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.broker.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link BrokerLimits} are responsible for the largest message the broker accepts on each address: an exact
 * address ({@code ha.table}), or a prefix ending in {@code .#} ({@code ha.replies.#}); the longest matching entry
 * wins, and every other address gets {@link #defaultMaxBytes()}. The sizes are of the whole message as the broker
 * holds it (headers and body).
 * <p>
 * <b>Threading:</b> immutable, thread-safe.
 *
 * @param perAddress the largest message per address or prefix, in bytes
 * @param defaultMaxBytes for every other address
 * @param problems values that were rejected (and replaced by the default)
 * @author vmha - Initial contribution
 */
record BrokerLimits(Map<String, Long> perAddress, long defaultMaxBytes, List<String> problems) {

    /**
     * The shipped limits (docs/security-messaging.md): heartbeats are a few hundred bytes, a full table of 5,000 VMs
     * about 1.3 MB, NOC requests at most 64 KiB, replies at most 1 MiB (the command route's maxReplyBytes).
     */
    static final String DEFAULT = "ha.heartbeat.host=8192,ha.heartbeat.guest=8192,ha.table=4259840,"
            + "ha.commands=70000,ha.drs.advice=70000,ha.events=70000,ha.replies.#=1114112,DLQ=4259840";

    static final long DEFAULT_MAX_BYTES = 1_114_112;

    BrokerLimits {
        perAddress = Map.copyOf(perAddress);
        problems = List.copyOf(problems);
    }

    /**
     * @param spec {@code address=bytes} pairs, comma separated
     * @param defaultMax the limit of every other address
     * @return the limits; bad pairs are reported and left out
     */
    static BrokerLimits parse(String spec, long defaultMax) {
        Map<String, Long> m = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String pair : (spec == null ? "" : spec).split(",")) {
            String p = pair.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                problems.add("'" + p + "' is not address=bytes; ignored");
                continue;
            }
            String address = p.substring(0, eq).trim();
            try {
                long bytes = Long.parseLong(p.substring(eq + 1).trim());
                if (bytes < 256) {
                    throw new NumberFormatException("below 256");
                }
                m.put(address, bytes);
            } catch (NumberFormatException e) {
                problems.add("'" + p + "': the size must be a whole number of bytes >= 256; ignored");
            }
        }
        long d = defaultMax;
        if (d < 256) {
            problems.add("defaultMaxBytes " + d + " is below 256; using " + DEFAULT_MAX_BYTES);
            d = DEFAULT_MAX_BYTES;
        }
        return new BrokerLimits(m, d, problems);
    }

    /**
     * @param address an address (null: the default)
     * @return the largest message it accepts
     */
    long maxBytes(String address) {
        if (address == null) {
            return defaultMaxBytes;
        }
        Long exact = perAddress.get(address);
        if (exact != null) {
            return exact;
        }
        String best = null;
        for (String k : perAddress.keySet()) {
            if (k.endsWith(".#") && address.startsWith(k.substring(0, k.length() - 1))
                    && (best == null || k.length() > best.length())) {
                best = k;
            }
        }
        return best == null ? defaultMaxBytes : perAddress.get(best);
    }
}
