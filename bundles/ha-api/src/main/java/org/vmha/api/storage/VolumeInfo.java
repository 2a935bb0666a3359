/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link VolumeInfo} is responsible for summarising one per-VM volume (LUN).
 *
 * @param lun the volume id
 * @param vmId the VM the volume was provisioned for
 * @param createdAtMillis when it was provisioned (epoch ms)
 * @param hasHardware whether a hardware description (VMX) was written
 * @param latestCheckpointSequence sequence of the newest complete checkpoint, 0 when none
 * @param snapshotCount number of snapshots
 * @param diskCount number of virtual disks
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VolumeInfo(String lun, String vmId, long createdAtMillis, boolean hasHardware,
        long latestCheckpointSequence, int snapshotCount, int diskCount) {
}
