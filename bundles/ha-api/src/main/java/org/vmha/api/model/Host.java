/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import java.util.Objects;

/**
 * The {@link Host} is responsible for describing one hypervisor host of the cluster.
 *
 * @param name unique host name, never blank
 * @param capacity what the host offers to VMs, per resource
 * @param state membership state
 * @param failoverOnly true for a dedicated failover host: HA restarts go there first and user
 *        power-ons and migrations onto it are refused while it is healthy
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record Host(String name, ResourceVector capacity, HostState state, boolean failoverOnly) {

    public Host {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("host name must not be blank");
        }
        capacity = capacity == null ? ResourceVector.ZERO : capacity;
        state = state == null ? HostState.CONNECTED : state;
    }

    /**
     * @param newState the new state
     * @return a copy in that state
     */
    public Host withState(HostState newState) {
        return new Host(name, capacity, Objects.requireNonNull(newState), failoverOnly);
    }
}
