/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link SnapshotInfo} is responsible for describing one snapshot (the patent's SS) of a volume.
 *
 * @param lun the volume
 * @param name the snapshot name
 * @param createdAtMillis when it was taken (epoch ms)
 * @param generation lease generation of the host that took it
 * @param checkpointSequence sequence of the checkpoint it contains, 0 when none
 * @param method how the data was captured
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record SnapshotInfo(String lun, String name, long createdAtMillis, long generation, long checkpointSequence,
        CopyMethod method) {

    /**
     * How snapshot data was captured.
     */
    public enum CopyMethod {
        /** Copy-on-write clone of the files (FICLONE / {@code cp --reflink}); no data copied. */
        REFLINK,
        /** Full byte copy, because the filesystem does not support reflinks. */
        COPY,
        /** Shared immutable in-memory buffers (in-memory adapter). */
        SHARED_MEMORY
    }
}
