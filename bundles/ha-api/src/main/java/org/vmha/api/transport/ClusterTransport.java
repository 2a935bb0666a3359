/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.transport;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;

/**
 * The {@link ClusterTransport} is responsible for what one host's agent exchanges over the network:
 * host heartbeats ({@code ha.heartbeat.host}), table updates ({@code ha.table}) and events
 * ({@code ha.events}). In a deployment it is a thin Camel/Artemis binding; in tests and the simulator
 * it is {@link InMemoryTransport}. Messages are never delivered back to their sender.
 * <p>
 * <b>Threading:</b> thread-safe; publishing never blocks (a message that cannot be sent is dropped,
 * the protocols tolerate loss).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ConsumerType
public interface ClusterTransport {

    /** @param heartbeat this host's heartbeat */
    void publishHeartbeat(HostHeartbeat heartbeat);

    /** @param update a table update */
    void publishTable(TableUpdate update);

    /** @param event a CloudEvent for {@code ha.events} */
    void publishEvent(CloudEvent event);

    /** @param listener receives what peers publish; replaces any earlier listener of this endpoint */
    void subscribe(ClusterListener listener);

    /** @return true while this host is connected to the broker */
    boolean brokerReachable();

    /**
     * The isolation address probe (vSphere's "isolation address", usually the gateway): it tells a
     * host whose network is down from one that merely lost the broker.
     *
     * @return true while this host's network answers
     */
    boolean isolationAddressReachable();

    /**
     * Told by a consumer's {@link org.vmha.core.security.InboundGate} that it refused a message that reached it
     * (a heartbeat of an unknown host, an implausible table version), so that the transport counts and logs it
     * with the refusals it makes itself (a bad HMAC, an oversized or malformed message). Never blocks.
     *
     * @param reason a short, fixed reason, e.g. {@code unknown-host}, {@code table-version}
     * @param detail what was refused, already escaped and short
     */
    default void refused(String reason, String detail) {
    }
}
