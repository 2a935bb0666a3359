/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.ArrayDeque;

import org.vmha.api.time.TaskScheduler;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.core.concurrent.SerialTransport;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link AgentRuntime} is responsible for the serial thread of one simulated host's agent JVM (one
 * incarnation: a host power cycle starts a new one). Everything the agent does runs through it as a
 * <em>task</em>: its timers ({@link #scheduler()}, a wrapper around the global {@link VirtualScheduler}
 * that the agent gets instead of it), every transport delivery to it ({@link #endpoint}) and the
 * simulator's direct requests ({@link #execute}).
 * <p>
 * The thread can be <em>blocked</em> until some virtual time: by an {@code agent-pause} (SIGSTOP of the
 * JVM, {@link #pause}) or by adapter calls that hung ({@link #stall}: the per-host guard adds each hung
 * call's blocking time to the running task). Virtual time does not pass inside a task, so a task that
 * made hung calls takes effect at its start time and then blocks the thread for the sum of those calls'
 * blocking times. While the thread is blocked, and until everything deferred meanwhile has run, every
 * task is appended to a backlog that runs in arrival order when the block ends: timers fire late and
 * deliveries arrive late, none is dropped (buffered socket data). With no block ever, every task runs
 * where and when it would without the runtime: the run is byte-identical.
 * <p>
 * <b>Threading:</b> single-threaded, on the simulator's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class AgentRuntime {

    private final VirtualScheduler global;
    private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
    private final Scheduler scheduler = new Scheduler();
    private boolean alive = true;
    private long blockedUntil = Long.MIN_VALUE;
    private boolean inTask;
    private long taskStall;
    private boolean wakeScheduled;
    private long deferred;

    /** @param global the simulation's scheduler */
    AgentRuntime(VirtualScheduler global) {
        this.global = global;
    }

    /** @return the scheduler to give the agent: its tasks run through this runtime */
    TaskScheduler scheduler() {
        return scheduler;
    }

    /**
     * @param endpoint the host's transport endpoint
     * @return the endpoint to give the agent: deliveries to the agent run through this runtime, as a
     *         deployed agent's run through its serial thread ({@link SerialTransport}); a delivery to a dead
     *         JVM is dropped
     */
    ClusterTransport endpoint(ClusterTransport endpoint) {
        return new SerialTransport(endpoint, this::execute);
    }

    /**
     * Runs a task of the agent now, or after the block and the backlog.
     *
     * @param task the task
     * @return true if it ran now, false if it was deferred (or the JVM is gone)
     */
    boolean execute(Runnable task) {
        if (!alive) {
            return false;
        }
        if (global.nowMillis() < blockedUntil || !backlog.isEmpty()) {
            backlog.add(task);
            deferred++;
            scheduleWake();
            return false;
        }
        run(task);
        return true;
    }

    private void run(Runnable task) {
        if (inTask) {
            task.run();
            return;
        }
        begin();
        try {
            task.run();
        } finally {
            end();
        }
    }

    private void begin() {
        inTask = true;
        taskStall = 0;
    }

    /** Ends a task: what its hung calls blocked, counted from its start, blocks the thread. */
    private void end() {
        inTask = false;
        if (taskStall > 0) {
            blockedUntil = Math.max(blockedUntil, global.nowMillis() + taskStall);
        }
        taskStall = 0;
    }

    private void scheduleWake() {
        if (!wakeScheduled) {
            wakeScheduled = true;
            global.schedule(blockedUntil - global.nowMillis(), this::wake);
        }
    }

    private void wake() {
        wakeScheduled = false;
        if (!alive) {
            backlog.clear();
            return;
        }
        while (!backlog.isEmpty()) {
            if (global.nowMillis() < blockedUntil) {
                scheduleWake();
                return;
            }
            run(backlog.poll());
        }
    }

    /**
     * @return the virtual time an adapter call made now really starts at: the running task's start plus
     *         what its earlier hung calls blocked
     */
    long effectiveNow() {
        return global.nowMillis() + (inTask ? taskStall : 0);
    }

    /** @param millis a hung adapter call blocked the agent thread this long */
    void stall(long millis) {
        if (inTask) {
            taskStall += millis;
        } else {
            blockedUntil = Math.max(blockedUntil, global.nowMillis() + millis);
        }
    }

    /** @param untilMillis the JVM is stopped until then (agent-pause) */
    void pause(long untilMillis) {
        blockedUntil = Math.max(blockedUntil, untilMillis);
        if (!backlog.isEmpty()) {
            scheduleWake();
        }
    }

    /** @return true while the agent thread cannot run (paused or stuck in hung calls) */
    boolean blocked() {
        return alive && global.nowMillis() < blockedUntil;
    }

    /** @return when the current block ends (in the past if none) */
    long blockedUntil() {
        return blockedUntil;
    }

    /** @return tasks deferred so far */
    long deferred() {
        return deferred;
    }

    /** The JVM died (host power-off): nothing deferred or scheduled runs any more. */
    void kill() {
        alive = false;
        backlog.clear();
    }

    /** The agent's timers: each fires as a task of this runtime. */
    private final class Scheduler implements TaskScheduler {

        @Override
        public long nowMillis() {
            return global.nowMillis();
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            Timer t = new Timer(task);
            t.inner = global.schedule(delayMillis, t);
            return t;
        }
    }

    private final class Timer implements Runnable, TaskScheduler.Cancellable {
        private final Runnable task;
        private boolean cancelled;
        /** The global scheduler's handle: a cancelled timer does not count as a task that ran. */
        private TaskScheduler.Cancellable inner;

        Timer(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            if (ready()) {
                AgentRuntime.this.run(task);
            } else {
                execute(() -> {
                    if (!cancelled) {
                        task.run();
                    }
                });
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            inner.cancel();
        }
    }

    private boolean ready() {
        return alive && backlog.isEmpty() && global.nowMillis() >= blockedUntil;
    }
}
