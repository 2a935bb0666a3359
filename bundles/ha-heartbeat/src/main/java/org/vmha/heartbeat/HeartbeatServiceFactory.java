/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.heartbeat;

import java.util.Map;
import java.util.function.LongSupplier;

import org.vmha.api.model.ResourceVector;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.core.event.HostEvents;
import org.vmha.core.guard.GuardedAdapters;

/**
 * The {@link HeartbeatServiceFactory} is responsible for making one host's {@link HeartbeatService}. In the
 * distribution the heartbeat bundle registers it as an OSGi service while it is active, and a host agent runs only
 * while it has one: stopping the bundle pauses the agents (their VMs keep running under their leases, guarded by the
 * fencing watchdog), starting it again resumes them on the same hypervisor adapters. The simulator and the tests use
 * {@link #DEFAULT}.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
@FunctionalInterface
public interface HeartbeatServiceFactory {

    /** Makes the plain {@link HeartbeatService}. */
    HeartbeatServiceFactory DEFAULT = HeartbeatService::new;

    /**
     * @param host this host
     * @param capacity what this host offers
     * @param peers the cluster's hosts known from configuration, with their capacities (may be null or empty)
     * @param failureTimeoutMillis how long a channel may be silent before it counts as silent
     * @param clock the agent's clock, in milliseconds
     * @param transport the network channel
     * @param adapters the datastore and the hypervisor, behind the guard
     * @param events where the peer events go
     * @return a new heartbeat service, not started
     */
    HeartbeatService create(String host, ResourceVector capacity, Map<String, ResourceVector> peers,
            long failureTimeoutMillis, LongSupplier clock, ClusterTransport transport, GuardedAdapters adapters,
            HostEvents events);
}
