/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link LeaseRenewal} is responsible for carrying the outcome of one lease in a batch renewal
 * ({@link StorageAdapter#renewLeases}): either the renewed lease or the {@link StorageException} that
 * {@link StorageAdapter#renewLease} would have thrown for it.
 *
 * @param lease the lease the caller asked to renew
 * @param renewed the renewed lease, null if it failed
 * @param failure why it failed, null if it was renewed
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record LeaseRenewal(Lease lease, Lease renewed, StorageException failure) {

    public LeaseRenewal {
        if (lease == null) {
            throw new IllegalArgumentException("a lease renewal needs the lease it is about");
        }
        if ((renewed == null) == (failure == null)) {
            throw new IllegalArgumentException("a renewal of " + lease.lun()
                    + " has exactly one of a renewed lease and a failure");
        }
    }

    /**
     * @param lease the requested lease
     * @param renewed the renewed lease
     * @return a successful renewal
     */
    public static LeaseRenewal renewed(Lease lease, Lease renewed) {
        return new LeaseRenewal(lease, renewed, null);
    }

    /**
     * @param lease the requested lease
     * @param failure why it could not be renewed
     * @return a failed renewal
     */
    public static LeaseRenewal failed(Lease lease, StorageException failure) {
        return new LeaseRenewal(lease, null, failure);
    }
}
