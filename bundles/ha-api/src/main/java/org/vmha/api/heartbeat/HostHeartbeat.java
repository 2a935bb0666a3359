/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.heartbeat;

import org.vmha.api.model.ResourceVector;

/**
 * The {@link HostHeartbeat} is responsible for one network heartbeat of a host agent: who, which
 * sequence number, the sender's clock, its current load and the capacity it offers (so that a host
 * that is added or returns announces its capacity without the management service).
 * <p>
 * Receivers judge freshness on their own clock when the heartbeat arrives; {@code timeMillis} is for
 * diagnostics only, because clocks of different hosts may disagree.
 *
 * @param host the sending host
 * @param sequence increases by one per heartbeat of one agent run
 * @param timeMillis the sender's clock when sent
 * @param load the resources the host's VMs use
 * @param capacity the resources the host offers
 * @param leaving the host's last heartbeat before a planned stop (its leave message): it has stopped its VMs and
 *        released their leases, and the peers take it as gone at once, without a {@code host.failed}
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostHeartbeat(String host, long sequence, long timeMillis, ResourceVector load, ResourceVector capacity,
        boolean leaving) {

    /**
     * An ordinary heartbeat (not a leave message).
     *
     * @param host the sending host
     * @param sequence increases by one per heartbeat of one agent run
     * @param timeMillis the sender's clock when sent
     * @param load the resources the host's VMs use
     * @param capacity the resources the host offers
     */
    public HostHeartbeat(String host, long sequence, long timeMillis, ResourceVector load, ResourceVector capacity) {
        this(host, sequence, timeMillis, load, capacity, false);
    }

    public HostHeartbeat {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("heartbeat needs a host");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("heartbeat sequence of " + host + " must be >= 0, was " + sequence);
        }
        load = load == null ? ResourceVector.ZERO : load;
        capacity = capacity == null ? ResourceVector.ZERO : capacity;
    }
}
