/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.transport;

/**
 * The {@link PeerStatus} is responsible for what one agent concludes about a peer from its two
 * heartbeat channels.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public enum PeerStatus {
    /** The network channel is fresh. */
    ALIVE,
    /**
     * The network channel is silent but the datastore channel is fresh: the peer is partitioned or
     * isolated and still holds its leases; nothing is restarted (unless it wrote an isolation marker).
     */
    PARTITIONED,
    /** Both channels are silent: the peer failed; its protected VMs are restarted. */
    FAILED
}
