/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.DiskHandle;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.SnapshotInfo;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.VolumeInfo;

/**
 * The {@link SharedFsStorageAdapterComponent} is responsible for publishing the configured
 * shared-directory datastore as a {@link StorageAdapter} service (pid {@value SharedFsConfiguration#PID}).
 * It works with its defaults when no configuration exists. A configuration change ({@code @Modified})
 * swaps in a new adapter without unregistering the service; bad values are logged with key, value and
 * reason and replaced by their defaults. The metatype is the typed {@link SharedFsConfiguration}; the
 * component receives the raw property map so that {@link SharedFsSettings} can see (and report) a bad
 * value such as {@code leaseDurationMillis=soon} instead of a silently coerced one.
 * <p>
 * Threading: the delegate is swapped through a volatile field; calls in flight finish on the adapter
 * they started on.
 *
 * @author vmha - Initial contribution
 */
@Component(service = StorageAdapter.class, configurationPid = SharedFsConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "storage.type=" + SharedFsStorageAdapter.TYPE)
@Designate(ocd = SharedFsConfiguration.class)
public class SharedFsStorageAdapterComponent implements StorageAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SharedFsStorageAdapterComponent.class);

    private final Clock clock;
    private volatile SharedFsStorageAdapter delegate;

    @Activate
    public SharedFsStorageAdapterComponent(Map<String, Object> properties) {
        this(properties, Clock.systemUTC());
    }

    SharedFsStorageAdapterComponent(Map<String, Object> properties, Clock clock) {
        this.clock = clock;
        this.delegate = create(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        SharedFsStorageAdapter old = delegate;
        delegate = create(properties);
        old.close();
    }

    @Deactivate
    void deactivate() {
        delegate.close();
    }

    private SharedFsStorageAdapter create(Map<String, Object> properties) {
        SharedFsSettings s = SharedFsSettings.from(properties, problem -> LOG.error(
                "configuration {}: {}", SharedFsConfiguration.PID, problem));
        LOG.info("sharedfs datastore at {} (lease {} ms, takeover margin {} ms, {} checkpoints kept, snapshots {})",
                s.root(), s.leaseDurationMillis(), s.takeoverMarginMillis(), s.checkpointsRetained(), s.snapshotMode());
        return new SharedFsStorageAdapter(s, clock);
    }

    /** @return the adapter currently in force (for tests) */
    SharedFsStorageAdapter current() {
        return delegate;
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public long leaseDurationMillis() {
        return delegate.leaseDurationMillis();
    }

    @Override
    public VolumeInfo provisionVolume(String vmId) {
        return delegate.provisionVolume(vmId);
    }

    @Override
    public List<VolumeInfo> listVolumes() {
        return delegate.listVolumes();
    }

    @Override
    public VolumeInfo inspectVolume(String lun) {
        return delegate.inspectVolume(lun);
    }

    @Override
    public void deleteVolume(String lun, long generation) {
        delegate.deleteVolume(lun, generation);
    }

    @Override
    public void writeHardware(String lun, long generation, Vmx hardware) {
        delegate.writeHardware(lun, generation, hardware);
    }

    @Override
    public Optional<Vmx> readHardware(String lun) {
        return delegate.readHardware(lun);
    }

    @Override
    public CheckpointInfo writeCheckpoint(String lun, long generation, InputStream image) {
        return delegate.writeCheckpoint(lun, generation, image);
    }

    @Override
    public List<CheckpointInfo> listCheckpoints(String lun) {
        return delegate.listCheckpoints(lun);
    }

    @Override
    public Optional<CheckpointInfo> readLatestCheckpoint(String lun, OutputStream sink) {
        return delegate.readLatestCheckpoint(lun, sink);
    }

    @Override
    public CheckpointInfo readCheckpoint(String lun, long sequence, OutputStream sink) {
        return delegate.readCheckpoint(lun, sequence, sink);
    }

    @Override
    public DiskHandle createDisk(String lun, long generation, String name, long sizeBytes) {
        return delegate.createDisk(lun, generation, name, sizeBytes);
    }

    @Override
    public List<DiskHandle> listDisks(String lun) {
        return delegate.listDisks(lun);
    }

    @Override
    public SnapshotInfo createSnapshot(String lun, long generation, String name) {
        return delegate.createSnapshot(lun, generation, name);
    }

    @Override
    public List<SnapshotInfo> listSnapshots(String lun) {
        return delegate.listSnapshots(lun);
    }

    @Override
    public void rollbackSnapshot(String lun, long generation, String name) {
        delegate.rollbackSnapshot(lun, generation, name);
    }

    @Override
    public void deleteSnapshot(String lun, long generation, String name) {
        delegate.deleteSnapshot(lun, generation, name);
    }

    @Override
    public Lease acquireLease(String lun, String host) {
        return delegate.acquireLease(lun, host);
    }

    @Override
    public Lease renewLease(Lease lease) {
        return delegate.renewLease(lease);
    }

    @Override
    public void releaseLease(Lease lease) {
        delegate.releaseLease(lease);
    }

    @Override
    public Optional<LeaseState> inspectLease(String lun) {
        return delegate.inspectLease(lun);
    }

    @Override
    public HeartbeatRecord writeHeartbeat(String host, long sequence) {
        return delegate.writeHeartbeat(host, sequence);
    }

    @Override
    public List<HeartbeatRecord> readHeartbeats() {
        return delegate.readHeartbeats();
    }

    @Override
    public Optional<HeartbeatRecord> readHeartbeat(String host) {
        return delegate.readHeartbeat(host);
    }

    @Override
    public void writeIsolationMarker(IsolationMarker marker) {
        delegate.writeIsolationMarker(marker);
    }

    @Override
    public Optional<IsolationMarker> readIsolationMarker(String host) {
        return delegate.readIsolationMarker(host);
    }

    @Override
    public void clearIsolationMarker(String host) {
        delegate.clearIsolationMarker(host);
    }

    /** The service's lifecycle belongs to DS: consumers' close() does nothing. */
    @Override
    public void close() {
        // owned by SCR; closed in deactivate()
    }
}
