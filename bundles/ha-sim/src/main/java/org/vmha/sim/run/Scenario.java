/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.List;
import java.util.Map;

import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;
import org.vmha.core.inventory.Inventory;

/**
 * The {@link Scenario} is responsible for one parsed simulation scenario: the cluster (as in the
 * ha-plan inventory), the settings, the seed, the virtual end time and the timed events.
 *
 * @param inventory hosts, VMs and policy
 * @param config the settings
 * @param seed seed of every random draw
 * @param untilMillis virtual end time
 * @param events the events in time order (file order for equal times)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record Scenario(Inventory inventory, Config config, long seed, long untilMillis, List<Event> events) {

    /**
     * The scenario's {@code config} object.
     *
     * @param heartbeatIntervalMs heartbeat period
     * @param failureTimeoutMs channel silence before a peer counts as failed
     * @param isolationResponse cluster isolation response
     * @param isolationResponseOverrides per-VM isolation responses
     * @param isolationDelayMs isolation delay
     * @param checkpointIntervalMs simulated hypervisor checkpoint period
     * @param leaseDurationMs volume lease length
     * @param bootDelayMs simulated boot time
     * @param maxConcurrentRestarts restarts per agent at once
     * @param messageLoss probability a message delivery is lost
     * @param messageDelayMinMs minimum delivery delay
     * @param messageDelayMaxMs maximum delivery delay
     * @param management whether the management service runs at the start
     * @param managementIntervalMs management table computation period
     * @param restartBoundMs invariant 2's bound on a protected VM's downtime
     * @param adapterTimeoutMs how long an agent's storage call blocks during a {@code storage-hang} before it
     *        fails (the agent's adapter call timeout)
     * @param messageDuplication probability a message delivery arrives twice
     * @param guestShutdownMs how long a simulated guest takes to shut down
     * @author vmha - Initial contribution
     */
    public record Config(long heartbeatIntervalMs, long failureTimeoutMs, IsolationResponse isolationResponse,
            Map<String, IsolationResponse> isolationResponseOverrides, long isolationDelayMs,
            long checkpointIntervalMs, long leaseDurationMs, long bootDelayMs, int maxConcurrentRestarts,
            double messageLoss, long messageDelayMinMs, long messageDelayMaxMs, boolean management,
            long managementIntervalMs, long restartBoundMs, long adapterTimeoutMs, double messageDuplication,
            long guestShutdownMs) {
    }

    /**
     * One timed event.
     *
     * @param index position in the file's {@code events} array
     * @param atMillis virtual time
     * @param host the host concerned, or null
     * @param vm the VM concerned, or null
     * @param action the {@code do} value
     * @param capacity for {@code add}: the new host's capacity
     * @param to for {@code migrate}: the destination host
     * @param forMillis for {@code storage-hang} and {@code agent-pause}: the window's length, else 0
     * @param op for {@code hypervisor-fail}: the operation that fails ({@code start}, {@code power-off},
     *        {@code shutdown}, {@code checkpoint}), else null
     * @param count for {@code hypervisor-fail}: how many of the next calls of {@code op} fail, else 0
     * @param fresh for {@code management-on}: start from the inventory's table (version 1), as the product's
     *        management service does after a restart, instead of an agent's replica
     * @author vmha - Initial contribution
     */
    public record Event(int index, long atMillis, String host, String vm, String action, ResourceVector capacity,
            String to, long forMillis, String op, int count, boolean fresh) {
    }
}
