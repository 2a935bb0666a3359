/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.function.Consumer;

import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.ResourceVector;
import org.vmha.core.event.HostEvents;
import org.vmha.core.plan.FailoverPlanner;

/**
 * The {@link FailoverServiceFactory} is responsible for making one host's {@link FailoverService}. In the
 * distribution the failover bundle registers it as an OSGi service while it is active, and a host agent runs only
 * while it has one: stopping the bundle pauses the agents (their VMs keep running under their leases, guarded by the
 * fencing watchdog, which kills them if the pause outlasts a lease), starting it again resumes them: the new service
 * recovers the replica and the leases and adopts the VMs the hypervisor still runs. The simulator and the tests use
 * {@link #DEFAULT}.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
@FunctionalInterface
public interface FailoverServiceFactory {

    /** Makes the plain {@link FailoverService}. */
    FailoverServiceFactory DEFAULT = FailoverService::new;

    /**
     * @param host this host
     * @param capacity what this host offers
     * @param config settings
     * @param runtime what the agent runs on
     * @param events where this host's events go
     * @param heartbeats the peers' states (the heartbeat function's service)
     * @param ingest takes the peers' network heartbeats for the heartbeat function
     * @param planner the deterministic failover planner
     * @return a new failover service, not started
     */
    FailoverService create(String host, ResourceVector capacity, AgentConfig config, HostRuntime runtime,
            HostEvents events, PeerStates heartbeats, Consumer<HostHeartbeat> ingest, FailoverPlanner planner);
}
