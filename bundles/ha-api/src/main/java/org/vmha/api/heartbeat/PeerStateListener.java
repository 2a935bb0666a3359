/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.heartbeat;

import org.osgi.annotation.versioning.ConsumerType;
import org.vmha.api.transport.PeerStatus;

/**
 * The {@link PeerStateListener} is responsible for reacting to what the heartbeat service concludes about the peers:
 * a peer that became alive (joined, or returned after being failed or partitioned), partitioned or failed, and a
 * peer whose announced capacity changed.
 * <p>
 * <b>Threading:</b> called on the agent's thread, in the order the changes were found; must not block.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@ConsumerType
public interface PeerStateListener {

    /**
     * A peer's status changed at a refresh of the failure detector.
     *
     * @param peer the peer
     * @param before its status before, null if it was not known yet
     * @param after its status now
     * @param nowMillis the time of the refresh
     */
    void peerChanged(String peer, PeerStatus before, PeerStatus after, long nowMillis);

    /**
     * A peer's heartbeat announced another capacity than the one known (or the first one).
     *
     * @param peer the peer
     */
    void peerCapacityChanged(String peer);
}
