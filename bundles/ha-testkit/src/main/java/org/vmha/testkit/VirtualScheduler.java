/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import org.vmha.api.time.TaskScheduler;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * The {@link VirtualScheduler} is responsible for deterministic discrete-event time: tasks run in
 * order of due time, ties in order of scheduling, and the clock jumps from one due time to the next.
 * Same tasks scheduled in the same order give the same run on every machine.
 * <p>
 * <b>Threading:</b> not thread-safe; one thread schedules and advances (the simulator's or a test's).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class VirtualScheduler implements TaskScheduler {

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private long executed;
    private long lastDueNow = -1;

    /** @param startMillis the initial virtual time */
    public VirtualScheduler(long startMillis) {
        this.now = startMillis;
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        Task t = new Task(now + Math.max(0, delayMillis), seq++, task);
        queue.add(t);
        if (t.due == now) {
            lastDueNow = t.seq;
        }
        return () -> t.cancelled = true;
    }

    /**
     * Runs every task due up to and including {@code untilMillis}, then sets the clock to it.
     *
     * @param untilMillis the target time, not before now
     */
    public void runUntil(long untilMillis) {
        while (runNext(untilMillis)) {
            // keep going
        }
        if (untilMillis > now) {
            now = untilMillis;
        }
    }

    /**
     * Runs the next task if it is due by {@code limitMillis}.
     *
     * @param limitMillis latest due time to run
     * @return true if a task ran (or a cancelled one was dropped)
     */
    public boolean runNext(long limitMillis) {
        Task t = queue.peek();
        if (t == null || t.due > limitMillis) {
            return false;
        }
        queue.poll();
        if (!t.cancelled) {
            now = Math.max(now, t.due);
            executed++;
            t.task.run();
        }
        return true;
    }

    /** @param millis advance the clock by this much, running due tasks */
    public void advance(long millis) {
        runUntil(now + millis);
    }

    /**
     * Identifies the task that runs last among those due now: two calls that return the same value,
     * with the clock unchanged, prove that no task due now was scheduled in between (the in-memory
     * transport uses this to deliver same-instant heartbeats as one batch without reordering them
     * against any other task).
     *
     * @return the sequence number of the latest task scheduled with no delay, -1 if none yet
     */
    public long lastDueNow() {
        return lastDueNow;
    }

    /**
     * Counts work that ran merged into the current task as that many more tasks, so that
     * {@link #executed()} stays comparable whether or not a component batches (the in-memory transport
     * delivers same-instant heartbeats as one task standing for one task per heartbeat).
     *
     * @param tasks how many separate tasks the current one stands for beyond itself, at least 0
     */
    public void countMerged(long tasks) {
        if (tasks < 0) {
            throw new IllegalArgumentException("merged task count must be >= 0 but was " + tasks);
        }
        executed += tasks;
    }

    /** @return how many tasks have run (merged ones counted one by one, see {@link #countMerged(long)}) */
    public long executed() {
        return executed;
    }

    /** @return a {@link Clock} reading this scheduler's virtual time */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public long millis() {
                return now;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now);
            }
        };
    }

    private static final class Task implements Comparable<Task> {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Task(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
