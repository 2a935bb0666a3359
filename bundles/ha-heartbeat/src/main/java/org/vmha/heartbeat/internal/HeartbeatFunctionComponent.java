/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.heartbeat.internal;

import java.util.Map;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Component;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.core.event.HostEvents;
import org.vmha.core.guard.GuardedAdapters;
import org.vmha.heartbeat.HeartbeatService;
import org.vmha.heartbeat.HeartbeatServiceFactory;

/**
 * The {@link HeartbeatFunctionComponent} is responsible for offering the heartbeat function to the host agents while
 * this bundle is active: {@code bundle:stop org.vmha.ha-heartbeat} withdraws it and pauses every agent of the node,
 * {@code bundle:start} resumes them (docs/architecture.md, "Stopping a function").
 *
 * @author vmha - Initial contribution
 */
@Component(service = HeartbeatServiceFactory.class, property = "vmha.function=heartbeat")
public final class HeartbeatFunctionComponent implements HeartbeatServiceFactory {

    @Override
    public HeartbeatService create(String host, ResourceVector capacity, Map<String, ResourceVector> peers,
            long failureTimeoutMillis, LongSupplier clock, ClusterTransport transport, GuardedAdapters adapters,
            HostEvents events) {
        return new HeartbeatService(host, capacity, peers, failureTimeoutMillis, clock, transport, adapters, events);
    }
}
