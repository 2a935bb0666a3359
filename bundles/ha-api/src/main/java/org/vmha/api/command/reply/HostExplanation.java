/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.reply;

import java.util.List;

/**
 * The reply of {@code why} for a host: its state in the management service's view, since when and who declared
 * it, the evidence (the last heartbeat on each channel, its isolation marker, the leases it holds) and the
 * sentences that explain it. Unlike {@link Explanation} (a VM's), it has no {@code vm} field.
 *
 * @param host the host
 * @param state CONNECTED, FAILED or MAINTENANCE, as {@code status} and {@code ha:hosts} show it
 * @param peerStatus what the two channels say, by the agents' rule: ALIVE (network heartbeat fresh), PARTITIONED
 *        (network silent, datastore fresh), FAILED (both silent); null when the datastore could not be read
 * @param since when it entered its state (ISO-8601, UTC), as far as this management service saw; null if unknown
 * @param declaredBy who decided the state: {@code management} (from the heartbeats it hears) or {@code operator}
 *        (maintenance mode)
 * @param failureTimeoutMs how long a host may stay silent before it counts as failed
 * @param network the last heartbeat the management service heard on the network channel, null if never
 * @param datastore the last heartbeat the host wrote on the datastore, null if none (or unreadable)
 * @param isolationMarker the isolation marker the host left on the datastore, null if none
 * @param leases the VMs whose lease the host holds on the datastore, in name order
 * @param vms the VMs the failover table places on it, in name order
 * @param reasons the sentences
 * @author vmha - Initial contribution
 * @since 0.2
 */
public record HostExplanation(String host, String state, String peerStatus, String since, String declaredBy,
        long failureTimeoutMs, Heartbeat network, Heartbeat datastore, Isolation isolationMarker,
        List<String> leases, List<String> vms, List<String> reasons) {

    /**
     * One channel's last heartbeat.
     *
     * @param at when (ISO-8601, UTC)
     * @param agoMs milliseconds before the answer
     * @param sequence the host's heartbeat sequence, -1 if the channel does not carry it
     */
    public record Heartbeat(String at, long agoMs, long sequence) {
    }

    /**
     * The marker an isolated host leaves on the datastore when it responds to its isolation.
     *
     * @param at when it wrote it (ISO-8601, UTC)
     * @param action what it did (its isolation response)
     * @param releasedVms the VMs whose leases it released
     */
    public record Isolation(String at, String action, List<String> releasedVms) {
    }
}
