/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The failover function of one host, in plain Java: the {@link org.vmha.failover.FailoverService} and its parts
 * (leases and self-fencing, isolation responses, the failover scan and planning, the bounded restart pipeline, power
 * operations and hand-overs, the retry queue), the table replica with its {@link org.vmha.failover.ReplicaStore},
 * and the {@link org.vmha.failover.LeaseWatchdog}, which kills a VM whose lease deadline passed on a clock and a
 * thread of its own and never calls the storage adapter. It knows the heartbeat function only through ha-api's
 * {@link org.vmha.api.heartbeat.PeerStates}.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.failover;
