/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import java.util.List;
import java.util.Set;

import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.ResourceUsage;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.storage.CheckpointInfo;

/**
 * The {@link DelegatingHypervisor} is responsible for passing every call to another {@link HypervisorAdapter}
 * unchanged, as the base of test doubles that change a few calls (a slow start, an injected failure, see
 * {@link FaultyHypervisor}) and leave the rest to the wrapped adapter.
 * <p>
 * <b>Threading:</b> as thread-safe as the wrapped adapter and what a subclass adds.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public abstract class DelegatingHypervisor implements HypervisorAdapter {

    private final HypervisorAdapter delegate;

    /** @param delegate the adapter every call goes to */
    protected DelegatingHypervisor(HypervisorAdapter delegate) {
        this.delegate = delegate;
    }

    /** @return the adapter every call goes to */
    protected final HypervisorAdapter delegate() {
        return delegate;
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public String host() {
        return delegate.host();
    }

    @Override
    public RunningVm start(StartRequest request) {
        return delegate.start(request);
    }

    @Override
    public boolean powerOff(String lun) {
        return delegate.powerOff(lun);
    }

    @Override
    public boolean shutdownGuest(String lun) {
        return delegate.shutdownGuest(lun);
    }

    @Override
    public void reset(String lun) {
        delegate.reset(lun);
    }

    @Override
    public CheckpointInfo checkpoint(String lun, long generation) {
        return delegate.checkpoint(lun, generation);
    }

    @Override
    public List<RunningVm> listRunning() {
        return delegate.listRunning();
    }

    @Override
    public Set<String> runningLuns() {
        return delegate.runningLuns();
    }

    @Override
    public ResourceUsage usage() {
        return delegate.usage();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
