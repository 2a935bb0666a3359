/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link ManagementConfiguration} is responsible for the typed configuration of the management
 * service, pid {@value #PID} ({@code etc/org.vmha.management.cfg}; the feature ha-management ships it: the
 * service runs only where that configuration exists).
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = ManagementConfiguration.PID, name = "vmha management service",
        description = "Computes the failover table's alternates, publishes it on ha.table, provisions the inventory's VMs")
public @interface ManagementConfiguration {

    /** The configuration pid, also the component name ({@code scr:disable org.vmha.management}). */
    String PID = "org.vmha.management";

    /** Default inventory file. */
    String DEFAULT_INVENTORY = "${karaf.etc}/vmha-cluster.json";

    /** Default period of the table computation, milliseconds. */
    long DEFAULT_INTERVAL_MS = 1000;

    /** Default failure timeout, milliseconds: the agents' default ({@code AgentConfiguration}, 2500). */
    long DEFAULT_FAILURE_TIMEOUT_MS = 2500;

    /** Default number of computations between two publications of an unchanged table. */
    int DEFAULT_REPUBLISH_EVERY = 5;

    /** Default restarts one host runs at once. */
    int DEFAULT_MAX_CONCURRENT_RESTARTS_PER_HOST = 32;

    @AttributeDefinition(name = "Inventory", description = "The cluster's hosts and VMs in the ha-plan inventory "
            + "format; ${property} placeholders are resolved from system properties")
    String inventory() default DEFAULT_INVENTORY;

    @AttributeDefinition(name = "Interval (ms)", description = "Period of the table computation, 100 to 600000")
    long intervalMs() default DEFAULT_INTERVAL_MS;

    @AttributeDefinition(name = "Failure timeout (ms)", description = "A host not heard for this long is left out "
            + "of the alternates, 100 to 600000")
    long failureTimeoutMs() default DEFAULT_FAILURE_TIMEOUT_MS;

    @AttributeDefinition(name = "Republish every", description = "Publish an unchanged table every this many "
            + "computations, so a host that was away catches up; 1 to 10000")
    int republishEvery() default DEFAULT_REPUBLISH_EVERY;

    @AttributeDefinition(name = "Concurrent restarts per host", description = "Restarts one host runs at once, "
            + "used to spread alternates; 1 to 256")
    int maxConcurrentRestartsPerHost() default DEFAULT_MAX_CONCURRENT_RESTARTS_PER_HOST;
}
