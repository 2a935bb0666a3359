/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * Host heartbeat values exchanged between agents on the network channel, and what a host concludes from its
 * peers' heartbeats: {@link org.vmha.api.transport.PeerStatus}, queried through
 * {@link org.vmha.api.heartbeat.PeerStates} and pushed to {@link org.vmha.api.heartbeat.PeerStateListener}s.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vmha.api.heartbeat;
