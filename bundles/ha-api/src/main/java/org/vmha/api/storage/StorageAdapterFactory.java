/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

import java.time.Clock;
import java.util.Map;

/**
 * The {@link StorageAdapterFactory} is responsible for creating {@link StorageAdapter}s of the types
 * an adapter bundle supports. Adapter bundles register one as an OSGi service; the core tracks
 * factories dynamically and, when a factory goes away (bundle stopped or replaced), closes every
 * adapter it created and rebinds to the replacement.
 * <p>
 * Threading: both methods return quickly and take no locks that callers may hold;
 * {@link #createAdapter} may touch the datastore once to check it is usable.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ConsumerType
public interface StorageAdapterFactory {

    /**
     * @param type an adapter type, e.g. "sharedfs"
     * @return whether {@link #createAdapter} accepts it
     */
    boolean supportsType(String type);

    /**
     * Creates an adapter.
     *
     * @param type a supported type
     * @param configuration adapter-specific settings (keys as in the adapter's metatype)
     * @param clock the clock that judges lease expiry and stamps heartbeats
     * @return a new adapter, owned (and closed) by the caller
     * @throws IllegalArgumentException naming the key and value of a bad setting, or an unsupported type
     * @throws StorageUnavailableException if the datastore cannot be used
     */
    StorageAdapter createAdapter(String type, Map<String, Object> configuration, Clock clock);
}
