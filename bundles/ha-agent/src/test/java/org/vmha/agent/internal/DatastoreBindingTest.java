/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageAdapterFactory;
import org.vmha.api.storage.StorageUnavailableException;
import org.vmha.testkit.InMemoryStorageAdapter;

class DatastoreBindingTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<StorageAdapter> offered = new CopyOnWriteArrayList<>();
    private final List<Thread> registrarThreads = new CopyOnWriteArrayList<>();
    private final DatastoreBinding.Registrar registrar = new DatastoreBinding.Registrar() {
        @Override
        public Object offer(StorageAdapter adapter, String type) {
            registrarThreads.add(Thread.currentThread());
            offered.add(adapter);
            return adapter;
        }

        @Override
        public void withdraw(Object handle) {
            registrarThreads.add(Thread.currentThread());
            offered.remove(handle);
        }
    };

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private DatastoreBinding binding(String type) {
        return new DatastoreBinding(type, executor, Clock.systemUTC(), registrar, m -> {
        }, errors::add, 20);
    }

    private void drain() throws Exception {
        executor.submit(() -> {
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void offersTheAdapterOfAFactoryOfItsTypeAndClosesItWhenTheFactoryGoes() throws Exception {
        DatastoreBinding b = binding("mem");
        Factory other = new Factory("other");
        Factory mem = new Factory("mem");
        b.factoryAdded(other);
        b.factoryAdded(mem);
        drain();

        assertThat(offered).hasSize(1);
        assertThat(mem.created).hasSize(1);
        assertThat(other.created).isEmpty();
        assertThat(registrarThreads).allMatch(t -> t != Thread.currentThread());

        b.factoryRemoved(mem);
        drain();
        assertThat(offered).isEmpty();
        verify(mem.created.get(0)).close();
    }

    @Test
    void rebindsToTheNextFactoryOfItsTypeWhenTheBoundOneGoes() throws Exception {
        DatastoreBinding b = binding("mem");
        Factory first = new Factory("mem");
        Factory second = new Factory("mem");
        b.factoryAdded(first);
        b.factoryAdded(second);
        drain();
        assertThat(first.created).hasSize(1);
        assertThat(second.created).isEmpty();

        b.factoryRemoved(first);
        drain();
        assertThat(offered).hasSize(1).containsExactly(second.created.get(0));
        verify(first.created.get(0)).close();

        b.close();
        drain();
        assertThat(offered).isEmpty();
        verify(second.created.get(0)).close();
    }

    @Test
    void retriesAFactoryThatCannotCreateTheAdapterAndReportsTheErrorOnce() throws Exception {
        DatastoreBinding b = binding("mem");
        Factory mem = new Factory("mem");
        mem.failing.set(true);
        b.factoryAdded(mem);
        await().atMost(Duration.ofSeconds(5)).until(() -> mem.attempts > 3);
        assertThat(offered).isEmpty();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("'mem'").contains("datastore not mounted");

        mem.failing.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> offered.size() == 1);
        drain();
        assertThat(mem.created).hasSize(1);
    }

    @Test
    void aFactoryThatFailsToAnswerIsSkippedWithAnError() throws Exception {
        DatastoreBinding b = binding("mem");
        b.factoryAdded(new StorageAdapterFactory() {
            @Override
            public boolean supportsType(String type) {
                throw new IllegalStateException("broken");
            }

            @Override
            public StorageAdapter createAdapter(String type, Map<String, Object> configuration, Clock clock) {
                throw new AssertionError("not asked");
            }
        });
        Factory mem = new Factory("mem");
        b.factoryAdded(mem);
        drain();
        assertThat(errors).singleElement().asString().contains("broken");
        assertThat(offered).hasSize(1);
    }

    /** A factory of one type making in-memory adapters, optionally failing. */
    private static final class Factory implements StorageAdapterFactory {

        final String type;
        final List<StorageAdapter> created = new ArrayList<>();
        final AtomicBoolean failing = new AtomicBoolean();
        volatile int attempts;

        Factory(String type) {
            this.type = type;
        }

        @Override
        public boolean supportsType(String t) {
            return type.equals(t);
        }

        @Override
        public StorageAdapter createAdapter(String t, Map<String, Object> configuration, Clock clock) {
            attempts++;
            if (failing.get()) {
                throw new StorageUnavailableException("datastore not mounted");
            }
            StorageAdapter a = spy(new InMemoryStorageAdapter(clock, 10_000));
            created.add(a);
            return a;
        }
    }
}
