/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link StorageUnavailableException} is responsible for reporting that the datastore cannot be reached or written (missing directory, permission denied, disk full, I/O error). Other volumes may still be served.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class StorageUnavailableException extends StorageException {

    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message) {
        super(message);
    }

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
