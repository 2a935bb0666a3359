/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BooleanSupplier;

import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageUnavailableException;

/**
 * The {@link UnreachableDatastore} is responsible for an agent's view of the datastore in the agent tests:
 * every call goes to the shared storage, except while the test says the datastore is down, when every call
 * but {@code type} and {@code leaseDurationMillis} (configuration, not I/O) throws a
 * {@link StorageUnavailableException}, as an unreachable datastore does.
 *
 * @author vmha - Initial contribution
 */
final class UnreachableDatastore {

    private UnreachableDatastore() {
    }

    /**
     * @param storage the shared storage
     * @param down true while the datastore is unreachable from this host
     * @return the host's view of the storage
     */
    static StorageAdapter whileDown(StorageAdapter storage, BooleanSupplier down) {
        return (StorageAdapter) Proxy.newProxyInstance(StorageAdapter.class.getClassLoader(),
                new Class<?>[] {StorageAdapter.class}, (proxy, m, args) -> {
                    if (down.getAsBoolean() && !m.getName().equals("type")
                            && !m.getName().equals("leaseDurationMillis")) {
                        throw new StorageUnavailableException("datastore unreachable (test) during " + m.getName());
                    }
                    try {
                        return m.invoke(storage, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
