/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import java.util.function.LongSupplier;

/**
 * The {@link EventIds} is responsible for the CloudEvents {@code id}s of one event source: {@code
 * <prefix>-<epoch>-<n>}, where the epoch is the source's clock when the sequence began, in base 36, and {@code n}
 * counts from 1. A source that starts again (a node restart, an agent rebuilt after an adapter swap) begins a new
 * epoch, so an id is never reused and a NOC may de-duplicate on {@code (source, id)} across restarts, as the
 * CloudEvents specification allows.
 * <p>
 * <b>Threading:</b> not thread-safe; each source numbers its events on its own thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class EventIds {

    private final String prefix;
    private long sequence;

    /**
     * @param name the source's name ({@code H1}, {@code management})
     * @param clock the source's clock, in milliseconds; read once, now
     */
    public EventIds(String name, LongSupplier clock) {
        this.prefix = name + "-" + Long.toString(Math.max(0, clock.getAsLong()), Character.MAX_RADIX) + "-";
    }

    /** @return the next id */
    public String next() {
        return prefix + (++sequence);
    }
}
