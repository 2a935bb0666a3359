/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.time.Instant;
import java.util.function.LongSupplier;

import org.vmha.api.event.data.EventData;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.core.event.EventIds;
import org.vmha.core.event.EventPayloads;

/**
 * The {@link ManagementEvents} is responsible for the management service's CloudEvents: it numbers them
 * ({@code management-<epoch>-1}, {@code management-<epoch>-2}, ...; a new epoch at each start: {@link EventIds}),
 * stamps them with the service's clock and the source
 * {@code /vmha/management}, and publishes them on {@code ha.events}.
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class ManagementEvents {

    private final ClusterTransport transport;
    private final LongSupplier clock;
    private final EventIds ids;

    ManagementEvents(ClusterTransport transport, LongSupplier clock) {
        this.transport = transport;
        this.clock = clock;
        this.ids = new EventIds(ManagementService.SOURCE, clock);
    }

    /**
     * @param subject what it is about
     * @param data its payload, which names the event type
     */
    void emit(String subject, EventData data) {
        transport.publishEvent(EventPayloads.event(ids.next(), "/vmha/management",
                Instant.ofEpochMilli(clock.getAsLong()), subject, data));
    }
}
