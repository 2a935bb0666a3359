/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The {@link AgentConfiguration} is responsible for the typed configuration of one host agent: factory
 * pid {@value #FACTORY_PID}, one configuration per host ({@code etc/org.vmha.agent-H1.cfg}). Bad values
 * are logged naming key and value and replaced by the default.
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = AgentConfiguration.FACTORY_PID, name = "vmha host agent",
        description = "One HA agent per host: heartbeats, failure and isolation detection, failover")
public @interface AgentConfiguration {

    /** The factory pid. */
    String FACTORY_PID = "org.vmha.agent";

    /** Default capacity of a simulated host. */
    String DEFAULT_CAPACITY = "cpuMhz=16000,memoryMb=16384";

    /** Default heartbeat period, milliseconds ({@code AgentConfig.DEFAULTS}, which ha-sim uses, agrees). */
    long DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;

    /** Default failure timeout, milliseconds: 2.5 intervals detect every crash within 3 intervals (BENCHMARKS.md). */
    long DEFAULT_FAILURE_TIMEOUT_MS = 2500;

    /** Default isolation response (wire name). */
    String DEFAULT_ISOLATION_RESPONSE = "leave-powered-on";

    /** Default isolation delay, milliseconds. */
    long DEFAULT_ISOLATION_DELAY_MS = 30_000;

    /** Default number of restarts this agent runs at once. */
    int DEFAULT_MAX_CONCURRENT_RESTARTS = 32;

    /** Default hypervisor adapter type. */
    String DEFAULT_HYPERVISOR_TYPE = "sim";

    /** Default timeout of one adapter call, milliseconds. */
    long DEFAULT_ADAPTER_TIMEOUT_MS = 5000;

    @AttributeDefinition(name = "Host", description = "This agent's host name (letters, digits, . _ -)")
    String host();

    @AttributeDefinition(name = "Capacity", description = "What the host offers, name=amount pairs separated by "
            + "commas, e.g. cpuMhz=16000,memoryMb=16384")
    String[] capacity() default DEFAULT_CAPACITY;

    @AttributeDefinition(name = "Peers", required = false, description = "The other hosts of the cluster known "
            + "from configuration, comma separated (they count as alive until silent past the failure timeout); "
            + "empty: peers are learned from their heartbeats")
    String[] peers() default {};

    @AttributeDefinition(name = "Heartbeat interval (ms)", description = "Period of network and datastore heartbeats, 50 to 60000")
    long heartbeatIntervalMs() default DEFAULT_HEARTBEAT_INTERVAL_MS;

    @AttributeDefinition(name = "Failure timeout (ms)", description = "Silence after which a channel counts as "
            + "silent; more than the heartbeat interval, at most 600000")
    long failureTimeoutMs() default DEFAULT_FAILURE_TIMEOUT_MS;

    @AttributeDefinition(name = "Isolation response", description = "What an isolated host does with its VMs",
            options = {@Option(label = "leave powered on", value = "leave-powered-on"),
                    @Option(label = "power off", value = "power-off"), @Option(label = "shut down", value = "shutdown")})
    String isolationResponse() default DEFAULT_ISOLATION_RESPONSE;

    @AttributeDefinition(name = "Isolation delay (ms)", description = "How long a host must be isolated before it "
            + "responds, 0 to 3600000")
    long isolationDelayMs() default DEFAULT_ISOLATION_DELAY_MS;

    @AttributeDefinition(name = "Concurrent restarts", description = "Restarts this agent runs at once, 1 to 256")
    int maxConcurrentRestarts() default DEFAULT_MAX_CONCURRENT_RESTARTS;

    @AttributeDefinition(name = "Hypervisor type", description = "Type of the hypervisor adapter factory to use, e.g. sim")
    String hypervisorType() default DEFAULT_HYPERVISOR_TYPE;

    @AttributeDefinition(name = "Adapter call timeout (ms)", description = "How long one storage or hypervisor "
            + "adapter call may take before the agent gives up on it, 100 to 600000; shorter than the storage "
            + "adapter's lease minus one heartbeat interval")
    long adapterTimeoutMs() default DEFAULT_ADAPTER_TIMEOUT_MS;
}
