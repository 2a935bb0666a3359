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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageAdapterFactory;

/**
 * The {@link SharedFsStorageAdapterFactory} is responsible for creating shared-directory adapters (type
 * {@value SharedFsStorageAdapter#TYPE}) on request of the core, which finds storage only through factories. It reads
 * the datastore's configuration (pid {@value SharedFsConfiguration#PID}, {@code etc/org.vmha.storage.sharedfs.cfg},
 * optional): {@link #createAdapter} with an empty configuration builds an adapter from it, bad values logged with
 * key, value and reason and replaced by their defaults; with a configuration of its own the caller passed the values,
 * so bad ones are refused. A changed configuration re-registers the factory, and the core rebinds to a new adapter.
 * When the factory goes away (its bundle stopped or replaced) it closes every adapter it created that is still open.
 * <p>
 * Threading: safe from any thread; the configuration is fixed for the life of the component.
 *
 * @author vmha - Initial contribution
 */
@Component(service = StorageAdapterFactory.class, configurationPid = SharedFsConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "storage.type=" + SharedFsStorageAdapter.TYPE)
@Designate(ocd = SharedFsConfiguration.class)
public class SharedFsStorageAdapterFactory implements StorageAdapterFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SharedFsStorageAdapterFactory.class);

    private final Map<String, Object> configured;
    private final Set<SharedFsStorageAdapter> created = ConcurrentHashMap.newKeySet();

    /** A factory without a datastore configuration (the defaults). */
    public SharedFsStorageAdapterFactory() {
        this(Map.of());
    }

    /** @param properties the configuration of pid {@value SharedFsConfiguration#PID}, as Config Admin gives it */
    @Activate
    public SharedFsStorageAdapterFactory(Map<String, Object> properties) {
        this.configured = properties == null ? Map.of() : Map.copyOf(properties);
    }

    @Deactivate
    void deactivate() {
        for (SharedFsStorageAdapter a : created) {
            a.close();
        }
        created.clear();
    }

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
        SharedFsSettings settings;
        if (configuration == null || configuration.isEmpty()) {
            settings = SharedFsSettings.from(configured, problem -> LOG.error("configuration {}: {}",
                    SharedFsConfiguration.PID, problem));
        } else {
            List<String> problems = new ArrayList<>();
            settings = SharedFsSettings.from(configuration, problems::add);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("bad sharedfs settings: " + String.join("; ", problems));
            }
        }
        SharedFsStorageAdapter adapter = new SharedFsStorageAdapter(settings, clock);
        adapter.checkUsable();
        LOG.info("sharedfs datastore at {} (lease {} ms, takeover margin {} ms, {} checkpoints kept, snapshots {})",
                settings.root(), settings.leaseDurationMillis(), settings.takeoverMarginMillis(),
                settings.checkpointsRetained(), settings.snapshotMode());
        created.removeIf(SharedFsStorageAdapter::isClosed);
        created.add(adapter);
        return adapter;
    }

    /** @return how many adapters this factory created that are still open (for tests) */
    int openAdapters() {
        created.removeIf(SharedFsStorageAdapter::isClosed);
        return created.size();
    }
}
