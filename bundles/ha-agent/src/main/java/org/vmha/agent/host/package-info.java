/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * What binds one host's pieces together, in plain Java: the {@link org.vmha.agent.host.HostAgent} starts, ticks
 * in a fixed order and stops the host's heartbeat function (ha-heartbeat) and failover function (ha-failover), and
 * hands the failover side the heartbeat side as ha-api's {@link org.vmha.api.heartbeat.PeerStates}. The DS wiring
 * runs one per configuration of the factory pid {@code org.vmha.agent}; ha-sim runs it directly.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.agent.host;
