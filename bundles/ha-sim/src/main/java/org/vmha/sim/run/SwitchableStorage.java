/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.vmha.api.model.Vmx;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.DiskHandle;
import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseRenewal;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.SnapshotInfo;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageException;
import org.vmha.api.storage.StorageUnavailableException;
import org.vmha.api.storage.VolumeInfo;

/**
 * The {@link SwitchableStorage} is responsible for one simulated host's path to the shared datastore:
 * it delegates to the shared in-memory adapter while the path is up and fails every call with
 * {@link StorageUnavailableException} while it is down (the scenario's {@code storage-off}).
 * <p>
 * The path can also hang for a window (the scenario's {@code storage-hang}). The agent's view does not
 * model the hang itself: its {@link SimGuard} does, blocking the agent in virtual time. The simulated
 * hypervisor's view ({@link #hypervisorView}) fails every call during the hang with a
 * {@link StorageException} (a checkpoint write that timed out: the VM keeps running, the next period tries
 * again). Both views share the path's state.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class SwitchableStorage implements StorageAdapter {

    /** The path's state, shared by its views. */
    private static final class State {
        boolean up = true;
        long hangUntil = Long.MIN_VALUE;
    }

    private final String host;
    private final StorageAdapter delegate;
    private final State state;
    /** The hypervisor's view: its clock, to fail calls during a hang; null for the agent's view. */
    private final LongSupplier hangClock;

    SwitchableStorage(String host, StorageAdapter delegate) {
        this(host, delegate, new State(), null);
    }

    private SwitchableStorage(String host, StorageAdapter delegate, State state, LongSupplier hangClock) {
        this.host = host;
        this.delegate = delegate;
        this.state = state;
        this.hangClock = hangClock;
    }

    /**
     * @param clock the virtual clock
     * @return a view of the same path that fails its calls during a hang (the simulated hypervisor's)
     */
    SwitchableStorage hypervisorView(LongSupplier clock) {
        return new SwitchableStorage(host, delegate, state, clock);
    }

    void setUp(boolean up) {
        state.up = up;
    }

    boolean up() {
        return state.up;
    }

    /** @param untilMillis the path hangs until then (a later end of an overlapping hang wins) */
    void hang(long untilMillis) {
        state.hangUntil = Math.max(state.hangUntil, untilMillis);
    }

    /** @return when the current hang ends (in the past if none) */
    long hangUntil() {
        return state.hangUntil;
    }

    /**
     * @param atMillis a virtual time
     * @return true if the path hangs then
     */
    boolean hangs(long atMillis) {
        return atMillis < state.hangUntil;
    }

    private void check(String op) {
        if (!state.up) {
            throw new StorageUnavailableException("datastore unreachable from " + host + " (simulated storage-off) during "
                    + op);
        }
        if (hangClock != null && hangs(hangClock.getAsLong())) {
            throw new StorageException("datastore did not answer " + host + " (simulated storage-hang until "
                    + state.hangUntil + " ms) during " + op);
        }
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
        check("provisionVolume");
        return delegate.provisionVolume(vmId);
    }

    @Override
    public List<VolumeInfo> listVolumes() {
        check("listVolumes");
        return delegate.listVolumes();
    }

    @Override
    public VolumeInfo inspectVolume(String lun) {
        check("inspectVolume");
        return delegate.inspectVolume(lun);
    }

    @Override
    public void deleteVolume(String lun, long generation) {
        check("deleteVolume");
        delegate.deleteVolume(lun, generation);
    }

    @Override
    public void writeHardware(String lun, long generation, Vmx hardware) {
        check("writeHardware");
        delegate.writeHardware(lun, generation, hardware);
    }

    @Override
    public Optional<Vmx> readHardware(String lun) {
        check("readHardware");
        return delegate.readHardware(lun);
    }

    @Override
    public CheckpointInfo writeCheckpoint(String lun, long generation, InputStream image) {
        check("writeCheckpoint");
        return delegate.writeCheckpoint(lun, generation, image);
    }

    @Override
    public List<CheckpointInfo> listCheckpoints(String lun) {
        check("listCheckpoints");
        return delegate.listCheckpoints(lun);
    }

    @Override
    public Optional<CheckpointInfo> readLatestCheckpoint(String lun, OutputStream sink) {
        check("readLatestCheckpoint");
        return delegate.readLatestCheckpoint(lun, sink);
    }

    @Override
    public CheckpointInfo readCheckpoint(String lun, long sequence, OutputStream sink) {
        check("readCheckpoint");
        return delegate.readCheckpoint(lun, sequence, sink);
    }

    @Override
    public DiskHandle createDisk(String lun, long generation, String name, long sizeBytes) {
        check("createDisk");
        return delegate.createDisk(lun, generation, name, sizeBytes);
    }

    @Override
    public List<DiskHandle> listDisks(String lun) {
        check("listDisks");
        return delegate.listDisks(lun);
    }

    @Override
    public SnapshotInfo createSnapshot(String lun, long generation, String name) {
        check("createSnapshot");
        return delegate.createSnapshot(lun, generation, name);
    }

    @Override
    public List<SnapshotInfo> listSnapshots(String lun) {
        check("listSnapshots");
        return delegate.listSnapshots(lun);
    }

    @Override
    public void rollbackSnapshot(String lun, long generation, String name) {
        check("rollbackSnapshot");
        delegate.rollbackSnapshot(lun, generation, name);
    }

    @Override
    public void deleteSnapshot(String lun, long generation, String name) {
        check("deleteSnapshot");
        delegate.deleteSnapshot(lun, generation, name);
    }

    @Override
    public Lease acquireLease(String lun, String host) {
        check("acquireLease");
        return delegate.acquireLease(lun, host);
    }

    @Override
    public Lease renewLease(Lease lease) {
        check("renewLease");
        return delegate.renewLease(lease);
    }

    @Override
    public List<LeaseRenewal> renewLeases(List<Lease> leases) {
        check("renewLeases");
        return delegate.renewLeases(leases);
    }

    @Override
    public void releaseLease(Lease lease) {
        check("releaseLease");
        delegate.releaseLease(lease);
    }

    @Override
    public Optional<LeaseState> inspectLease(String lun) {
        check("inspectLease");
        return delegate.inspectLease(lun);
    }

    @Override
    public HeartbeatRecord writeHeartbeat(String host, long sequence) {
        check("writeHeartbeat");
        return delegate.writeHeartbeat(host, sequence);
    }

    @Override
    public List<HeartbeatRecord> readHeartbeats() {
        check("readHeartbeats");
        return delegate.readHeartbeats();
    }

    @Override
    public Optional<HeartbeatRecord> readHeartbeat(String host) {
        check("readHeartbeat");
        return delegate.readHeartbeat(host);
    }

    @Override
    public void writeIsolationMarker(IsolationMarker marker) {
        check("writeIsolationMarker");
        delegate.writeIsolationMarker(marker);
    }

    @Override
    public Optional<IsolationMarker> readIsolationMarker(String host) {
        check("readIsolationMarker");
        return delegate.readIsolationMarker(host);
    }

    @Override
    public void clearIsolationMarker(String host) {
        check("clearIsolationMarker");
        delegate.clearIsolationMarker(host);
    }

    @Override
    public void close() {
        // the shared adapter outlives every host
    }
}
