/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import java.util.function.LongSupplier;

/**
 * The {@link TableVersions} are responsible for telling a plausible table version from one that would poison a
 * replica or overflow the management service's counter:
 * <ul>
 * <li>a version is never below 0 nor above a ceiling: {@link #MAX_VERSION} (2^53 − 1, exact in every JSON parser)
 * at agents, {@link #MAX_HEARD} (2^52) for what the management service adopts from others, so that the versions it
 * issues above them stay far below the agents' ceiling: at a version a second that takes 140 million years;</li>
 * <li>with {@code bounded}, a version is at most {@link #MAX_STEP} plus {@link #STEP_PER_SECOND} a second since
 * ahead of the highest version accepted so far. The first one after a (re)start sets that baseline, and so does
 * the highest one heard during a bootstrap window ({@link #MANAGEMENT_BOOTSTRAP_MS} for the management service):
 * an agent that was away for long follows the management service at once, and a management service restarted from
 * the inventory catches up with the version the agents hold; after that, nobody can push it far ahead, so the
 * agents never come to refuse its tables.</li>
 * </ul>
 * Versions at or below the baseline always pass: the replica decides what a stale table means.
 * <p>
 * <b>Threading:</b> not thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class TableVersions {

    /** The highest version an agent accepts: 2^53 − 1. */
    public static final long MAX_VERSION = (1L << 53) - 1;

    /** The highest version the management service adopts from another node: 2^52. */
    public static final long MAX_HEARD = 1L << 52;

    /** How far ahead of the highest accepted version a full table may jump. */
    public static final long MAX_STEP = 1_000_000;

    /** How much further it may jump for every second since that version was accepted. */
    public static final long STEP_PER_SECOND = 100;

    /** How long after its start the management service follows any version it hears (a restart catching up). */
    public static final long MANAGEMENT_BOOTSTRAP_MS = 30_000;

    private final LongSupplier clock;
    private final long ceiling;
    private final long bootstrapUntil;
    private long highest = -1;
    private long highestAt;

    /**
     * @param clock milliseconds
     * @param ceiling the highest version accepted at all
     * @param bootstrapUntil until when (clock time) any version up to the ceiling is accepted; the first one is
     *        always accepted
     */
    TableVersions(LongSupplier clock, long ceiling, long bootstrapUntil) {
        this.clock = clock;
        this.ceiling = ceiling;
        this.bootstrapUntil = bootstrapUntil;
    }

    /**
     * @param version a table version
     * @param bounded whether the step bound applies (full tables at an agent)
     * @return null if acceptable (and then remembered), else why not
     */
    String check(long version, boolean bounded) {
        if (version < 0) {
            return "version " + version + " is negative";
        }
        if (version > ceiling) {
            return "version " + version + " is above the ceiling " + ceiling;
        }
        long now = clock.getAsLong();
        if (bounded && highest >= 0 && version > highest && now >= bootstrapUntil) {
            long seconds = Math.max(0, (now - highestAt) / 1000);
            long allowed = highest + MAX_STEP + Math.min(seconds, MAX_VERSION / STEP_PER_SECOND) * STEP_PER_SECOND;
            if (version > allowed) {
                return "version " + version + " jumps more than " + (allowed - highest) + " ahead of " + highest
                        + ", the highest accepted " + seconds + " s ago";
            }
        }
        if (bounded && version > highest) {
            highest = version;
            highestAt = now;
        }
        return null;
    }

    /** @return the highest bounded version accepted, -1 before the first */
    long highest() {
        return highest;
    }
}
