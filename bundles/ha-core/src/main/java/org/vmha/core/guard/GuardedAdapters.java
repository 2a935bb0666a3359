/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.guard;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageException;

/**
 * The {@link GuardedAdapters} is responsible for one host's calls into its storage and hypervisor adapters: every
 * call goes through the {@link AdapterGuard} under the adapter's name ({@code storage <type>@<host>},
 * {@code hypervisor <type>@<host>}), and the few calls whose failure only means "not known now" have a quiet form.
 * <p>
 * <b>Threading:</b> as thread-safe as the guard and the adapters; holds no state of its own.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class GuardedAdapters {

    private final String host;
    private final StorageAdapter storage;
    private final HypervisorAdapter hypervisor;
    private final AdapterGuard guard;
    private final String storageName;
    private final String hvName;

    /**
     * @param host this host
     * @param storage its datastore
     * @param hypervisor its hypervisor
     * @param guard every call goes through it
     */
    public GuardedAdapters(String host, StorageAdapter storage, HypervisorAdapter hypervisor, AdapterGuard guard) {
        this.host = host;
        this.storage = storage;
        this.hypervisor = hypervisor;
        this.guard = guard;
        this.storageName = "storage " + storage.type() + "@" + host;
        this.hvName = "hypervisor " + hypervisor.type() + "@" + host;
    }

    /** @return the datastore, for calls made through {@link #storage(String, String, Supplier)} */
    public StorageAdapter storage() {
        return storage;
    }

    /** @return the hypervisor, for calls made through {@link #hypervisor(String, String, Supplier)} */
    public HypervisorAdapter hypervisor() {
        return hypervisor;
    }

    /** @return the guard itself */
    public AdapterGuard guard() {
        return guard;
    }

    /** @return the hypervisor's name in the guard's messages */
    public String hypervisorName() {
        return hvName;
    }

    /**
     * @param <T> result type
     * @param operation the storage call
     * @param subject the VM (lun) or host concerned
     * @param call the call
     * @return its result
     */
    public <T> T storage(String operation, String subject, Supplier<T> call) {
        return guard.call(storageName, operation, subject, call);
    }

    /**
     * @param operation the storage call
     * @param subject the VM (lun) or host concerned
     * @param call the call
     */
    public void runStorage(String operation, String subject, Runnable call) {
        guard.run(storageName, operation, subject, call);
    }

    /**
     * @param <T> result type
     * @param operation the hypervisor call
     * @param subject the VM (lun) or host concerned
     * @param call the call
     * @return its result
     */
    public <T> T hypervisor(String operation, String subject, Supplier<T> call) {
        return guard.call(hvName, operation, subject, call);
    }

    /** @return the volumes of the VMs the hypervisor runs */
    public Set<String> runningLuns() {
        return guard.call(hvName, "runningLuns", host, hypervisor::runningLuns);
    }

    /** @return the VMs the hypervisor runs */
    public List<RunningVm> listRunning() {
        return guard.call(hvName, "listRunning", host, hypervisor::listRunning);
    }

    /** @return what the hypervisor's VMs use now */
    public ResourceVector usedNow() {
        return guard.call(hvName, "usage", host, hypervisor::usage).used();
    }

    /**
     * @param lun a volume
     * @return its lease as the datastore has it, empty if it has none or the datastore cannot tell now
     */
    public Optional<LeaseState> inspect(String lun) {
        try {
            return guard.call(storageName, "inspectLease", lun, () -> storage.inspectLease(lun));
        } catch (StorageException | AdapterCallException e) {
            return Optional.empty();
        }
    }

    /**
     * @param l a lease of this host
     * @return true if it was given back, false if the datastore could not be reached (it expires then)
     */
    public boolean releaseQuietly(Lease l) {
        try {
            guard.run(storageName, "releaseLease", l.lun(), () -> storage.releaseLease(l));
            return true;
        } catch (StorageException | AdapterCallException e) {
            return false;
        }
    }
}
