/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vmha.api.model.Vmx;

/**
 * The {@link StorageAdapter} is responsible for one datastore (SAN) as the HA core sees it: per-VM
 * volumes holding the hardware description (VMX), memory-state checkpoints (SWAP), virtual disks
 * (VDISK) and snapshots (SS); an exclusive lease per volume whose generation fences every write; and
 * the datastore heartbeat region.
 * <p>
 * <b>Fencing:</b> every method that changes a volume takes the caller's lease generation. The adapter
 * refuses it with {@link StaleGenerationException} when a newer generation was granted, and with
 * {@link LeaseExpiredException} when the lease expired or was released. A host that paused past its
 * lease (GC, SIGSTOP) therefore cannot write when it wakes up.
 * <p>
 * <b>Time:</b> expiry is judged on the adapter's injected clock.
 * <p>
 * <b>Errors:</b> all methods throw {@link StorageException} subclasses with messages that name the
 * LUN, host, generation or path; {@link IllegalArgumentException} for malformed names. A failure on
 * one volume never stops the adapter serving the others.
 * <p>
 * <b>Threading:</b> implementations are thread-safe; methods block on storage I/O (checkpoint
 * streaming may take seconds), so callers go through a timeout guard and never call from event
 * threads. Lease and heartbeat calls touch small files only.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ConsumerType
public interface StorageAdapter extends AutoCloseable {

    /** @return the adapter type, as passed to {@link StorageAdapterFactory#supportsType(String)} */
    String type();

    /** @return a human-readable location, e.g. the root directory, for logs and shell output */
    String location();

    /** @return how long a granted or renewed lease lasts, in milliseconds */
    long leaseDurationMillis();

    // ---------------------------------------------------------------- volumes

    /**
     * Provisions the volume of a VM. Its id is {@link StorageNames#lunFor(String)}.
     *
     * @param vmId the VM
     * @return the new volume
     * @throws VolumeExistsException if the VM already has a volume
     */
    VolumeInfo provisionVolume(String vmId);

    /** @return every readable volume, sorted by LUN id; unreadable entries are skipped and logged */
    List<VolumeInfo> listVolumes();

    /**
     * @param lun the volume
     * @return its summary
     * @throws NotFoundException if there is no such volume
     */
    VolumeInfo inspectVolume(String lun);

    /**
     * Deletes a volume with everything on it. The caller must hold its lease.
     *
     * @param lun the volume
     * @param generation the caller's lease generation
     */
    void deleteVolume(String lun, long generation);

    // ---------------------------------------------------------------- hardware description (VMX)

    /**
     * Replaces the hardware description atomically.
     *
     * @param lun the volume
     * @param generation the caller's lease generation
     * @param hardware the description
     */
    void writeHardware(String lun, long generation, Vmx hardware);

    /**
     * @param lun the volume
     * @return the description, empty if none was written
     * @throws CorruptDataException if the stored document cannot be read, naming file and problem
     */
    Optional<Vmx> readHardware(String lun);

    // ---------------------------------------------------------------- memory state (SWAP)

    /**
     * Streams a memory-state image in as a new checkpoint. The checkpoint becomes visible only when
     * complete; a writer that dies half-way leaves the previous checkpoint as the latest.
     *
     * @param lun the volume
     * @param generation the caller's lease generation
     * @param image the image, read to its end (not closed)
     * @return the committed checkpoint
     */
    CheckpointInfo writeCheckpoint(String lun, long generation, InputStream image);

    /**
     * @param lun the volume
     * @return the retained complete checkpoints, oldest first
     */
    List<CheckpointInfo> listCheckpoints(String lun);

    /**
     * Streams the latest complete checkpoint out, verifying its checksum.
     *
     * @param lun the volume
     * @param sink receives the image (not closed)
     * @return the checkpoint streamed, empty if the volume has none
     * @throws CorruptCheckpointException if the latest one is damaged; earlier ones stay readable
     *         through {@link #readCheckpoint(String, long, OutputStream)}
     */
    Optional<CheckpointInfo> readLatestCheckpoint(String lun, OutputStream sink);

    /**
     * Streams one retained checkpoint out, verifying its checksum.
     *
     * @param lun the volume
     * @param sequence the checkpoint sequence
     * @param sink receives the image (not closed)
     * @return the checkpoint streamed
     * @throws NotFoundException if it is not retained
     */
    CheckpointInfo readCheckpoint(String lun, long sequence, OutputStream sink);

    // ---------------------------------------------------------------- virtual disks (VDISK)

    /**
     * Creates (or resizes) a virtual disk on the volume, sparse where possible.
     *
     * @param lun the volume
     * @param generation the caller's lease generation
     * @param name the disk name
     * @param sizeBytes its size
     * @return where it lives
     */
    DiskHandle createDisk(String lun, long generation, String name, long sizeBytes);

    /**
     * @param lun the volume
     * @return the volume's disks, sorted by name
     */
    List<DiskHandle> listDisks(String lun);

    // ---------------------------------------------------------------- snapshots (SS)

    /**
     * Captures the hardware description, the latest checkpoint and the disks.
     *
     * @param lun the volume
     * @param generation the caller's lease generation
     * @param name the snapshot name, unique per volume
     * @return the snapshot
     */
    SnapshotInfo createSnapshot(String lun, long generation, String name);

    /**
     * @param lun the volume
     * @return its snapshots, sorted by name
     */
    List<SnapshotInfo> listSnapshots(String lun);

    /**
     * Restores the hardware description and disks of a snapshot, and commits its checkpoint as a
     * new latest checkpoint (with the next sequence number and the caller's generation).
     *
     * @param lun the volume
     * @param generation the caller's lease generation
     * @param name the snapshot
     */
    void rollbackSnapshot(String lun, long generation, String name);

    /**
     * @param lun the volume
     * @param generation the caller's lease generation
     * @param name the snapshot
     */
    void deleteSnapshot(String lun, long generation, String name);

    // ---------------------------------------------------------------- leases

    /**
     * Acquires the exclusive lease of a volume with a new, strictly greater generation. It succeeds
     * only when no lease was granted yet, or the latest one expired or was released.
     *
     * @param lun the volume
     * @param host the acquiring host
     * @return the granted lease
     * @throws LeaseHeldException if another (or the same) host holds a live lease
     */
    Lease acquireLease(String lun, String host);

    /**
     * Extends a live lease by {@link #leaseDurationMillis()} from now.
     *
     * @param lease the caller's lease
     * @return the renewed lease (same generation)
     * @throws StaleGenerationException if a newer generation was granted
     * @throws LeaseExpiredException if it already expired or was released
     */
    Lease renewLease(Lease lease);

    /**
     * Renews several leases in one call (an agent renews all its VMs' leases every heartbeat). Each
     * lease is renewed exactly as by {@link #renewLease}; a lease that cannot be renewed does not stop
     * the others. The default loops over {@link #renewLease}; adapters override it when one call can do
     * the whole batch cheaper.
     *
     * @param leases the caller's leases
     * @return one result per lease, in the given order; a failed one carries the {@link StorageException}
     *         {@link #renewLease} would have thrown
     * @throws StorageException if the datastore cannot be reached at all (then no lease was renewed)
     */
    default List<LeaseRenewal> renewLeases(List<Lease> leases) {
        List<LeaseRenewal> out = new ArrayList<>(leases.size());
        for (Lease l : leases) {
            try {
                out.add(LeaseRenewal.renewed(l, renewLease(l)));
            } catch (StorageException e) {
                out.add(LeaseRenewal.failed(l, e));
            }
        }
        return out;
    }

    /**
     * Releases a lease so that another host may acquire at once. Releasing a stale or released lease
     * is refused with a {@link LeaseException}.
     *
     * @param lease the caller's lease
     */
    void releaseLease(Lease lease);

    /**
     * @param lun the volume
     * @return its latest lease generation, empty if none was ever granted
     */
    Optional<LeaseState> inspectLease(String lun);

    // ---------------------------------------------------------------- datastore heartbeats

    /**
     * Writes a host's datastore heartbeat, stamped with the adapter clock.
     *
     * @param host the host
     * @param sequence the host's heartbeat sequence
     * @return what was written
     */
    HeartbeatRecord writeHeartbeat(String host, long sequence);

    /** @return every host's latest heartbeat, sorted by host; unreadable ones are skipped and logged */
    List<HeartbeatRecord> readHeartbeats();

    /**
     * @param host the host
     * @return its latest heartbeat, empty if it never wrote one
     */
    Optional<HeartbeatRecord> readHeartbeat(String host);

    /**
     * Writes (replaces) the isolation marker of {@link IsolationMarker#host()}.
     *
     * @param marker the marker
     */
    void writeIsolationMarker(IsolationMarker marker);

    /**
     * @param host the host
     * @return its isolation marker, empty if none
     */
    Optional<IsolationMarker> readIsolationMarker(String host);

    /**
     * Removes a host's isolation marker (when it rejoins); does nothing if there is none.
     *
     * @param host the host
     */
    void clearIsolationMarker(String host);

    /** Releases adapter resources (not the leases, which simply expire). Idempotent. */
    @Override
    void close();
}
