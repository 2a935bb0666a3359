/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link CorruptCheckpointException} is responsible for reporting a torn or corrupt state checkpoint. Earlier complete checkpoints stay readable through {@link StorageAdapter#readCheckpoint}.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class CorruptCheckpointException extends CorruptDataException {

    private static final long serialVersionUID = 1L;

    private final String lun;
    private final long sequence;

    public CorruptCheckpointException(String lun, long sequence, String message) {
        super(message);
        this.lun = lun;
        this.sequence = sequence;
    }

    /** @return the volume of the damaged checkpoint */
    public String lun() {
        return lun;
    }

    /** @return the sequence number of the damaged checkpoint */
    public long sequence() {
        return sequence;
    }
}
