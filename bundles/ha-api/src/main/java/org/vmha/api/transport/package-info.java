/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The cluster transport SPI: how one host's agent exchanges heartbeats, failover-table updates and events with
 * its peers ({@link org.vmha.api.transport.ClusterTransport}, made per host by a
 * {@link org.vmha.api.transport.ClusterTransportFactory}, delivering to a
 * {@link org.vmha.api.transport.ClusterListener}), and {@link org.vmha.api.transport.PeerView}, what an agent
 * knows about one peer. The Camel routes over Artemis provide it in a deployment; the testkit an in-memory one.
 * <p>
 * Roles, as everywhere in ha-api: the transport and its factory are implemented by a transport adapter
 * ({@code @ConsumerType}, like the storage and hypervisor SPIs); the listener is implemented by the agent
 * ({@code @ProviderType}).
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.api.transport;
