/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.transport;

/**
 * The {@link ClusterTransportFactory} is responsible for handing each host agent (and the management
 * service) its own {@link ClusterTransport} on the node's message bus. In a Karaf node the messaging
 * bundle registers it as an OSGi service; every transport it creates has its own consumers, so agents
 * of one node share nothing in-process but the broker connection.
 * <p>
 * <b>Threading:</b> thread-safe; {@link #create} and {@link #close} may block briefly while routes
 * start or stop, publishing on a created transport never blocks.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ConsumerType
public interface ClusterTransportFactory {

    /**
     * Creates the transport of one endpoint.
     *
     * @param host the host name (or {@code management}); its messages carry it as their source, and
     *        messages from it are not delivered back to it
     * @return a started transport
     * @throws IllegalArgumentException if the name is not a valid host name or already has a transport
     */
    ClusterTransport create(String host);

    /**
     * Stops a transport's consumers and publisher; messages still queued are dropped. Unknown or
     * already closed transports are ignored.
     *
     * @param transport a transport this factory created
     */
    void close(ClusterTransport transport);
}
