/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link LeaseHeldException} is responsible for reporting that another host holds a live lease on the volume, so an acquire must wait for its expiry.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class LeaseHeldException extends LeaseException {

    private static final long serialVersionUID = 1L;

    private final String holder;
    private final long expiresAtMillis;

    public LeaseHeldException(String lun, String holder, long generation, long expiresAtMillis, String message) {
        super(lun, generation, message);
        this.holder = holder;
        this.expiresAtMillis = expiresAtMillis;
    }

    /** @return the host holding the lease */
    public String holder() {
        return holder;
    }

    /** @return when the holder's lease expires, epoch milliseconds of the adapter clock */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }
}
