/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The {@link MonotonicClock} is responsible for time that never jumps: {@link System#nanoTime()} in
 * milliseconds, anchored to the wall clock once at creation so that its values read like epoch milliseconds.
 * NTP steps and manual clock changes do not move it, which is what a lease deadline needs: a wall clock set
 * back would otherwise postpone a self-fencing kill past a peer's takeover.
 * <p>
 * <b>Threading:</b> thread-safe, immutable.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class MonotonicClock extends Clock {

    private final long originNanos;
    private final long originMillis;

    /** A clock anchored at the current wall-clock time. */
    public MonotonicClock() {
        this(System.nanoTime(), System.currentTimeMillis());
    }

    private MonotonicClock(long originNanos, long originMillis) {
        this.originNanos = originNanos;
        this.originMillis = originMillis;
    }

    @Override
    public long millis() {
        return originMillis + (System.nanoTime() - originNanos) / 1_000_000L;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
