/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.hypervisor;

import java.time.Clock;
import java.util.Map;

import org.vmha.api.storage.StorageAdapter;

/**
 * The {@link HypervisorAdapterFactory} is responsible for creating {@link HypervisorAdapter}s of the
 * types it supports; adapter bundles register one as a service so that the core can rebind when an
 * adapter bundle is replaced at runtime (the hot-swap factory pattern, mirroring
 * {@link org.vmha.api.storage.StorageAdapterFactory}).
 * <p>
 * <b>Threading:</b> thread-safe; {@link #create} returns quickly and takes no locks held by callers.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ConsumerType
public interface HypervisorAdapterFactory {

    /**
     * @param type adapter type, e.g. {@code sim}
     * @return whether {@link #create} accepts this type
     */
    boolean supportsType(String type);

    /**
     * Creates an adapter for one host.
     *
     * @param type adapter type
     * @param host the host the adapter runs VMs on
     * @param configuration adapter settings (keys documented by each adapter)
     * @param storage the datastore holding the VMs' volumes (memory images are read and written there)
     * @param clock the clock judging time
     * @return the adapter
     * @throws IllegalArgumentException for an unsupported type or a bad setting, naming it
     */
    HypervisorAdapter create(String type, String host, Map<String, Object> configuration, StorageAdapter storage,
            Clock clock);
}
