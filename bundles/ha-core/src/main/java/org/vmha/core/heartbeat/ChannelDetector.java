/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.heartbeat;

/**
 * The {@link ChannelDetector} is responsible for one peer on one channel: it remembers when (on the
 * local clock) the peer's heartbeat last changed and calls the channel silent once that is older than
 * the timeout. The sender's own timestamps are never compared with the local clock, so clock skew
 * between hosts does not matter. A changed sequence number counts as a heartbeat even when it goes
 * backwards (the peer's agent restarted).
 * <p>
 * <b>Threading:</b> not thread-safe; owned by one agent.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ChannelDetector {

    private final long timeoutMillis;
    private long lastSequence = Long.MIN_VALUE;
    private long lastChangeMillis;

    /**
     * @param timeoutMillis silence after which the channel is silent, at least 1
     * @param startMillis local time the peer became known (grace period starts here)
     */
    public ChannelDetector(long timeoutMillis, long startMillis) {
        if (timeoutMillis < 1) {
            throw new IllegalArgumentException("failure timeout must be >= 1 ms, was " + timeoutMillis);
        }
        this.timeoutMillis = timeoutMillis;
        this.lastChangeMillis = startMillis;
    }

    /**
     * Records a heartbeat observation.
     *
     * @param sequence the heartbeat's sequence number
     * @param nowMillis local time of the observation
     * @return true if it counted as a new heartbeat
     */
    public boolean observe(long sequence, long nowMillis) {
        if (sequence == lastSequence) {
            return false;
        }
        lastSequence = sequence;
        lastChangeMillis = Math.max(lastChangeMillis, nowMillis);
        return true;
    }

    /**
     * @param nowMillis local time
     * @return true if no new heartbeat arrived within the timeout
     */
    public boolean silent(long nowMillis) {
        return nowMillis - lastChangeMillis > timeoutMillis;
    }

    /** @return local time of the last new heartbeat (or of the start) */
    public long lastChangeMillis() {
        return lastChangeMillis;
    }
}
