/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link LeaseState} is responsible for describing the latest lease generation of a volume, as
 * {@link StorageAdapter#inspectLease(String)} sees it.
 *
 * @param lun the volume
 * @param owner the host that holds (or last held) the generation
 * @param generation the latest generation granted
 * @param acquiredAtMillis when it was granted (epoch ms)
 * @param expiresAtMillis when it expires or expired (epoch ms)
 * @param released whether the owner released it
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record LeaseState(String lun, String owner, long generation, long acquiredAtMillis, long expiresAtMillis,
        boolean released) {

    /**
     * @param nowMillis the current time of the adapter clock
     * @return whether the owner still holds the lease at that time
     */
    public boolean isLive(long nowMillis) {
        return !released && nowMillis < expiresAtMillis;
    }
}
