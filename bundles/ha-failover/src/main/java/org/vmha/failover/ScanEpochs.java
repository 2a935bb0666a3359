/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

/**
 * The {@link ScanEpochs} is responsible for the counters that say when the failover scan has something new to look
 * at: this host's own VMs changed ({@link #local()}), free capacity may have changed ({@link #capacity()}, also the
 * epoch a VM waiting for capacity waits past), a peer's status changed ({@link #status()}), or a peer's isolation
 * marker did ({@link #markers()}). Each part of the agent moves the counters its changes concern.
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class ScanEpochs {

    private long local;
    private long capacity;
    private long status;
    private long markers;

    /** This host's VMs or leases changed. */
    void localChanged() {
        local++;
    }

    /** Free capacity may have changed somewhere. */
    void capacityChanged() {
        capacity++;
    }

    /** A peer's status changed. */
    void statusChanged() {
        status++;
    }

    /** A peer's isolation marker appeared, changed or went. */
    void markersChanged() {
        markers++;
    }

    long local() {
        return local;
    }

    long capacity() {
        return capacity;
    }

    long status() {
        return status;
    }

    long markers() {
        return markers;
    }
}
