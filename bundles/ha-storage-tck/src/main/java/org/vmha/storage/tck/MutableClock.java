/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.tck;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link MutableClock} is responsible for giving conformance tests (and simulations) a clock that
 * moves only when told to, so lease expiry is exercised without waiting.
 * <p>
 * Threading: safe to read and advance from any thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class MutableClock extends Clock {

    private final AtomicLong millis;

    /**
     * @param startMillis the initial time, epoch milliseconds
     */
    public MutableClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /**
     * Moves the clock forward.
     *
     * @param deltaMillis how far, not negative
     * @return the new time
     */
    public long advance(long deltaMillis) {
        if (deltaMillis < 0) {
            throw new IllegalArgumentException("a clock only moves forward, not by " + deltaMillis + " ms");
        }
        return millis.addAndGet(deltaMillis);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new UnsupportedOperationException("MutableClock is UTC only, not " + zone);
    }
}
