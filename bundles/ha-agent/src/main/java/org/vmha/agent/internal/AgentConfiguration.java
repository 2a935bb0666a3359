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
@ObjectClassDefinition(id = AgentConfiguration.FACTORY_PID, name = "%ocd.name", description = "%ocd.description",
        localization = "OSGI-INF/l10n/metatype")
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
    long DEFAULT_ADAPTER_TIMEOUT_MS = 2000;

    @AttributeDefinition(name = "%host.name", description = "%host.description")
    String host();

    @AttributeDefinition(name = "%capacity.name", description = "%capacity.description")
    String[] capacity() default DEFAULT_CAPACITY;

    @AttributeDefinition(name = "%peers.name", required = false, description = "%peers.description")
    String[] peers() default {};

    @AttributeDefinition(name = "%heartbeatIntervalMs.name", description = "%heartbeatIntervalMs.description")
    long heartbeatIntervalMs() default DEFAULT_HEARTBEAT_INTERVAL_MS;

    @AttributeDefinition(name = "%failureTimeoutMs.name", description = "%failureTimeoutMs.description")
    long failureTimeoutMs() default DEFAULT_FAILURE_TIMEOUT_MS;

    @AttributeDefinition(name = "%isolationResponse.name", description = "%isolationResponse.description",
            options = {@Option(label = "leave powered on", value = "leave-powered-on"),
                    @Option(label = "power off", value = "power-off"), @Option(label = "shut down", value = "shutdown")})
    String isolationResponse() default DEFAULT_ISOLATION_RESPONSE;

    @AttributeDefinition(name = "%isolationDelayMs.name", description = "%isolationDelayMs.description")
    long isolationDelayMs() default DEFAULT_ISOLATION_DELAY_MS;

    @AttributeDefinition(name = "%maxConcurrentRestarts.name", description = "%maxConcurrentRestarts.description")
    int maxConcurrentRestarts() default DEFAULT_MAX_CONCURRENT_RESTARTS;

    @AttributeDefinition(name = "%hypervisorType.name", description = "%hypervisorType.description")
    String hypervisorType() default DEFAULT_HYPERVISOR_TYPE;

    @AttributeDefinition(name = "%adapterTimeoutMs.name", description = "%adapterTimeoutMs.description")
    long adapterTimeoutMs() default DEFAULT_ADAPTER_TIMEOUT_MS;
}
