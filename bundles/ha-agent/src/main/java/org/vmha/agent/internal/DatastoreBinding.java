/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageAdapterFactory;

/**
 * The {@link DatastoreBinding} is responsible for the node's one datastore: it finds a {@link StorageAdapterFactory}
 * of the configured type, creates the {@link StorageAdapter} from it and offers it to the node (agents, management,
 * shell) through a {@link Registrar}; when that factory goes away it withdraws the adapter, closes it, and binds to
 * the next factory of the type if there is one. A factory that cannot create the adapter (the datastore is not
 * mounted, say) is retried every {@code retryMillis}, with its error reported once per distinct message.
 * <p>
 * <b>Threading:</b> the factory callbacks only hand work to the binding's own serial executor, which runs every
 * storage call (creating and closing adapters) and every (un)registration: an SCR callback never waits for storage
 * I/O, and consumers rebind on that thread, not on SCR's.
 *
 * @author vmha - Initial contribution
 */
final class DatastoreBinding {

    /** Offers the adapter to the node. */
    interface Registrar {

        /**
         * @param adapter the adapter to offer
         * @param type its type
         * @return a handle for {@link #withdraw(Object)}
         */
        Object offer(StorageAdapter adapter, String type);

        /** @param handle what {@link #offer} returned */
        void withdraw(Object handle);
    }

    private final String type;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Registrar registrar;
    private final Consumer<String> info;
    private final Consumer<String> error;
    private final long retryMillis;
    /** factories of the type, in arrival order; only touched on the executor */
    private final List<StorageAdapterFactory> factories = new ArrayList<>();
    private StorageAdapterFactory boundFactory;
    private StorageAdapter adapter;
    private Object handle;
    private ScheduledFuture<?> retry;
    private String lastError;

    DatastoreBinding(String type, ScheduledExecutorService executor, Clock clock, Registrar registrar,
            Consumer<String> info, Consumer<String> error, long retryMillis) {
        this.type = type;
        this.executor = executor;
        this.clock = clock;
        this.registrar = registrar;
        this.info = info;
        this.error = error;
        this.retryMillis = retryMillis;
    }

    /** @param f a factory that appeared; used if it supports the type and none is bound yet */
    void factoryAdded(StorageAdapterFactory f) {
        submit(() -> {
            if (!supports(f)) {
                return;
            }
            factories.add(f);
            if (boundFactory == null) {
                bind();
            }
        });
    }

    /** @param f a factory that went away; if it made the adapter, the adapter is withdrawn and closed */
    void factoryRemoved(StorageAdapterFactory f) {
        submit(() -> {
            factories.remove(f);
            if (f == boundFactory) {
                unbind("its factory went away");
                bind();
            }
        });
    }

    /** Withdraws and closes the adapter; the executor is the caller's to shut down afterwards. */
    void close() {
        submit(() -> {
            factories.clear();
            unbind("the datastore binding stopped");
        });
    }

    private boolean supports(StorageAdapterFactory f) {
        try {
            return f.supportsType(type);
        } catch (RuntimeException e) {
            error.accept("storage adapter factory " + f + " failed to answer whether it supports type '" + type
                    + "': " + e);
            return false;
        }
    }

    private void bind() {
        cancelRetry();
        if (factories.isEmpty()) {
            info.accept("datastore: waiting for a storage adapter factory of type '" + type + "'");
            return;
        }
        StorageAdapterFactory f = factories.get(0);
        StorageAdapter a;
        try {
            a = f.createAdapter(type, Map.of(), clock);
        } catch (RuntimeException e) {
            String message = "datastore: the '" + type + "' factory could not create the adapter (retrying every "
                    + retryMillis + " ms): " + e.getMessage();
            if (!message.equals(lastError)) {
                error.accept(message);
                lastError = message;
            }
            retry = executor.schedule(() -> {
                if (boundFactory == null) {
                    bind();
                }
            }, retryMillis, TimeUnit.MILLISECONDS);
            return;
        }
        lastError = null;
        boundFactory = f;
        adapter = a;
        handle = registrar.offer(a, type);
        info.accept("datastore: '" + type + "' adapter at " + a.location() + " offered");
    }

    private void unbind(String why) {
        cancelRetry();
        if (boundFactory == null) {
            return;
        }
        try {
            registrar.withdraw(handle);
        } finally {
            try {
                adapter.close();
            } catch (RuntimeException e) {
                error.accept("datastore: closing the '" + type + "' adapter failed: " + e);
            }
            info.accept("datastore: '" + type + "' adapter withdrawn (" + why + ")");
            boundFactory = null;
            adapter = null;
            handle = null;
        }
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void submit(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    error.accept("datastore: " + e);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping: nothing is bound any more
        }
    }
}
