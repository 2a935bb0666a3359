/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.CorruptCheckpointException;
import org.vmha.api.storage.CorruptDataException;
import org.vmha.api.storage.DiskHandle;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseException;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.NotFoundException;
import org.vmha.api.storage.SnapshotInfo;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageException;
import org.vmha.api.storage.StorageNames;
import org.vmha.api.storage.StorageUnavailableException;
import org.vmha.api.storage.VolumeExistsException;
import org.vmha.api.storage.VolumeInfo;

/**
 * The {@link SharedFsStorageAdapter} is responsible for a datastore kept in one directory, local or
 * shared over NFS (layout and protocols in {@code docs/storage.md}):
 *
 * <pre>
 * root/volumes/&lt;lun&gt;/volume.json, vmx.json, state/ckpt-*.swap, disks/*.vdisk, snapshots/&lt;name&gt;/, lease/
 * root/heartbeats/&lt;host&gt;.json
 * root/isolation/&lt;host&gt;.json
 * </pre>
 *
 * Every write goes to a temporary file, is fsynced, renamed atomically and the directory fsynced.
 * Names starting with a dot are temporary or being deleted and are ignored by readers.
 * <p>
 * Threading: thread-safe; writes to one volume are serialised within this JVM, other processes are
 * excluded by the lease. Calls block on file I/O.
 *
 * @author vmha - Initial contribution
 */
public final class SharedFsStorageAdapter implements StorageAdapter {

    /** The adapter type. */
    public static final String TYPE = "sharedfs";

    private static final Logger LOG = LoggerFactory.getLogger(SharedFsStorageAdapter.class);
    private static final long STALE_TEMP_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private final SharedFsSettings settings;
    private final Clock clock;
    private final Path root;
    private final Path volumesDir;
    private final Path heartbeatsDir;
    private final Path isolationDir;
    private final LeaseFiles leases;
    private final ConcurrentHashMap<String, Object> volumeLocks = new ConcurrentHashMap<>();
    private volatile Boolean reflinkWorks;
    private volatile boolean closed;

    /** Document of {@code volume.json}. */
    public record VolumeRecord(String lun, String vmId, long createdAtMillis) {
    }

    /** Document of {@code vmx.json}: the hardware description and who wrote it. */
    public record VmxDocument(long generation, long writtenAtMillis, Vmx hardware) {
    }

    /**
     * Creates the adapter; a missing root is created if the settings allow it. If the root cannot be
     * prepared the adapter still starts and every call reports why (see {@link #checkUsable()}).
     *
     * @param settings checked settings
     * @param clock judges lease expiry and stamps records
     */
    public SharedFsStorageAdapter(SharedFsSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.root = settings.root();
        this.volumesDir = root.resolve("volumes");
        this.heartbeatsDir = root.resolve("heartbeats");
        this.isolationDir = root.resolve("isolation");
        this.leases = new LeaseFiles(clock, settings.leaseDurationMillis(), settings.takeoverMarginMillis());
        try {
            prepare();
        } catch (StorageUnavailableException e) {
            LOG.error("sharedfs datastore {} is not usable yet: {}", root, e.getMessage());
        }
    }

    private void prepare() {
        FsIo.run("preparing datastore " + root, () -> {
            if (!Files.isDirectory(root)) {
                if (!settings.createRootDirectory()) {
                    throw new NoSuchFileException(root.toString(), null,
                            "root directory is missing and createRootDirectory=false (is the share mounted?)");
                }
                Files.createDirectories(root);
            }
            for (Path d : List.of(volumesDir, heartbeatsDir, isolationDir)) {
                if (!Files.isDirectory(d)) {
                    Files.createDirectories(d);
                }
            }
        });
    }

    /**
     * Checks that the datastore root and its areas exist, creating them if allowed.
     *
     * @throws StorageUnavailableException naming the path and the reason
     */
    public void checkUsable() {
        open();
        prepare();
    }

