/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.agent;

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
 *        VMs it runs, so replicas that missed an update converge (default 30)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record AgentConfig(long heartbeatIntervalMillis, long failureTimeoutMillis, IsolationResponse isolationResponse,
        Map<String, IsolationResponse> isolationResponseOverrides, long isolationDelayMillis, int maxConcurrentRestarts,
        long retryBaseMillis, long retryMaxMillis, int retryBudget, int antiEntropyHeartbeats) {

    /** The defaults. */
    public static final AgentConfig DEFAULTS = new AgentConfig(1000, 2500, IsolationResponse.LEAVE_POWERED_ON, null,
            30_000, 32, 1000, 60_000, 5, 30);

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
}
