/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.time;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ExecutorTaskScheduler} is responsible for wall-clock time on a
 * {@link ScheduledExecutorService} owned by the caller (the DS component that creates and shuts it
 * down).
 * <p>
 * <b>Threading:</b> thread-safe; tasks run on the executor's threads.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ExecutorTaskScheduler implements TaskScheduler {

    private final Clock clock;
    private final ScheduledExecutorService executor;

    /**
     * @param clock the clock
     * @param executor the executor running tasks
     */
    public ExecutorTaskScheduler(Clock clock, ScheduledExecutorService executor) {
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public long nowMillis() {
        return clock.millis();
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }
}
