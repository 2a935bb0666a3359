/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.List;

import org.vmha.api.storage.LeaseState;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link LeaseLearner} is responsible for learning a volume's lease holder, as the datastore has it, into the
 * table replica, and for publishing the entry that moved: the lease decides where a VM runs, whatever the table
 * said.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class LeaseLearner {

    private final GuardedAdapters adapters;
    private final FailoverTableReplica replica;
    private final ReplicaPublisher publisher;
    private final ScanEpochs epochs;

    /**
     * @param adapters the datastore, behind the guard
     * @param replica the table replica (leases learned into it)
     * @param publisher publishes learned entries
     * @param epochs moved when free capacity may have changed
     */
    LeaseLearner(GuardedAdapters adapters, FailoverTableReplica replica, ReplicaPublisher publisher,
            ScanEpochs epochs) {
        this.adapters = adapters;
        this.replica = replica;
        this.publisher = publisher;
        this.epochs = epochs;
    }

    /**
     * {@link FailoverTableReplica#learnLease}, and more capacity may be free if the entry moved. The learned entry
     * is published: the lease's holder must know that the table says it runs the VM, so that it restarts the VM
     * itself if it does not (its start may have failed and its lease be on the way back).
     *
     * @param lun the volume
     * @param lease its lease as the datastore has it
     * @param now current time
     */
    void learn(String lun, LeaseState lease, long now) {
        if (replica.learnLease(lun, lease, now)) {
            epochs.capacityChanged();
            replica.entry(lun).ifPresent(e -> publisher.publish(List.of(e)));
        }
    }

    /**
     * Learns a volume's lease as the datastore has it now, if it can tell.
     *
     * @param lun the volume
     * @param now current time
     */
    void learnFromDatastore(String lun, long now) {
        adapters.inspect(lun).ifPresent(st -> learn(lun, st, now));
    }
}
