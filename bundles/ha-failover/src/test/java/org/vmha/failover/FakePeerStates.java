/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.vmha.api.heartbeat.PeerStateListener;
import org.vmha.api.heartbeat.PeerStates;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.transport.PeerStatus;

/**
 * The {@link FakePeerStates} is responsible for peer states a test sets by hand, for the failover side's parts
 * tested without a heartbeat service.
 *
 * @author vmha - Initial contribution
 */
final class FakePeerStates implements PeerStates {

    final Map<String, PeerStatus> status = new HashMap<>();
    final Set<String> datastoreSilent = new HashSet<>();
    final SortedMap<String, ResourceVector> members = new TreeMap<>();
    /** The peer left out by a reporter check that passes (null: this host is never the reporter). */
    String reporterUnless;
    boolean storageReachable = true;
    long datastoreEpoch;

    FakePeerStates() {
        for (String h : List.of("H1", "H2", "H3")) {
            members.put(h, ResourceVector.of(1000, 1000));
        }
    }

    @Override
    public SortedMap<String, ResourceVector> members() {
        return members;
    }

    @Override
    public PeerStatus lastStatus(String peer) {
        return status.get(peer);
    }

    @Override
    public PeerStatus status(String peer, long nowMillis) {
        return status.get(peer);
    }

    @Override
    public boolean datastoreSilent(String peer, long nowMillis) {
        return datastoreSilent.contains(peer);
    }

    @Override
    public boolean anyPartitioned() {
        return status.containsValue(PeerStatus.PARTITIONED);
    }

    @Override
    public boolean noAlivePeerBefore(String name) {
        return true;
    }

    @Override
    public boolean anyPeerHeard(long nowMillis) {
        return true;
    }

    @Override
    public long datastoreEpoch() {
        return datastoreEpoch;
    }

    @Override
    public boolean storageReachable() {
        return storageReachable;
    }

    @Override
    public boolean reporter(String excluded) {
        return reporterUnless != null && reporterUnless.equals(excluded);
    }

    @Override
    public long heartbeatSeq() {
        return 0;
    }

    @Override
    public void addListener(PeerStateListener listener) {
        throw new UnsupportedOperationException("not used by the tests");
    }
}
