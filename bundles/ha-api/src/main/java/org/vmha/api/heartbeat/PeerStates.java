/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.heartbeat;

import java.util.SortedMap;

import org.osgi.annotation.versioning.ProviderType;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.transport.PeerStatus;

/**
 * The {@link PeerStates} is responsible for answering what this host knows of the cluster's hosts from their
 * heartbeats: who they are and what they offer, the status of each on both channels, and whether this host's own
 * datastore path works. Changes are pushed to {@link PeerStateListener}s.
 * <p>
 * <b>Threading:</b> read on the agent's thread; answers from the last refresh, acquires no locks. Implemented by
 * the heartbeat function (ha-heartbeat's {@code HeartbeatService}), used by the failover executor.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@ProviderType
public interface PeerStates {

    /** @return the cluster's hosts, this one included, with the capacities they announce, in name order */
    SortedMap<String, ResourceVector> members();

    /**
     * @param peer a peer
     * @return its status at the last refresh, null if unknown then
     */
    PeerStatus lastStatus(String peer);

    /**
     * @param peer a peer
     * @param nowMillis now
     * @return its status now
     */
    PeerStatus status(String peer, long nowMillis);

    /**
     * @param peer a peer
     * @param nowMillis now
     * @return true if its datastore channel is silent
     */
    boolean datastoreSilent(String peer, long nowMillis);

    /** @return true if any peer was partitioned at the last refresh */
    boolean anyPartitioned();

    /**
     * @param name a host
     * @return true if no peer named before it was alive at the last refresh
     */
    boolean noAlivePeerBefore(String name);

    /**
     * @param nowMillis now
     * @return true if any peer was heard on any channel within the failure timeout
     */
    boolean anyPeerHeard(long nowMillis);

    /** @return a counter that moves whenever a peer's datastore channel turns silent or fresh */
    long datastoreEpoch();

    /** @return true while this host's last datastore heartbeat write succeeded */
    boolean storageReachable();

    /**
     * @param excluded a host not to count (one that just returned, whose table is stale), or null
     * @return true if this host is the lowest-named alive host, {@code excluded} left out, and its datastore is
     *         reachable: the one that reports RESTART_PENDING and sends the whole replica to others
     */
    boolean reporter(String excluded);

    /** @return the sequence number of this host's last heartbeat */
    long heartbeatSeq();

    /**
     * @param listener told about every later change, after the listeners added before it
     */
    void addListener(PeerStateListener listener);
}
