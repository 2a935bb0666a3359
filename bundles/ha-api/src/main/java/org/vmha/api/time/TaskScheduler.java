/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.time;

/**
 * The {@link TaskScheduler} is responsible for time as agents see it: the current time and one-shot
 * timers. Agents, detectors and the simulated hypervisor take one as a constructor argument, so the
 * same classes run on a wall clock or on the simulator's virtual clock.
 * <p>
 * <b>Threading:</b> implementations are thread-safe; tasks must not block. The virtual implementation
 * runs tasks on the thread that advances time, one at a time.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
public interface TaskScheduler {

    /** @return the current time in milliseconds */
    long nowMillis();

    /**
     * Runs a task once after a delay.
     *
     * @param delayMillis delay, values below 0 count as 0
     * @param task the task
     * @return a handle to cancel it
     */
    Cancellable schedule(long delayMillis, Runnable task);

    /**
     * A scheduled task that can be cancelled.
     *
     * @author vmha - Initial contribution
     */
    @FunctionalInterface
    interface Cancellable {

        /** Cancels the task if it has not run yet. */
        void cancel();
    }
}
