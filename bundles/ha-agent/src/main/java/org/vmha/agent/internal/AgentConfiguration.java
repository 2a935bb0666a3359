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
    long heartbeatIntervalMs() default 1000;

    @AttributeDefinition(name = "Failure timeout (ms)", description = "Silence after which a channel counts as "
            + "silent; more than the heartbeat interval, at most 600000")
    long failureTimeoutMs() default 2500;

    @AttributeDefinition(name = "Isolation response", description = "What an isolated host does with its VMs",
            options = {@Option(label = "leave powered on", value = "leave-powered-on"),
                    @Option(label = "power off", value = "power-off"), @Option(label = "shut down", value = "shutdown")})
    String isolationResponse() default "leave-powered-on";

    @AttributeDefinition(name = "Isolation delay (ms)", description = "How long a host must be isolated before it "
            + "responds, 0 to 3600000")
    long isolationDelayMs() default 30_000;

    @AttributeDefinition(name = "Concurrent restarts", description = "Restarts this agent runs at once, 1 to 256")
    int maxConcurrentRestarts() default 32;

    @AttributeDefinition(name = "Hypervisor type", description = "Type of the hypervisor adapter factory to use, e.g. sim")
    String hypervisorType() default "sim";

    @AttributeDefinition(name = "Adapter call timeout (ms)", description = "How long one storage or hypervisor "
            + "adapter call may take before the agent gives up on it, 100 to 600000; shorter than the storage "
            + "adapter's lease minus one heartbeat interval")
    long adapterTimeoutMs() default 5000;
}
