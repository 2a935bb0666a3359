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
@ObjectClassDefinition(id = ManagementConfiguration.PID, name = "%ocd.name", description = "%ocd.description",
        localization = "OSGI-INF/l10n/metatype")
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

    @AttributeDefinition(name = "%inventory.name", description = "%inventory.description")
    String inventory() default DEFAULT_INVENTORY;

    @AttributeDefinition(name = "%intervalMs.name", description = "%intervalMs.description")
    long intervalMs() default DEFAULT_INTERVAL_MS;

    @AttributeDefinition(name = "%failureTimeoutMs.name", description = "%failureTimeoutMs.description")
    long failureTimeoutMs() default DEFAULT_FAILURE_TIMEOUT_MS;

    @AttributeDefinition(name = "%republishEvery.name", description = "%republishEvery.description")
    int republishEvery() default DEFAULT_REPUBLISH_EVERY;

    @AttributeDefinition(name = "%maxConcurrentRestartsPerHost.name",
            description = "%maxConcurrentRestartsPerHost.description")
    int maxConcurrentRestartsPerHost() default DEFAULT_MAX_CONCURRENT_RESTARTS_PER_HOST;
}
