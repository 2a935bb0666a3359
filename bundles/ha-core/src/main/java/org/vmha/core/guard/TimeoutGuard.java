/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.guard;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The {@link TimeoutGuard} is responsible for running adapter calls on a bounded, named thread pool
 * and giving up on them after a timeout, so a hung adapter cannot hang an agent (the openHAB
 * {@code SafeCaller} idea). A call that times out is interrupted; its thread is lost to the adapter
 * until the adapter returns, which is why the pool and its queue are bounded: when both are full,
 * further calls are refused at once with a clear error instead of piling up.
 * <p>
 * <b>Threading:</b> thread-safe. {@link #close()} shuts the pool down (call it from
 * {@code @Deactivate}).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class TimeoutGuard implements AdapterGuard, AutoCloseable {

    /** Default timeout of one adapter call in milliseconds. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

    private final ThreadPoolExecutor pool;
    private final long timeoutMillis;

    /**
     * @param name thread name prefix, e.g. {@code vmha-guard-H1}
     * @param threads pool size, at least 1
     * @param queueCapacity calls that may wait for a thread, at least 1
     * @param timeoutMillis how long one call may take, at least 1
     */
    public TimeoutGuard(String name, int threads, int queueCapacity, long timeoutMillis) {
        if (threads < 1 || queueCapacity < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("guard " + name + " needs threads, queueCapacity and timeoutMillis >= 1,"
                    + " was " + threads + "/" + queueCapacity + "/" + timeoutMillis);
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.pool.allowCoreThreadTimeOut(true);
        this.timeoutMillis = timeoutMillis;
    }

    /** @return the timeout of one call */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    @Override
    public <T> T call(String adapter, String operation, String subject, Supplier<T> call) {
        String what = adapter + " " + operation + "(" + subject + ")";
        Future<T> f;
        try {
            f = pool.submit(call::get);
        } catch (RejectedExecutionException e) {
            throw new AdapterCallException(what + " refused: all " + pool.getMaximumPoolSize()
                    + " guard threads are busy and the queue is full (is the adapter hung?)", e);
        }
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AdapterCallException(what + " did not return within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new AdapterCallException(what + " interrupted while waiting", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new AdapterCallException(what + " failed: " + c, c);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
