/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link LeaseException} is responsible for reporting lease and fencing failures: the caller does not (or no longer) own the volume.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class LeaseException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final String lun;
    private final long generation;

    public LeaseException(String lun, long generation, String message) {
        super(message);
        this.lun = lun;
        this.generation = generation;
    }

    /** @return the volume whose lease was involved */
    public String lun() {
        return lun;
    }

    /** @return the generation the caller presented, or the holder's generation for {@link LeaseHeldException} */
    public long generation() {
        return generation;
    }
}
