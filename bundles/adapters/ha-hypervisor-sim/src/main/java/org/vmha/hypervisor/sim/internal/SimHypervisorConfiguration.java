/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.sim.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link SimHypervisorConfiguration} is responsible for the typed configuration of the simulated
 * hypervisor adapter (pid {@value #PID}); the values are the defaults of every adapter the factory
 * creates, and each {@code create} call may override them in its configuration map.
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = SimHypervisorConfiguration.PID, name = "%ocd.name", description = "%ocd.description",
        localization = "OSGI-INF/l10n/metatype")
public @interface SimHypervisorConfiguration {

    /** The configuration pid. */
    String PID = "org.vmha.hypervisor.sim";

    /** Default boot delay, milliseconds. */
    long DEFAULT_BOOT_DELAY_MILLIS = 2000;

    /** Default checkpoint interval, milliseconds. */
    long DEFAULT_CHECKPOINT_INTERVAL_MILLIS = 5000;

    /** Default counter tick, milliseconds. */
    long DEFAULT_COUNTER_TICK_MILLIS = 100;

    /** Default scheduler threads. */
    int DEFAULT_SCHEDULER_THREADS = 1;

    /** @return boot (and resume) time of a VM, milliseconds (0 to 600000) */
    @AttributeDefinition(name = "%bootDelayMillis.name", description = "%bootDelayMillis.description", min = "0",
            max = "600000")
    long bootDelayMillis() default DEFAULT_BOOT_DELAY_MILLIS;

    /** @return checkpoint period, milliseconds, 0 for none (0 to 3600000) */
    @AttributeDefinition(name = "%checkpointIntervalMillis.name", description = "%checkpointIntervalMillis.description",
            min = "0", max = "3600000")
    long checkpointIntervalMillis() default DEFAULT_CHECKPOINT_INTERVAL_MILLIS;

    /** @return counter tick, milliseconds (1 to 3600000) */
    @AttributeDefinition(name = "%counterTickMillis.name", description = "%counterTickMillis.description", min = "1",
            max = "3600000")
    long counterTickMillis() default DEFAULT_COUNTER_TICK_MILLIS;

    /** @return threads of the checkpoint scheduler (1 to 16) */
    @AttributeDefinition(name = "%schedulerThreads.name", description = "%schedulerThreads.description", min = "1",
            max = "16")
    int schedulerThreads() default DEFAULT_SCHEDULER_THREADS;
}
