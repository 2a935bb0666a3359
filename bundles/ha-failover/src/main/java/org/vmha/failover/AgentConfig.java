/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.Map;
import java.util.TreeMap;

import org.vmha.api.model.IsolationResponse;

/**
 * The {@link AgentConfig} is responsible for the settings of one host agent, with their defaults.
 *
 * @param heartbeatIntervalMillis period of network and datastore heartbeats (default 1000)
 * @param failureTimeoutMillis silence after which a channel is silent (default 2500: every crash is detected within 3 heartbeat intervals, see BENCHMARKS.md)
 * @param isolationResponse the cluster's isolation response (default leave-powered-on)
 * @param isolationResponseOverrides per-VM isolation responses, by VM name
 * @param isolationDelayMillis how long a host must be isolated before it responds (default 30000)
 * @param maxConcurrentRestarts restarts this agent runs at once (default 32)
 * @param retryBaseMillis first back-off after a failed restart (default 1000)
 * @param retryMaxMillis back-off cap (default 60000)
 * @param retryBudget failed restarts of one VM before it is given up (default 5)
 * @param antiEntropyHeartbeats every this many heartbeats the agent re-publishes the entries of the
 *        VMs it runs, and the reporter its whole replica, so replicas that missed an update converge (default 30)
 * @param shutdownTimeoutMillis how long a guest shutdown (isolation response {@code shutdown}) may take before
 *        the VM is powered off instead (default 300000, vSphere's {@code das.isolationShutdownTimeout})
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record AgentConfig(long heartbeatIntervalMillis, long failureTimeoutMillis, IsolationResponse isolationResponse,
        Map<String, IsolationResponse> isolationResponseOverrides, long isolationDelayMillis, int maxConcurrentRestarts,
        long retryBaseMillis, long retryMaxMillis, int retryBudget, int antiEntropyHeartbeats,
        long shutdownTimeoutMillis) {

    /** The defaults. */
    public static final AgentConfig DEFAULTS = new AgentConfig(1000, 2500, IsolationResponse.LEAVE_POWERED_ON, null,
            30_000, 32, 1000, 60_000, 5, 30, 300_000);

    /** Default of {@link #shutdownTimeoutMillis()}. */
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 300_000;

    /**
     * Settings with the default guest shutdown timeout.
     *
     * @param heartbeatIntervalMillis heartbeat period
     * @param failureTimeoutMillis channel silence timeout
     * @param isolationResponse the cluster's isolation response
     * @param isolationResponseOverrides per-VM isolation responses
     * @param isolationDelayMillis isolation delay
     * @param maxConcurrentRestarts restarts at once
     * @param retryBaseMillis first back-off
     * @param retryMaxMillis back-off cap
     * @param retryBudget failed restarts before giving up
     * @param antiEntropyHeartbeats anti-entropy period in heartbeats
     */
    public AgentConfig(long heartbeatIntervalMillis, long failureTimeoutMillis, IsolationResponse isolationResponse,
            Map<String, IsolationResponse> isolationResponseOverrides, long isolationDelayMillis,
            int maxConcurrentRestarts, long retryBaseMillis, long retryMaxMillis, int retryBudget,
            int antiEntropyHeartbeats) {
        this(heartbeatIntervalMillis, failureTimeoutMillis, isolationResponse, isolationResponseOverrides,
                isolationDelayMillis, maxConcurrentRestarts, retryBaseMillis, retryMaxMillis, retryBudget,
                antiEntropyHeartbeats, DEFAULT_SHUTDOWN_TIMEOUT_MILLIS);
    }

    public AgentConfig {
        if (heartbeatIntervalMillis < 1) {
            throw new IllegalArgumentException("heartbeatIntervalMillis must be >= 1, was " + heartbeatIntervalMillis);
        }
        if (failureTimeoutMillis <= heartbeatIntervalMillis) {
            throw new IllegalArgumentException("failureTimeoutMillis must exceed heartbeatIntervalMillis ("
                    + heartbeatIntervalMillis + "), was " + failureTimeoutMillis);
        }
        if (isolationDelayMillis < 0) {
            throw new IllegalArgumentException("isolationDelayMillis must be >= 0, was " + isolationDelayMillis);
        }
        if (maxConcurrentRestarts < 1) {
            throw new IllegalArgumentException("maxConcurrentRestarts must be >= 1, was " + maxConcurrentRestarts);
        }
        if (shutdownTimeoutMillis < 0) {
            throw new IllegalArgumentException("shutdownTimeoutMillis must be >= 0, was " + shutdownTimeoutMillis);
        }
        if (antiEntropyHeartbeats < 1) {
            throw new IllegalArgumentException("antiEntropyHeartbeats must be >= 1, was " + antiEntropyHeartbeats);
        }
        isolationResponse = isolationResponse == null ? IsolationResponse.LEAVE_POWERED_ON : isolationResponse;
        isolationResponseOverrides = isolationResponseOverrides == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(isolationResponseOverrides));
        new RetryQueue(retryBaseMillis, retryMaxMillis, retryBudget); // validates
    }

    /**
     * @param vm a VM name
     * @return its isolation response (override or cluster default)
     */
    public IsolationResponse isolationResponseFor(String vm) {
        return isolationResponseOverrides.getOrDefault(vm, isolationResponse);
    }

    /**
     * @return how long before a lease's expiry its VM is killed when the lease could not be renewed: half a
     *         heartbeat interval, so that a lease of two intervals renewed at every heartbeat still has the next
     *         renewal start half an interval before its deadline (docs/storage.md, "Fencing timeline")
     */
    public long fenceMarginMillis() {
        return Math.max(1, heartbeatIntervalMillis / 2);
    }

    /**
     * Checks these settings against the datastore's lease and the adapter call timeout, which are configured
     * elsewhere (storage adapter, agent wiring) but only work together with them.
     *
     * @param leaseDurationMillis the datastore's lease duration
     * @param adapterTimeoutMillis the timeout of one adapter call, 0 if calls are not timed out (the simulator)
     * @return the problems, each a sentence naming the settings; empty if they fit together
     */
    public java.util.List<String> problemsWith(long leaseDurationMillis, long adapterTimeoutMillis) {
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (leaseDurationMillis < 2 * heartbeatIntervalMillis) {
            problems.add("the lease (" + leaseDurationMillis + " ms) must last at least two heartbeat intervals ("
                    + 2 * heartbeatIntervalMillis + " ms): a lease renewed once per interval that lasts less expires "
                    + "between renewals, and its VM is fenced and restarted over and over");
        }
        if (adapterTimeoutMillis > 0 && adapterTimeoutMillis >= leaseDurationMillis - fenceMarginMillis()) {
            problems.add("the adapter call timeout (" + adapterTimeoutMillis + " ms) must be shorter than the lease ("
                    + leaseDurationMillis + " ms) minus the fence margin (" + fenceMarginMillis() + " ms, half a "
                    + "heartbeat interval): a renewal that returns later than that arrives after its VM's deadline "
                    + "and cannot keep the VM running");
        }
        return problems;
    }
}
