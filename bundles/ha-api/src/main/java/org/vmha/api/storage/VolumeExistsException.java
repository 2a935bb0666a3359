/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link VolumeExistsException} is responsible for reporting that a volume is provisioned twice for the same VM.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class VolumeExistsException extends StorageException {

    private static final long serialVersionUID = 1L;

    public VolumeExistsException(String message) {
        super(message);
    }
}
