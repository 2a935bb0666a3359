/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.messaging.MessageRefusals;
import org.vmha.core.security.SafeText;

/**
 * The {@link InboundStats} are responsible for counting and logging the messages this node's consumers refuse.
 * Every refusal is counted per reason; the log gets the first refusal of each consumer and reason and then at most
 * one line every {@value #LOG_EVERY_MS} ms with the count meanwhile, so that a flood of junk cannot flood the log.
 * Details are escaped and short ({@link SafeText#prefix}) before they get here.
 * <p>
 * <b>Threading:</b> thread-safe.
 *
 * @author vmha - Initial contribution
 */
final class InboundStats implements MessageRefusals {

    static final long LOG_EVERY_MS = 10_000;

    /** Logger of every refusal. */
    static final String LOG = "org.vmha.routes.refused";

    private final Logger logger = LoggerFactory.getLogger(LOG);
    private final ConcurrentMap<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, long[]> logged = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    private static final InboundStats NODE = new InboundStats();

    InboundStats() {
        this(System::currentTimeMillis);
    }

    /** @return the counts of this node (every component of the bundle adds to them while the bundle runs) */
    static InboundStats node() {
        return NODE;
    }

    InboundStats(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * @param consumer who refused it ({@code agent H1}, {@code management}, {@code commands}, {@code event log})
     * @param reason a fixed reason
     * @param detail what was refused, escaped and short
     */
    void refuse(String consumer, String reason, String detail) {
        counts.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        long now = clock.getAsLong();
        long[] state = logged.computeIfAbsent(consumer + "/" + reason, k -> new long[] {Long.MIN_VALUE, 0});
        long suppressed;
        synchronized (state) {
            if (now - state[0] < LOG_EVERY_MS) {
                state[1]++;
                return;
            }
            suppressed = state[1];
            state[0] = now;
            state[1] = 0;
        }
        logger.warn("{} refused a message ({}): {}{}", consumer, reason, SafeText.prefix(detail, 300),
                suppressed > 0 ? " [and " + suppressed + " more of this kind in the last " + LOG_EVERY_MS / 1000 + " s]"
                        : "");
    }

    @Override
    public SortedMap<String, Long> counts() {
        SortedMap<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
