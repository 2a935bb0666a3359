/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.CorruptCheckpointException;
import org.vmha.api.storage.DiskHandle;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseExpiredException;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.storage.LeaseRenewal;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.NotFoundException;
import org.vmha.api.storage.SnapshotInfo;
import org.vmha.api.storage.StaleGenerationException;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageException;
import org.vmha.api.storage.StorageNames;
import org.vmha.api.storage.StorageUnavailableException;
import org.vmha.api.storage.VolumeExistsException;
import org.vmha.api.storage.VolumeInfo;

/**
 * The {@link InMemoryStorageAdapter} is responsible for being the reference {@link StorageAdapter}:
 * it keeps every volume, lease and heartbeat in sorted maps and judges lease expiry on the injected
 * {@link Clock}, so the same calls under the same clock give the same results on every run (the
 * deterministic simulator relies on that).
 * <p>
 * Threading: every public method is {@code synchronized}; none blocks on anything but the caller's
 * own image stream.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class InMemoryStorageAdapter implements StorageAdapter {

    /** The adapter type. */
    public static final String TYPE = "memory";

    /** Default number of complete checkpoints kept per volume. */
    public static final int DEFAULT_CHECKPOINTS_RETAINED = 2;

    private final Clock clock;
    private final long leaseDurationMillis;
    private final int checkpointsRetained;
    private final TreeMap<String, Volume> volumes = new TreeMap<>();
    /** The same volumes for lookups by name (a hash lookup instead of a tree walk per lease renewal). */
    private final HashMap<String, Volume> volumeIndex = new HashMap<>();
    /**
     * The latest datastore heartbeat of every host, in host name order: every host reads all of them
     * every interval, so they are kept as an array (copied on read) with a slot per host (replaced in
     * place on write) instead of a tree walked on every read.
     */
    private HeartbeatRecord[] heartbeats = new HeartbeatRecord[0];
    private final HashMap<String, Integer> heartbeatSlots = new HashMap<>();
    private final TreeMap<String, IsolationMarker> markers = new TreeMap<>();
    private boolean closed;

    /**
     * @param clock judges lease expiry and stamps records
     * @param leaseDurationMillis lease duration, at least 1
     */
    public InMemoryStorageAdapter(Clock clock, long leaseDurationMillis) {
        this(clock, leaseDurationMillis, DEFAULT_CHECKPOINTS_RETAINED);
    }

    /**
     * @param clock judges lease expiry and stamps records
     * @param leaseDurationMillis lease duration, at least 1
     * @param checkpointsRetained complete checkpoints kept per volume, at least 1
     */
    public InMemoryStorageAdapter(Clock clock, long leaseDurationMillis, int checkpointsRetained) {
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        if (leaseDurationMillis < 1) {
            throw new IllegalArgumentException("leaseDurationMillis must be >= 1 but was " + leaseDurationMillis);
        }
        if (checkpointsRetained < 1) {
            throw new IllegalArgumentException("checkpointsRetained must be >= 1 but was " + checkpointsRetained);
        }
        this.clock = clock;
        this.leaseDurationMillis = leaseDurationMillis;
        this.checkpointsRetained = checkpointsRetained;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String location() {
        return "memory";
    }

    @Override
    public long leaseDurationMillis() {
        return leaseDurationMillis;
    }

    // ------------------------------------------------------------------ volumes

    @Override
    public synchronized VolumeInfo provisionVolume(String vmId) {
        open();
        String lun = StorageNames.lunFor(vmId);
        if (volumes.containsKey(lun)) {
            throw new VolumeExistsException("volume " + lun + " already exists for VM " + vmId);
        }
        Volume v = new Volume(lun, vmId, now());
        volumes.put(lun, v);
        volumeIndex.put(lun, v);
        return v.info();
    }

    @Override
    public synchronized List<VolumeInfo> listVolumes() {
        open();
        List<VolumeInfo> out = new ArrayList<>();
        for (Volume v : volumes.values()) {
            out.add(v.info());
        }
        return out;
    }

    @Override
    public synchronized VolumeInfo inspectVolume(String lun) {
        return volume(lun).info();
    }

    @Override
    public synchronized void deleteVolume(String lun, long generation) {
        Volume v = volume(lun);
        fence(v, generation, "delete volume");
        volumes.remove(lun);
        volumeIndex.remove(lun);
    }

    // ------------------------------------------------------------------ hardware

    @Override
    public synchronized void writeHardware(String lun, long generation, Vmx hardware) {
        if (hardware == null) {
            throw new IllegalArgumentException("hardware description for " + lun + " must not be null");
        }
        Volume v = volume(lun);
        fence(v, generation, "write hardware description");
        v.hardware = hardware;
    }

    @Override
    public synchronized Optional<Vmx> readHardware(String lun) {
        return Optional.ofNullable(volume(lun).hardware);
    }

    // ------------------------------------------------------------------ checkpoints

    @Override
    public CheckpointInfo writeCheckpoint(String lun, long generation, InputStream image) {
        synchronized (this) {
            fence(volume(lun), generation, "write checkpoint");
        }
        byte[] data;
        try {
            data = image.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("reading the state image for " + lun + " (generation " + generation
                    + ") failed: " + e.getMessage(), e);
        }
        synchronized (this) {
            Volume v = volume(lun);
            fence(v, generation, "write checkpoint");
            return v.commit(data, generation, now());
        }
    }

    @Override
    public synchronized List<CheckpointInfo> listCheckpoints(String lun) {
        List<CheckpointInfo> out = new ArrayList<>();
        for (Checkpoint c : volume(lun).checkpoints.values()) {
            out.add(c.info);
        }
        return out;
    }

    @Override
    public Optional<CheckpointInfo> readLatestCheckpoint(String lun, OutputStream sink) {
        Checkpoint c;
        synchronized (this) {
            Map.Entry<Long, Checkpoint> e = volume(lun).checkpoints.lastEntry();
            if (e == null) {
                return Optional.empty();
            }
            c = e.getValue();
        }
        return Optional.of(stream(c, sink));
    }

    @Override
    public CheckpointInfo readCheckpoint(String lun, long sequence, OutputStream sink) {
        Checkpoint c;
        synchronized (this) {
            Volume v = volume(lun);
            c = v.checkpoints.get(sequence);
            if (c == null) {
                throw new NotFoundException("checkpoint " + sequence + " of " + lun + " is not retained; retained: "
                        + v.checkpoints.keySet());
            }
        }
        return stream(c, sink);
    }

    /**
     * Test and simulator hook: damages the stored bytes of a checkpoint, the way a bad disk would.
     *
     * @param lun the volume
     * @param sequence the checkpoint
     * @param offset which byte to flip
     */
    public synchronized void corruptCheckpoint(String lun, long sequence, int offset) {
        Checkpoint c = volume(lun).checkpoints.get(sequence);
        if (c == null) {
            throw new NotFoundException("checkpoint " + sequence + " of " + lun + " is not retained");
        }
        byte[] damaged = c.data.clone();
        damaged[offset] ^= (byte) 0xFF;
        volume(lun).checkpoints.put(sequence, new Checkpoint(c.info, damaged));
    }

    /**
     * Test and simulator hook: makes the latest complete checkpoint of a volume unreadable (a flipped
     * byte: reads of it throw {@link CorruptCheckpointException}); it stays listed, older ones stay
     * readable.
     *
     * @param lun the volume
     * @return the sequence of the checkpoint damaged, empty if the volume has none
     */
    public synchronized OptionalLong corruptLatestCheckpoint(String lun) {
        Map.Entry<Long, Checkpoint> e = volume(lun).checkpoints.lastEntry();
        if (e == null) {
            return OptionalLong.empty();
        }
        Checkpoint c = e.getValue();
        if (c.data.length == 0) {
            // nothing to flip: one extra byte breaks the checksum just as well
            volume(lun).checkpoints.put(e.getKey(), new Checkpoint(c.info, new byte[] {0}));
        } else {
            corruptCheckpoint(lun, e.getKey(), c.data.length / 2);
        }
        return OptionalLong.of(e.getKey());
    }

    private CheckpointInfo stream(Checkpoint c, OutputStream sink) {
        String actual = checksum(c.data);
        if (!actual.equals(c.info.checksum())) {
            throw new CorruptCheckpointException(c.info.lun(), c.info.sequence(), "checkpoint " + c.info.sequence()
                    + " of " + c.info.lun() + " is corrupt: checksum " + actual + " but " + c.info.checksum()
                    + " was written; earlier checkpoints stay readable");
        }
        try {
            sink.write(c.data);
        } catch (IOException e) {
            throw new StorageException("writing checkpoint " + c.info.sequence() + " of " + c.info.lun()
                    + " to the caller's stream failed: " + e.getMessage(), e);
        }
        return c.info;
    }

    // ------------------------------------------------------------------ disks

    @Override
    public synchronized DiskHandle createDisk(String lun, long generation, String name, long sizeBytes) {
        StorageNames.require("disk name", name);
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("disk " + name + " of " + lun + ": sizeBytes must be >= 0 but was "
                    + sizeBytes);
        }
        Volume v = volume(lun);
        fence(v, generation, "create disk " + name);
        DiskHandle d = new DiskHandle(lun, name, URI.create("memory:/" + lun + "/disks/" + name), sizeBytes);
        v.disks.put(name, d);
        return d;
    }

    @Override
    public synchronized List<DiskHandle> listDisks(String lun) {
        return List.copyOf(volume(lun).disks.values());
    }

    // ------------------------------------------------------------------ snapshots

    @Override
    public synchronized SnapshotInfo createSnapshot(String lun, long generation, String name) {
        StorageNames.require("snapshot name", name);
        Volume v = volume(lun);
        fence(v, generation, "create snapshot " + name);
        if (v.snapshots.containsKey(name)) {
            throw new StorageException("snapshot " + name + " of " + lun + " already exists");
        }
        Map.Entry<Long, Checkpoint> latest = v.checkpoints.lastEntry();
        Checkpoint c = latest == null ? null : latest.getValue();
        SnapshotInfo info = new SnapshotInfo(lun, name, now(), generation, c == null ? 0 : c.info.sequence(),
                SnapshotInfo.CopyMethod.SHARED_MEMORY);
        v.snapshots.put(name, new Snapshot(info, v.hardware, c, new TreeMap<>(v.disks)));
        return info;
    }

    @Override
    public synchronized List<SnapshotInfo> listSnapshots(String lun) {
        List<SnapshotInfo> out = new ArrayList<>();
        for (Snapshot s : volume(lun).snapshots.values()) {
            out.add(s.info);
        }
        return out;
    }

    @Override
    public synchronized void rollbackSnapshot(String lun, long generation, String name) {
        Volume v = volume(lun);
        fence(v, generation, "roll back to snapshot " + name);
        Snapshot s = snapshot(v, name);
        v.hardware = s.hardware;
        v.disks.clear();
        v.disks.putAll(s.disks);
        if (s.checkpoint != null) {
            v.commit(s.checkpoint.data, generation, now());
        }
    }

    @Override
    public synchronized void deleteSnapshot(String lun, long generation, String name) {
        Volume v = volume(lun);
        fence(v, generation, "delete snapshot " + name);
        snapshot(v, name);
        v.snapshots.remove(name);
    }

    private static Snapshot snapshot(Volume v, String name) {
        Snapshot s = v.snapshots.get(name);
        if (s == null) {
            throw new NotFoundException("snapshot " + name + " of " + v.lun + " does not exist; snapshots: "
                    + v.snapshots.keySet());
        }
        return s;
    }

    // ------------------------------------------------------------------ leases

    @Override
    public synchronized Lease acquireLease(String lun, String host) {
        StorageNames.require("host", host);
        Volume v = volume(lun);
        long now = now();
        LeaseState s = v.lease;
        if (s != null && s.isLive(now)) {
            throw new LeaseHeldException(lun, s.owner(), s.generation(), s.expiresAtMillis(), "volume " + lun
                    + " is leased by " + s.owner() + " (generation " + s.generation() + ") until "
                    + s.expiresAtMillis() + "; " + host + " may take over only after expiry");
        }
        long generation = s == null ? 1 : s.generation() + 1;
        v.lease = new LeaseState(lun, host, generation, now, now + leaseDurationMillis, false);
        return new Lease(lun, host, generation, now, now + leaseDurationMillis);
    }

    @Override
    public synchronized Lease renewLease(Lease lease) {
        return renew(lease, now());
    }

    @Override
    public synchronized List<LeaseRenewal> renewLeases(List<Lease> batch) {
        // one monitor entry and one clock reading for the whole batch; each lease is renewed as by renewLease
        open();
        long now = now();
        List<LeaseRenewal> out = new ArrayList<>(batch.size());
        for (Lease l : batch) {
            try {
                out.add(LeaseRenewal.renewed(l, renew(l, now)));
            } catch (StorageException e) {
                out.add(LeaseRenewal.failed(l, e));
            }
        }
        return out;
    }

    private Lease renew(Lease lease, long now) {
        Volume v = volume(lease.lun());
        fence(v, lease.generation(), "renew lease of ", lease.host(), now);
        LeaseState s = v.lease;
        v.lease = new LeaseState(s.lun(), s.owner(), s.generation(), s.acquiredAtMillis(), now + leaseDurationMillis,
                false);
        return new Lease(lease.lun(), s.owner(), s.generation(), s.acquiredAtMillis(), now + leaseDurationMillis);
    }

    @Override
    public synchronized void releaseLease(Lease lease) {
        Volume v = volume(lease.lun());
        fence(v, lease.generation(), "release lease of ", lease.host());
        LeaseState s = v.lease;
        v.lease = new LeaseState(s.lun(), s.owner(), s.generation(), s.acquiredAtMillis(), now(), true);
    }

    @Override
    public synchronized Optional<LeaseState> inspectLease(String lun) {
        return Optional.ofNullable(volume(lun).lease);
    }

    private void fence(Volume v, long generation, String what) {
        fence(v, generation, what, "");
    }

    private void fence(Volume v, long generation, String action, String by) {
        fence(v, generation, action, by, now());
    }

    private void fence(Volume v, long generation, String action, String by, long now) {
        // the message is built only on refusal: renewals run thousands of times per second in ha-sim
        LeaseState s = v.lease;
        long current = s == null ? 0 : s.generation();
        if (s == null || generation != current) {
            throw new StaleGenerationException(v.lun, generation, current, action + by + " on " + v.lun
                    + " refused: generation " + generation + " is stale, the current lease generation is " + current
                    + (s == null ? " (never leased)" : " held by " + s.owner()));
        }
        if (!s.isLive(now)) {
            throw new LeaseExpiredException(v.lun, generation, action + by + " on " + v.lun + " refused: lease generation "
                    + generation + " of " + s.owner() + (s.released() ? " was released" : " expired at "
                            + s.expiresAtMillis() + " (now " + now + ")"));
        }
    }

    // ------------------------------------------------------------------ heartbeats

    @Override
    public synchronized HeartbeatRecord writeHeartbeat(String host, long sequence) {
        open();
        HeartbeatRecord r = new HeartbeatRecord(host, sequence, now());
        Integer slot = heartbeatSlots.get(host);
        if (slot != null) {
            heartbeats[slot] = r;
        } else {
            // a new host: rebuild the name order (rare: once per host)
            TreeMap<String, HeartbeatRecord> byHost = new TreeMap<>();
            for (HeartbeatRecord h : heartbeats) {
                byHost.put(h.host(), h);
            }
            byHost.put(host, r);
            heartbeats = byHost.values().toArray(new HeartbeatRecord[0]);
            heartbeatSlots.clear();
            for (int i = 0; i < heartbeats.length; i++) {
                heartbeatSlots.put(heartbeats[i].host(), i);
            }
        }
        return r;
    }

    @Override
    public synchronized List<HeartbeatRecord> readHeartbeats() {
        open();
        return List.of(heartbeats);
    }

    @Override
    public synchronized Optional<HeartbeatRecord> readHeartbeat(String host) {
        open();
        Integer slot = heartbeatSlots.get(StorageNames.require("host", host));
        return slot == null ? Optional.empty() : Optional.of(heartbeats[slot]);
    }

    @Override
    public synchronized void writeIsolationMarker(IsolationMarker marker) {
        open();
        markers.put(marker.host(), marker);
    }

    @Override
    public synchronized Optional<IsolationMarker> readIsolationMarker(String host) {
        open();
        return Optional.ofNullable(markers.get(StorageNames.require("host", host)));
    }

    @Override
    public synchronized void clearIsolationMarker(String host) {
        open();
        markers.remove(StorageNames.require("host", host));
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    // ------------------------------------------------------------------ internals

    private long now() {
        return clock.millis();
    }

    private void open() {
        if (closed) {
            throw new StorageUnavailableException("in-memory storage adapter is closed");
        }
    }

    private Volume volume(String lun) {
        open();
        // every stored volume's name was validated when it was provisioned, so a hit needs no check;
        // a miss is validated first so that a malformed name is still reported as such
        Volume v = lun == null ? null : volumeIndex.get(lun);
        if (v == null) {
            StorageNames.require("lun", lun);
            throw new NotFoundException("volume " + lun + " does not exist");
        }
        return v;
    }

    static String checksum(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        // "crc32c:%08x" without a Formatter (every simulated VM writes a checkpoint every interval)
        String hex = Long.toHexString(crc.getValue());
        return "crc32c:" + "00000000".substring(hex.length()) + hex;
    }

    private record Checkpoint(CheckpointInfo info, byte[] data) {
    }

    private record Snapshot(SnapshotInfo info, Vmx hardware, Checkpoint checkpoint,
            TreeMap<String, DiskHandle> disks) {
    }

    private final class Volume {
        final String lun;
        final String vmId;
        final long createdAt;
        Vmx hardware;
        LeaseState lease;
        long lastSequence;
        final TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();
        final TreeMap<String, DiskHandle> disks = new TreeMap<>();
        final TreeMap<String, Snapshot> snapshots = new TreeMap<>();

        Volume(String lun, String vmId, long createdAt) {
            this.lun = lun;
            this.vmId = vmId;
            this.createdAt = createdAt;
        }

        CheckpointInfo commit(byte[] data, long generation, long now) {
            lastSequence++;
            CheckpointInfo info = new CheckpointInfo(lun, lastSequence, generation, data.length, checksum(data), now);
            checkpoints.put(lastSequence, new Checkpoint(info, data));
            while (checkpoints.size() > checkpointsRetained) {
                checkpoints.pollFirstEntry();
            }
            return info;
        }

        VolumeInfo info() {
            return new VolumeInfo(lun, vmId, createdAt, hardware != null, checkpoints.isEmpty() ? 0
                    : checkpoints.lastKey(), snapshots.size(), disks.size());
        }
    }
}