    /** @return the settings in force */
    public SharedFsSettings settings() {
        return settings;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public long leaseDurationMillis() {
        return settings.leaseDurationMillis();
    }

    // ------------------------------------------------------------------ volumes

    @Override
    public VolumeInfo provisionVolume(String vmId) {
        String lun = StorageNames.lunFor(vmId);
        requireArea(volumesDir);
        Path target = volumesDir.resolve(lun);
        if (Files.exists(target)) {
            throw new VolumeExistsException("volume " + lun + " already exists for VM " + vmId + " at " + target);
        }
        long now = clock.millis();
        Path tmp = volumesDir.resolve(FsIo.TMP + lun + "-" + UUID.randomUUID());
        FsIo.run("provisioning volume " + lun + " in " + volumesDir, () -> {
            try {
                for (String sub : List.of("state", "disks", "snapshots", "lease")) {
                    Files.createDirectories(tmp.resolve(sub));
                }
                FsIo.writeAtomically(tmp.resolve("volume.json"), Json.bytes(new VolumeRecord(lun, vmId, now)));
                FsIo.fsyncDirectory(tmp);
                Files.move(tmp, target, ATOMIC_MOVE);
            } catch (IOException e) {
                FsIo.deleteTree(tmp);
                if (Files.exists(target)) {
                    throw new VolumeExistsException("volume " + lun + " already exists for VM " + vmId + " at "
                            + target);
                }
                throw e;
            }
            FsIo.fsyncDirectory(volumesDir);
        });
        LOG.info("provisioned volume {} for VM {} at {}", lun, vmId, target);
        return inspectVolume(lun);
    }

    @Override
    public List<VolumeInfo> listVolumes() {
        requireArea(volumesDir);
        List<String> names = FsIo.io("listing volumes in " + volumesDir, () -> sortedNames(volumesDir));
        List<VolumeInfo> out = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith(".")) {
                continue;
            }
            try {
                out.add(inspectVolume(n));
            } catch (StorageException | IllegalArgumentException e) {
                LOG.warn("skipping unreadable volume directory {}: {}", volumesDir.resolve(n), e.getMessage());
            }
        }
        return out;
    }

    @Override
    public VolumeInfo inspectVolume(String lun) {
        Path vol = volumeDir(lun);
        return FsIo.io("inspecting volume " + lun + " at " + vol, () -> {
            VolumeRecord r = Json.read(vol.resolve("volume.json"), VolumeRecord.class);
            if (!lun.equals(r.lun())) {
                throw new CorruptDataException(vol.resolve("volume.json") + " names lun " + r.lun() + " but lives in "
                        + lun);
            }
            List<CheckpointFiles.Entry> ckpts = CheckpointFiles.list(vol.resolve("state"));
            long latest = ckpts.isEmpty() ? 0 : ckpts.get(ckpts.size() - 1).sequence();
            int snaps = (int) sortedNames(vol.resolve("snapshots")).stream().filter(n -> !n.startsWith(".")).count();
            int disks = (int) sortedNames(vol.resolve("disks")).stream().filter(n -> n.endsWith(".vdisk")).count();
            return new VolumeInfo(lun, r.vmId(), r.createdAtMillis(), Files.exists(vol.resolve("vmx.json")), latest,
                    snaps, disks);
        });
    }

    @Override
    public void deleteVolume(String lun, long generation) {
        Path vol = volumeDir(lun);
        synchronized (lock(lun)) {
            fence(vol, lun, generation, "delete volume");
            Path doomed = volumesDir.resolve(".deleted-" + lun + "-" + UUID.randomUUID());
            FsIo.run("deleting volume " + lun + " at " + vol, () -> {
                Files.move(vol, doomed, ATOMIC_MOVE);
                FsIo.fsyncDirectory(volumesDir);
                FsIo.deleteTree(doomed);
            });
        }
        LOG.info("deleted volume {} (generation {})", lun, generation);
    }

    // ------------------------------------------------------------------ hardware (VMX)

    @Override
    public void writeHardware(String lun, long generation, Vmx hardware) {
        if (hardware == null) {
            throw new IllegalArgumentException("hardware description for " + lun + " must not be null");
        }
        Path vol = volumeDir(lun);
        byte[] doc = Json.bytes(new VmxDocument(generation, clock.millis(), hardware));
        synchronized (lock(lun)) {
            fence(vol, lun, generation, "write hardware description");
            FsIo.run("writing " + vol.resolve("vmx.json"), () -> FsIo.writeAtomically(vol.resolve("vmx.json"), doc));
        }
    }

    @Override
    public Optional<Vmx> readHardware(String lun) {
        Path vmx = volumeDir(lun).resolve("vmx.json");
        return FsIo.io("reading " + vmx, () -> {
            try {
                return Optional.of(hardwareOf(Json.read(vmx, VmxDocument.class), vmx));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        });
    }

    private static Vmx hardwareOf(VmxDocument d, Path file) {
        if (d.hardware() == null) {
            throw new CorruptDataException(file + " has no 'hardware' object");
        }
        return d.hardware();
    }

    // ------------------------------------------------------------------ checkpoints (SWAP)

    @Override
    public CheckpointInfo writeCheckpoint(String lun, long generation, InputStream image) {
        return writeCheckpoint(lun, generation, image, null);
    }

    private CheckpointInfo writeCheckpoint(String lun, long generation, InputStream image, String expectedChecksum) {
        Path vol = volumeDir(lun);
        Path state = vol.resolve("state");
        synchronized (lock(lun)) {
            fence(vol, lun, generation, "write checkpoint");
            List<CheckpointFiles.Entry> existing = FsIo.io("listing checkpoints in " + state,
                    () -> CheckpointFiles.list(state));
            long seq = existing.isEmpty() ? 1 : existing.get(existing.size() - 1).sequence() + 1;
            cleanStaleTemps(state);
            Path tmp = state.resolve(FsIo.TMP + "ckpt-" + UUID.randomUUID());
            CheckpointInfo info;
            try {
                info = FsIo.io("writing checkpoint " + seq + " of " + lun + " to " + tmp, () -> CheckpointFiles
                        .write(tmp, new CheckpointFiles.Header(lun, seq, generation), image, clock::millis));
                if (expectedChecksum != null && !expectedChecksum.equals(info.checksum())) {
                    throw new CorruptDataException("restoring checkpoint for " + lun + ": the snapshot image hashes to "
                            + info.checksum() + " but " + expectedChecksum + " was recorded; nothing was committed");
                }
                fence(vol, lun, generation, "commit checkpoint " + seq);
            } catch (RuntimeException e) {
                FsIo.deleteQuietly(tmp);
                throw e;
            }
            Path fin = state.resolve(CheckpointFiles.name(seq, generation));
            FsIo.run("committing checkpoint " + fin, () -> {
                Files.move(tmp, fin, ATOMIC_MOVE);
                FsIo.fsyncDirectory(state);
            });
            try {
                fence(vol, lun, generation, "commit checkpoint " + seq);
            } catch (LeaseException e) {
                // a takeover happened while we renamed: withdraw the checkpoint we just made visible
                FsIo.deleteQuietly(fin);
                FsIo.run("withdrawing fenced checkpoint " + fin, () -> FsIo.fsyncDirectory(state));
                throw e;
            }
            pruneCheckpoints(lun, state);
            return info;
        }
    }

    private void pruneCheckpoints(String lun, Path state) {
        try {
            List<CheckpointFiles.Entry> all = CheckpointFiles.list(state);
            for (int i = 0; i < all.size() - settings.checkpointsRetained(); i++) {
                Files.deleteIfExists(all.get(i).file());
            }
        } catch (IOException e) {
            LOG.warn("could not delete old checkpoints of {} in {}: {}", lun, state, e.toString());
        }
    }

    private void cleanStaleTemps(Path dir) {
        long cutoff = clock.millis() - STALE_TEMP_MILLIS;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, FsIo.TMP + "*")) {
            for (Path p : ds) {
                FileTime t = Files.getLastModifiedTime(p);
                if (t.toMillis() < cutoff) {
                    LOG.info("deleting leftover temporary file {} (from a writer that died)", p);
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.debug("could not clean temporary files in {}: {}", dir, e.toString());
        }
    }

    @Override
    public List<CheckpointInfo> listCheckpoints(String lun) {
        Path state = volumeDir(lun).resolve("state");
        return FsIo.io("listing checkpoints in " + state, () -> {
            List<CheckpointInfo> out = new ArrayList<>();
            for (CheckpointFiles.Entry e : CheckpointFiles.list(state)) {
                try {
                    out.add(CheckpointFiles.trailer(e, lun));
                } catch (CorruptCheckpointException x) {
                    LOG.warn("{}", x.getMessage());
                }
            }
            return out;
        });
    }

    @Override
    public Optional<CheckpointInfo> readLatestCheckpoint(String lun, OutputStream sink) {
        Path state = volumeDir(lun).resolve("state");
        return FsIo.io("reading the latest checkpoint of " + lun + " in " + state, () -> {
            for (int attempt = 1;; attempt++) {
                List<CheckpointFiles.Entry> all = CheckpointFiles.list(state);
                if (all.isEmpty()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(CheckpointFiles.read(all.get(all.size() - 1), lun, sink));
                } catch (NoSuchFileException e) {
                    // pruned by the owner's newer checkpoints between listing and opening: list again
                    if (attempt == 3) {
                        throw e;
                    }
                }
            }
        });
    }

    @Override
    public CheckpointInfo readCheckpoint(String lun, long sequence, OutputStream sink) {
        Path state = volumeDir(lun).resolve("state");
        return FsIo.io("reading checkpoint " + sequence + " of " + lun + " in " + state, () -> {
            List<CheckpointFiles.Entry> all = CheckpointFiles.list(state);
            CheckpointFiles.Entry found = null;
            for (CheckpointFiles.Entry e : all) {
                if (e.sequence() == sequence) {
                    found = e;
                }
            }
            if (found == null) {
                throw new NotFoundException("checkpoint " + sequence + " of " + lun + " is not retained in " + state
                        + "; retained: " + all.stream().map(CheckpointFiles.Entry::sequence).toList());
            }
            return CheckpointFiles.read(found, lun, sink);
        });
    }

    // ------------------------------------------------------------------ disks (VDISK)

    @Override
    public DiskHandle createDisk(String lun, long generation, String name, long sizeBytes) {
        StorageNames.require("disk name", name);
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("disk " + name + " of " + lun + ": sizeBytes must be >= 0 but was "
                    + sizeBytes);
        }
        Path vol = volumeDir(lun);
        Path disks = vol.resolve("disks");
        Path disk = disks.resolve(name + ".vdisk");
        synchronized (lock(lun)) {
            fence(vol, lun, generation, "create disk " + name);
            FsIo.run("creating disk " + disk, () -> {
                Path target = Files.exists(disk) ? disk : disks.resolve(FsIo.TMP + name + "-" + UUID.randomUUID());
                try (RandomAccessFile f = new RandomAccessFile(target.toFile(), "rw")) {
                    f.setLength(sizeBytes);
                    f.getFD().sync();
                }
                if (!target.equals(disk)) {
                    Files.move(target, disk, ATOMIC_MOVE);
                }
                FsIo.fsyncDirectory(disks);
            });
        }
        return new DiskHandle(lun, name, disk.toUri(), sizeBytes);
    }

    @Override
    public List<DiskHandle> listDisks(String lun) {
        Path disks = volumeDir(lun).resolve("disks");
        return FsIo.io("listing disks in " + disks, () -> {
            List<DiskHandle> out = new ArrayList<>();
            for (String n : sortedNames(disks)) {
                if (n.endsWith(".vdisk") && !n.startsWith(".")) {
                    Path p = disks.resolve(n);
                    out.add(new DiskHandle(lun, n.substring(0, n.length() - ".vdisk".length()), p.toUri(),
                            Files.size(p)));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ snapshots (SS)

    @Override
    public SnapshotInfo createSnapshot(String lun, long generation, String name) {
        StorageNames.require("snapshot name", name);
        Path vol = volumeDir(lun);
        Path snaps = vol.resolve("snapshots");
        Path target = snaps.resolve(name);
        synchronized (lock(lun)) {
            fence(vol, lun, generation, "create snapshot " + name);
            if (Files.exists(target)) {
                throw new StorageException("snapshot " + name + " of " + lun + " already exists at " + target);
            }
            Path tmp = snaps.resolve(FsIo.TMP + name + "-" + UUID.randomUUID());
            try {
                return FsIo.io("creating snapshot " + name + " of " + lun + " in " + tmp, () -> {
                    Files.createDirectories(tmp.resolve("disks"));
                    boolean allReflinked = true;
                    Path vmx = vol.resolve("vmx.json");
                    if (Files.exists(vmx)) {
                        allReflinked &= cloneFile(vmx, tmp.resolve("vmx.json"));
                    }
                    long seq = 0;
                    List<CheckpointFiles.Entry> ckpts = CheckpointFiles.list(vol.resolve("state"));
                    if (!ckpts.isEmpty()) {
                        CheckpointFiles.Entry latest = ckpts.get(ckpts.size() - 1);
                        seq = CheckpointFiles.trailer(latest, lun).sequence();
                        allReflinked &= cloneFile(latest.file(), tmp.resolve(latest.file().getFileName().toString()));
                    }
                    for (String d : sortedNames(vol.resolve("disks"))) {
                        if (d.endsWith(".vdisk") && !d.startsWith(".")) {
                            allReflinked &= cloneFile(vol.resolve("disks").resolve(d), tmp.resolve("disks").resolve(d));
                        }
                    }
                    SnapshotInfo info = new SnapshotInfo(lun, name, clock.millis(), generation, seq,
                            allReflinked ? SnapshotInfo.CopyMethod.REFLINK : SnapshotInfo.CopyMethod.COPY);
                    FsIo.writeAtomically(tmp.resolve("snapshot.json"), Json.bytes(info));
                    FsIo.fsyncDirectory(tmp.resolve("disks"));
                    FsIo.fsyncDirectory(tmp);
                    Files.move(tmp, target, ATOMIC_MOVE);
                    FsIo.fsyncDirectory(snaps);
                    LOG.info("snapshot {} of {} taken by {} copy", name, lun, info.method());
                    return info;
                });
            } catch (RuntimeException e) {
                FsIo.run("cleaning up " + tmp, () -> FsIo.deleteTree(tmp));
                throw e;
            }
        }
    }

    /**
     * Copies a file, as a copy-on-write reflink when the filesystem allows it.
     *
     * @return true if it was reflinked
     */
    private boolean cloneFile(Path src, Path dst) throws IOException {
        if (settings.snapshotMode().equals("auto") && !Boolean.FALSE.equals(reflinkWorks)) {
            if (runCp("--reflink=always", src, dst)) {
                reflinkWorks = Boolean.TRUE;
                FsIo.fsyncFile(dst);
                return true;
            }
            Files.deleteIfExists(dst);
            if (reflinkWorks == null) {
                LOG.info("filesystem of {} does not support reflinks; snapshots are full copies", root);
            }
            reflinkWorks = Boolean.FALSE;
        }
        if (!runCp("--sparse=always", src, dst)) {
            Files.deleteIfExists(dst);
            Files.copy(src, dst);
        }
        FsIo.fsyncFile(dst);
        return false;
    }

    private static boolean runCp(String option, Path src, Path dst) {
        try {
            Process p = new ProcessBuilder("cp", option, "--", src.toString(), dst.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public List<SnapshotInfo> listSnapshots(String lun) {
        Path snaps = volumeDir(lun).resolve("snapshots");
        return FsIo.io("listing snapshots in " + snaps, () -> {
            List<SnapshotInfo> out = new ArrayList<>();
            for (String n : sortedNames(snaps)) {
                if (!n.startsWith(".")) {
                    try {
                        out.add(Json.read(snaps.resolve(n).resolve("snapshot.json"), SnapshotInfo.class));
                    } catch (CorruptDataException | NoSuchFileException e) {
                        LOG.warn("skipping unreadable snapshot {}: {}", snaps.resolve(n), e.getMessage());
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void rollbackSnapshot(String lun, long generation, String name) {
        StorageNames.require("snapshot name", name);
        Path vol = volumeDir(lun);
        Path snap = snapshotDir(vol, lun, name);
        synchronized (lock(lun)) {
            fence(vol, lun, generation, "roll back to snapshot " + name);
            SnapshotInfo info = FsIo.io("reading snapshot " + snap, () -> Json.read(snap.resolve("snapshot.json"),
                    SnapshotInfo.class));
            // 1. the memory state, verified against the checksum recorded in the snapshot
            if (info.checkpointSequence() > 0) {
                CheckpointFiles.Entry e = FsIo.io("reading snapshot " + snap, () -> CheckpointFiles.list(snap)).get(0);
                CheckpointInfo c = FsIo.io("reading snapshot checkpoint " + e.file(), () -> CheckpointFiles.trailer(e,
                        lun));
                FsIo.run("restoring checkpoint from " + e.file(), () -> {
                    try (InputStream in = new BoundedInputStream(Files.newInputStream(e.file()), c.sizeBytes())) {
                        writeCheckpoint(lun, generation, in, c.checksum());
                    }
                });
            }
            FsIo.run("rolling back " + lun + " to snapshot " + name, () -> {
                // 2. the disks: build the new set aside, then swap directories
                Path disks = vol.resolve("disks");
                Path fresh = vol.resolve(FsIo.TMP + "disks-" + UUID.randomUUID());
                Files.createDirectories(fresh);
                for (String d : sortedNames(snap.resolve("disks"))) {
                    cloneFile(snap.resolve("disks").resolve(d), fresh.resolve(d));
                }
                FsIo.fsyncDirectory(fresh);
                Path old = vol.resolve(".old-disks-" + UUID.randomUUID());
                Files.move(disks, old, ATOMIC_MOVE);
                Files.move(fresh, disks, ATOMIC_MOVE);
                FsIo.fsyncDirectory(vol);
                FsIo.deleteTree(old);
                // 3. the hardware description
                Path vmx = vol.resolve("vmx.json");
                if (Files.exists(snap.resolve("vmx.json"))) {
                    Path tmp = vol.resolve(FsIo.TMP + "vmx-" + UUID.randomUUID());
                    cloneFile(snap.resolve("vmx.json"), tmp);
                    Files.move(tmp, vmx, ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(vmx);
                }
                FsIo.fsyncDirectory(vol);
            });
        }
        LOG.info("rolled {} back to snapshot {} (generation {})", lun, name, generation);
    }

    @Override
    public void deleteSnapshot(String lun, long generation, String name) {
        StorageNames.require("snapshot name", name);
        Path vol = volumeDir(lun);
        Path snap = snapshotDir(vol, lun, name);
        synchronized (lock(lun)) {
            fence(vol, lun, generation, "delete snapshot " + name);
            Path doomed = vol.resolve("snapshots").resolve(".deleted-" + name + "-" + UUID.randomUUID());
            FsIo.run("deleting snapshot " + snap, () -> {
                Files.move(snap, doomed, ATOMIC_MOVE);
                FsIo.fsyncDirectory(vol.resolve("snapshots"));
                FsIo.deleteTree(doomed);
            });
        }
    }

    private static Path snapshotDir(Path vol, String lun, String name) {
        Path snap = vol.resolve("snapshots").resolve(name);
        if (!Files.isDirectory(snap)) {
            throw new NotFoundException("snapshot " + name + " of " + lun + " does not exist at " + snap);
        }
        return snap;
    }

    // ------------------------------------------------------------------ leases

    @Override
    public Lease acquireLease(String lun, String host) {
        StorageNames.require("host", host);
        Path dir = volumeDir(lun).resolve("lease");
        Lease lease = FsIo.io("acquiring the lease of " + lun + " for " + host + " in " + dir,
                () -> leases.acquire(dir, lun, host));
        LOG.debug("{} acquired {} generation {}", host, lun, lease.generation());
        return lease;
    }

    @Override
    public Lease renewLease(Lease lease) {
        Path dir = volumeDir(lease.lun()).resolve("lease");
        return FsIo.io("renewing the lease of " + lease.lun() + " generation " + lease.generation() + " for "
                + lease.host() + " in " + dir, () -> leases.renew(dir, lease));
    }

    @Override
    public void releaseLease(Lease lease) {
        Path dir = volumeDir(lease.lun()).resolve("lease");
        FsIo.run("releasing the lease of " + lease.lun() + " generation " + lease.generation() + " for "
                + lease.host() + " in " + dir, () -> leases.release(dir, lease));
    }

    @Override
    public Optional<LeaseState> inspectLease(String lun) {
        Path dir = volumeDir(lun).resolve("lease");
        return FsIo.io("reading the lease of " + lun + " in " + dir, () -> Optional.ofNullable(leases.current(dir,
                lun)));
    }

    private void fence(Path vol, String lun, long generation, String what) {
        Path dir = vol.resolve("lease");
        FsIo.io("checking the lease of " + lun + " in " + dir, () -> leases.fence(dir, lun, generation, what));
    }

    // ------------------------------------------------------------------ heartbeats

    @Override
    public HeartbeatRecord writeHeartbeat(String host, long sequence) {
        open();
        HeartbeatRecord r = new HeartbeatRecord(host, sequence, clock.millis());
        Path f = heartbeatsDir.resolve(host + ".json");
        FsIo.run("writing the datastore heartbeat of " + host + " to " + f, () -> FsIo.writeAtomically(f,
                Json.bytes(r)));
        return r;
    }

    @Override
    public List<HeartbeatRecord> readHeartbeats() {
        requireArea(heartbeatsDir);
        return FsIo.io("reading heartbeats in " + heartbeatsDir, () -> {
            List<HeartbeatRecord> out = new ArrayList<>();
            for (String n : sortedNames(heartbeatsDir)) {
                if (n.endsWith(".json") && !n.startsWith(".")) {
                    try {
                        HeartbeatRecord r = Json.read(heartbeatsDir.resolve(n), HeartbeatRecord.class);
                        if (!n.equals(r.host() + ".json")) {
                            throw new CorruptDataException(heartbeatsDir.resolve(n) + " holds the heartbeat of host "
                                    + r.host());
                        }
                        out.add(r);
                    } catch (CorruptDataException | NoSuchFileException e) {
                        LOG.warn("skipping unreadable heartbeat {}: {}", heartbeatsDir.resolve(n), e.getMessage());
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Optional<HeartbeatRecord> readHeartbeat(String host) {
        open();
        Path f = heartbeatsDir.resolve(StorageNames.require("host", host) + ".json");
        return readOptional(f, HeartbeatRecord.class, "reading the heartbeat of " + host);
    }

    @Override
    public void writeIsolationMarker(IsolationMarker marker) {
        open();
        Path f = isolationDir.resolve(marker.host() + ".json");
        FsIo.run("writing the isolation marker of " + marker.host() + " to " + f, () -> FsIo.writeAtomically(f,
                Json.bytes(marker)));
    }

    @Override
    public Optional<IsolationMarker> readIsolationMarker(String host) {
        open();
        Path f = isolationDir.resolve(StorageNames.require("host", host) + ".json");
        return readOptional(f, IsolationMarker.class, "reading the isolation marker of " + host);
    }

    @Override
    public void clearIsolationMarker(String host) {
        open();
        Path f = isolationDir.resolve(StorageNames.require("host", host) + ".json");
        FsIo.run("clearing the isolation marker " + f, () -> {
            if (Files.deleteIfExists(f)) {
                FsIo.fsyncDirectory(isolationDir);
            }
        });
    }

    private <T> Optional<T> readOptional(Path f, Class<T> type, String what) {
        return FsIo.io(what + " from " + f, () -> {
            try {
                return Optional.of(Json.read(f, type));
            } catch (NoSuchFileException e) {
                if (!Files.isDirectory(f.getParent())) {
                    throw e;
                }
                return Optional.empty();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
    }

    /** @return true once {@link #close()} was called */
    boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ internals

    private void open() {
        if (closed) {
            throw new StorageUnavailableException("sharedfs storage adapter for " + root + " is closed");
        }
    }

    private void requireArea(Path dir) {
        open();
        if (!Files.isDirectory(dir) && Files.isDirectory(root)) {
            prepare(); // the root appeared (mounted late): initialise it
        }
        if (!Files.isDirectory(dir)) {
            throw new StorageUnavailableException("datastore area " + dir + " is missing: the root " + root
                    + (Files.isDirectory(root) ? " exists but is not initialised" : " is missing (not mounted?)"));
        }
    }

    private Path volumeDir(String lun) {
        StorageNames.require("lun", lun);
        requireArea(volumesDir);
        Path vol = volumesDir.resolve(lun);
        if (!Files.isDirectory(vol)) {
            throw new NotFoundException("volume " + lun + " does not exist at " + vol);
        }
        return vol;
    }

    private Object lock(String lun) {
        return volumeLocks.computeIfAbsent(lun, k -> new Object());
    }

    private static List<String> sortedNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        names.sort(null);
        return names;
    }

    /** An input stream that ends after a fixed number of bytes. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
