/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@link RetryQueue} is responsible for deciding when a VM restart that did not happen is tried
 * again:
 * <ul>
 * <li><b>waiting for capacity</b> (the planner could not place it): retried as soon as the capacity
 * epoch changes (a host was added or came back, a VM was powered off or moved), and this does not
 * spend the retry budget;</li>
 * <li><b>waiting for a lease</b> (the failed host's lease has not expired yet): retried at a given
 * time, without spending the budget;</li>
 * <li><b>failed</b> (the start itself failed): retried after an exponential back-off
 * ({@code base * 2^(attempt-1)}, capped), spending one attempt of the budget; when the budget is spent
 * the VM is given up.</li>
 * </ul>
 * <b>Threading:</b> not thread-safe; owned by one agent.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class RetryQueue {

    /**
     * The retry state of one VM.
     *
     * @param reason why it is waiting
     * @param attempts failed attempts spent from the budget
     * @param notBeforeMillis earliest next attempt
     * @param capacityEpoch the capacity epoch it waits to change, or -1 if not waiting for capacity
     * @param gaveUp true once the budget is spent
     * @author vmha - Initial contribution
     */
    public record Retry(String reason, int attempts, long notBeforeMillis, long capacityEpoch, boolean gaveUp) {
    }

    private final long baseMillis;
    private final long maxMillis;
    private final int budget;
    private final Map<String, Retry> retries = new TreeMap<>();

    /**
     * @param baseMillis first back-off, at least 1
     * @param maxMillis back-off cap, at least the base
     * @param budget failed attempts allowed before giving up, at least 1
     */
    public RetryQueue(long baseMillis, long maxMillis, int budget) {
        if (baseMillis < 1 || maxMillis < baseMillis || budget < 1) {
            throw new IllegalArgumentException("retry queue needs 1 <= base <= max and budget >= 1, was " + baseMillis
                    + "/" + maxMillis + "/" + budget);
        }
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
        this.budget = budget;
    }

    /**
     * @param lun the VM's volume
     * @param reason why it does not fit
     * @param capacityEpoch the current capacity epoch
     */
    public void waitForCapacity(String lun, String reason, long capacityEpoch) {
        Retry r = retries.get(lun);
        int attempts = r == null ? 0 : r.attempts();
        retries.put(lun, new Retry(reason, attempts, 0, capacityEpoch, false));
    }

    /**
     * @param lun the VM's volume
     * @param reason what it waits for
     * @param atMillis earliest next attempt
     */
    public void notBefore(String lun, String reason, long atMillis) {
        Retry r = retries.get(lun);
        int attempts = r == null ? 0 : r.attempts();
        retries.put(lun, new Retry(reason, attempts, atMillis, -1, false));
    }

    /**
     * Records a failed attempt and schedules the next one.
     *
     * @param lun the VM's volume
     * @param reason the failure
     * @param nowMillis current time
     * @return the new state (gaveUp once the budget is spent)
     */
    public Retry failed(String lun, String reason, long nowMillis) {
        Retry r = retries.get(lun);
        int attempts = (r == null ? 0 : r.attempts()) + 1;
        long backoff = baseMillis;
        for (int i = 1; i < attempts && backoff < maxMillis; i++) {
            backoff *= 2;
        }
        backoff = Math.min(backoff, maxMillis);
        Retry next = new Retry(reason, attempts, nowMillis + backoff, -1, attempts >= budget);
        retries.put(lun, next);
        return next;
    }

    /**
     * @param lun the VM's volume
     * @param nowMillis current time
     * @param capacityEpoch the current capacity epoch
     * @return true if a restart may be tried now
     */
    public boolean eligible(String lun, long nowMillis, long capacityEpoch) {
        Retry r = retries.get(lun);
        if (r == null) {
            return true;
        }
        if (r.gaveUp()) {
            return false;
        }
        if (r.capacityEpoch() >= 0) {
            return capacityEpoch != r.capacityEpoch();
        }
        return nowMillis >= r.notBeforeMillis();
    }

    /** @param lun the VM's volume: restarted (or no longer ours to restart) */
    public void done(String lun) {
        retries.remove(lun);
    }

    /**
     * @param lun the VM's volume
     * @return its retry state
     */
    public Optional<Retry> get(String lun) {
        return Optional.ofNullable(retries.get(lun));
    }

    /** @return how many VMs wait */
    public int size() {
        return retries.size();
    }
}
