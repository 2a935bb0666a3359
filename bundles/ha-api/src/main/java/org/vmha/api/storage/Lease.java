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
 * <p>
 * Leases are granted by a {@link StorageAdapter}, which checks the volume and host names against
 * {@link StorageNames} when they come in; the constructor itself refuses only null names and
 * generations below 1, so that a renewal costs no second pass over both names.
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
        // only null names are refused here: a lease is built by an adapter on every grant and every
        // renewal (thousands per second in ha-sim), and the adapter has already checked both names against
        // StorageNames where they came in (acquireLease, and the volume lookup of every call)
        if (lun == null) {
            throw new IllegalArgumentException("lease lun must not be null");
        }
        if (host == null) {
            throw new IllegalArgumentException("lease host must not be null for " + lun);
        }
        if (generation < 1) {
            throw new IllegalArgumentException("lease generation must be >= 1 but was " + generation + " for " + lun);
        }
    }
}
