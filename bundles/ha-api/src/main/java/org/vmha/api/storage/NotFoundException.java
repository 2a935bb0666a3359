/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link NotFoundException} is responsible for reporting that a volume, snapshot or checkpoint does not exist.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class NotFoundException extends StorageException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
