/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;

/**
 * The {@link NamedThreads} are responsible for naming the threads of the agents' and the management
 * service's pools ({@code vmha-agent-H1}, {@code vmha-restart-H1-2}, {@code vmha-management}) and logging
 * what escapes a task. Its threads are daemons.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class NamedThreads implements ThreadFactory {

    private final String name;
    private final boolean numbered;
    private final Logger logger;
    private final AtomicInteger n = new AtomicInteger();

    /**
     * @param name the thread name, or its prefix when numbered
     * @param numbered true to append {@code -1}, {@code -2}, ... per thread
     * @param logger where uncaught exceptions are logged
     */
    public NamedThreads(String name, boolean numbered, Logger logger) {
        this.name = name;
        this.numbered = numbered;
        this.logger = logger;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, numbered ? name + "-" + n.incrementAndGet() : name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> logger.warn("Uncaught in {}: {}", th.getName(), e.toString(), e));
        return t;
    }

    /**
     * @param task a task
     * @param logger where its failure is logged
     * @param what what the task does, for the log
     * @return the task, logging instead of silently swallowing what it throws (a scheduled executor
     *         would keep the exception in a future nobody reads)
     */
    public static Runnable logging(Runnable task, Logger logger, String what) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                logger.warn("{} failed: {}", what, e.toString(), e);
                throw e;
            }
        };
    }
}
