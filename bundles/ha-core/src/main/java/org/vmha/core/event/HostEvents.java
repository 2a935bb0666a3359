/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import java.time.Instant;
import java.util.function.LongSupplier;

import org.vmha.api.event.data.EventData;
import org.vmha.api.transport.ClusterTransport;

/**
 * The {@link HostEvents} is responsible for the CloudEvents one host's agent publishes: they are numbered in one
 * sequence ({@code <host>-<epoch>-<n>}, whichever part of the agent emits them; {@link EventIds}), come from
 * {@code /vmha/agent/<host>} and carry the time of the host's clock.
 * <p>
 * <b>Threading:</b> not thread-safe; called on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class HostEvents {

    private final String host;
    private final LongSupplier clock;
    private final ClusterTransport transport;
    private final EventIds ids;

    /**
     * @param host this host
     * @param clock the agent's clock, in milliseconds
     * @param transport where the events go
     */
    public HostEvents(String host, LongSupplier clock, ClusterTransport transport) {
        this.host = host;
        this.clock = clock;
        this.transport = transport;
        this.ids = new EventIds(host, clock);
    }

    /**
     * @param subject the VM or host it is about
     * @param data its payload, which names the event type
     */
    public void emit(String subject, EventData data) {
        long now = clock.getAsLong();
        transport.publishEvent(EventPayloads.event(ids.next(), "/vmha/agent/" + host,
                Instant.ofEpochMilli(now), subject, data));
    }
}
