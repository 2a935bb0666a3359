/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link CorruptDataException} is responsible for reporting stored data that cannot be parsed or fails its checksum; the message names the file (or key) and what was wrong.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class CorruptDataException extends StorageException {

    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
