/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover.internal;

import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.ResourceVector;
import org.vmha.core.event.HostEvents;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.failover.AgentConfig;
import org.vmha.failover.FailoverService;
import org.vmha.failover.FailoverServiceFactory;
import org.vmha.failover.HostRuntime;

/**
 * The {@link FailoverFunctionComponent} is responsible for offering the failover executor to the host agents while
 * this bundle is active: {@code bundle:stop org.vmha.ha-failover} withdraws it and pauses every agent of the node,
 * {@code bundle:start} resumes them (docs/architecture.md, "Stopping a function").
 *
 * @author vmha - Initial contribution
 */
@Component(service = FailoverServiceFactory.class, property = "vmha.function=failover")
public final class FailoverFunctionComponent implements FailoverServiceFactory {

    @Override
    public FailoverService create(String host, ResourceVector capacity, AgentConfig config, HostRuntime runtime,
            HostEvents events, PeerStates heartbeats, Consumer<HostHeartbeat> ingest, FailoverPlanner planner) {
        return new FailoverService(host, capacity, config, runtime, events, heartbeats, ingest, planner);
    }
}
