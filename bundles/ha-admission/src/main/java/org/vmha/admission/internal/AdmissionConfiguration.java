/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.admission.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The {@link AdmissionConfiguration} is responsible for the typed configuration of PID
 * {@value AdmissionPolicyComponent#PID}. Every value goes through {@link AdmissionSettingsGuard}, which
 * logs a clear error and falls back to the default for a bad one.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@ObjectClassDefinition(id = AdmissionPolicyComponent.PID, localization = "OSGI-INF/l10n/metatype",
        name = "%admission.name", description = "%admission.description")
public @interface AdmissionConfiguration {

    /** Default policy type. */
    String DEFAULT_TYPE = "slot";
    /** Default N. */
    int DEFAULT_HOST_FAILURES = 1;
    /** Default per-host restart concurrency. */
    int DEFAULT_MAX_CONCURRENT_RESTARTS = 32;

    /** @return policy type: slot, percentage, dedicated or exact */
    @AttributeDefinition(name = "%type.name", description = "%type.description", options = {
        @Option(label = "Slot (patent)", value = "slot"), @Option(label = "Percentage reserved", value = "percentage"),
        @Option(label = "Dedicated failover hosts", value = "dedicated"), @Option(label = "Exact", value = "exact") })
    String type() default DEFAULT_TYPE;

    /** @return N, host failures tolerated, at least 1 */
    @AttributeDefinition(name = "%hostFailures.name", description = "%hostFailures.description", min = "1")
    int hostFailures() default DEFAULT_HOST_FAILURES;

    /** @return minimum slot size entries {@code resource=amount} (MHz, MB, ...), amounts at least 0 */
    @AttributeDefinition(name = "%minSlot.name", description = "%minSlot.description", required = false)
    String[] minSlot() default {"cpuMhz=32" };

    /** @return slot cap entries {@code resource=amount}, amounts at least 1; empty for no cap */
    @AttributeDefinition(name = "%slotCap.name", description = "%slotCap.description", required = false)
    String[] slotCap() default {};

    /** @return reserved percentage entries {@code resource=percent}, 0..100 */
    @AttributeDefinition(name = "%reservedPercent.name", description = "%reservedPercent.description",
            required = false)
    String[] reservedPercent() default {"cpuMhz=25", "memoryMb=25" };

    /** @return dedicated failover host names */
    @AttributeDefinition(name = "%failoverHosts.name", description = "%failoverHosts.description", required = false)
    String[] failoverHosts() default {};

    /** @return restarts one host runs at once, at least 1 */
    @AttributeDefinition(name = "%maxConcurrentRestartsPerHost.name",
            description = "%maxConcurrentRestartsPerHost.description", min = "1")
    int maxConcurrentRestartsPerHost() default DEFAULT_MAX_CONCURRENT_RESTARTS;
}
