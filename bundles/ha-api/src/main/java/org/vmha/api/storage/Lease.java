/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link Lease} is responsible for carrying a granted exclusive ownership of one volume. Its
 * {@link #generation()} is the fencing token: it strictly increases with every grant on the volume
 * and every write through the {@link StorageAdapter} carries it.
 *
 * @param lun the volume
 * @param host the owner
 * @param generation the fencing token, at least 1
 * @param acquiredAtMillis when the generation was granted (adapter clock, epoch ms)
 * @param expiresAtMillis until when the lease is valid unless renewed (adapter clock, epoch ms)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record Lease(String lun, String host, long generation, long acquiredAtMillis, long expiresAtMillis) {

    public Lease {
        StorageNames.require("lun", lun);
        StorageNames.require("host", host);
        if (generation < 1) {
            throw new IllegalArgumentException("lease generation must be >= 1 but was " + generation + " for " + lun);
        }
    }
}
