/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The heartbeat function of one host, in plain Java: the {@link org.vmha.heartbeat.HeartbeatService} publishes this
 * host's heartbeats, ingests the peers' on both channels (network and datastore) and offers their states as ha-api's
 * {@link org.vmha.api.heartbeat.PeerStates}; the {@link org.vmha.heartbeat.FailureDetector} does the per-peer,
 * per-channel failure detection.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.heartbeat;
