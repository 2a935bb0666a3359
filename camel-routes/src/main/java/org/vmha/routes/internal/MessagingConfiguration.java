/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the messaging layer (PID {@value #PID}, file {@code etc/org.vmha.messaging.cfg}).
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = MessagingConfiguration.PID, name = "%messaging.ocd.name",
        description = "%messaging.ocd.description", localization = "OSGI-INF/l10n/metatype")
public @interface MessagingConfiguration {

    String PID = "org.vmha.messaging";

    /** Default user: the agent account shipped in etc/users.properties. */
    String DEFAULT_USERNAME = "agent";

    /** Default delay between two broker reconnection attempts, in milliseconds. */
    long DEFAULT_RECOVERY_INTERVAL_MS = 1000;

    /** Default period of the broker and isolation-address probes, in milliseconds. */
    long DEFAULT_PROBE_INTERVAL_MS = 1000;

    @AttributeDefinition(name = "%messaging.brokerUrl.name", required = false,
            description = "%messaging.brokerUrl.description")
    String brokerUrl() default "";

    @AttributeDefinition(name = "%messaging.username.name", description = "%messaging.username.description")
    String username() default DEFAULT_USERNAME;

    @AttributeDefinition(name = "%messaging.password.name", type = AttributeType.PASSWORD,
            description = "%messaging.password.description")
    String password() default "agent";

    @AttributeDefinition(name = "%messaging.nodeName.name", required = false,
            description = "%messaging.nodeName.description")
    String nodeName() default "";

    @AttributeDefinition(name = "%messaging.announceStart.name", description = "%messaging.announceStart.description")
    boolean announceStart() default true;

    @AttributeDefinition(name = "%messaging.recoveryIntervalMs.name",
            description = "%messaging.recoveryIntervalMs.description")
    long recoveryIntervalMs() default DEFAULT_RECOVERY_INTERVAL_MS;

    @AttributeDefinition(name = "%messaging.isolationAddress.name", required = false,
            description = "%messaging.isolationAddress.description")
    String isolationAddress() default "";

    @AttributeDefinition(name = "%messaging.clusterKeyFile.name", required = false,
            description = "%messaging.clusterKeyFile.description")
    String clusterKeyFile() default "";

    @AttributeDefinition(name = "%messaging.probeIntervalMs.name",
            description = "%messaging.probeIntervalMs.description")
    long probeIntervalMs() default DEFAULT_PROBE_INTERVAL_MS;

    /** Default size at which the event journal's current file is rotated, in bytes (4 MiB). */
    long DEFAULT_EVENT_HISTORY_FILE_BYTES = 4L << 20;

    /** Default number of event journal files kept, the current one included. */
    int DEFAULT_EVENT_HISTORY_FILES = 5;

    @AttributeDefinition(name = "%messaging.eventHistoryDirectory.name", required = false,
            description = "%messaging.eventHistoryDirectory.description")
    String eventHistoryDirectory() default "";

    @AttributeDefinition(name = "%messaging.eventHistoryFileBytes.name",
            description = "%messaging.eventHistoryFileBytes.description")
    long eventHistoryFileBytes() default DEFAULT_EVENT_HISTORY_FILE_BYTES;

    @AttributeDefinition(name = "%messaging.eventHistoryFiles.name",
            description = "%messaging.eventHistoryFiles.description")
    int eventHistoryFiles() default DEFAULT_EVENT_HISTORY_FILES;
}
