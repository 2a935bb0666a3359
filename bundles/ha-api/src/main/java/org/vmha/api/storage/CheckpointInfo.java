/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link CheckpointInfo} is responsible for describing one complete memory-state checkpoint
 * (the patent's SWAP) on a volume.
 *
 * @param lun the volume
 * @param sequence the checkpoint sequence number, strictly increasing per volume, from 1
 * @param generation the lease generation of the writer
 * @param sizeBytes the image size
 * @param checksum the image checksum, {@code "crc32c:"} followed by 8 hex digits
 * @param writtenAtMillis when it was committed (epoch ms)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record CheckpointInfo(String lun, long sequence, long generation, long sizeBytes, String checksum,
        long writtenAtMillis) {
}
