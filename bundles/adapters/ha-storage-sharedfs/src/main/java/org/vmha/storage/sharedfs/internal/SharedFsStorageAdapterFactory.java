/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageAdapterFactory;

/**
 * The {@link SharedFsStorageAdapterFactory} is responsible for creating shared-directory adapters
 * on request of the core (type {@value SharedFsStorageAdapter#TYPE}). Unlike the Config Admin
 * component, it refuses bad settings instead of falling back, because the caller passed them.
 * <p>
 * Threading: stateless; safe from any thread.
 *
 * @author vmha - Initial contribution
 */
@Component(service = StorageAdapterFactory.class, property = "storage.type=" + SharedFsStorageAdapter.TYPE)
public class SharedFsStorageAdapterFactory implements StorageAdapterFactory {

    @Override
    public boolean supportsType(String type) {
        return SharedFsStorageAdapter.TYPE.equals(type);
    }

    @Override
    public StorageAdapter createAdapter(String type, Map<String, Object> configuration, Clock clock) {
        if (!supportsType(type)) {
            throw new IllegalArgumentException("adapter type '" + type + "' is not supported by this factory, only '"
                    + SharedFsStorageAdapter.TYPE + "'");
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        List<String> problems = new ArrayList<>();
        SharedFsSettings settings = SharedFsSettings.from(configuration == null ? Map.of() : configuration,
                problems::add);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad sharedfs settings: " + String.join("; ", problems));
        }
        SharedFsStorageAdapter adapter = new SharedFsStorageAdapter(settings, clock);
        adapter.checkUsable();
        return adapter;
    }
}
