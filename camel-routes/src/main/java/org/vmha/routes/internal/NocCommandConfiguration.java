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
 * Configuration of the NOC command endpoint (PID {@value #PID}, file {@code etc/org.vmha.commands.cfg}).
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = NocCommandConfiguration.PID, name = "%commands.ocd.name",
        description = "%commands.ocd.description", localization = "OSGI-INF/l10n/metatype")
public @interface NocCommandConfiguration {

    String PID = "org.vmha.commands";

    int DEFAULT_MAX_REQUEST_BYTES = 65_536;

    int DEFAULT_MAX_REPLY_BYTES = 1_048_576;

    /** Default threads for plan and what-if. */
    int DEFAULT_SLOW_THREADS = 1;

    /** Default plan and what-if requests waiting for a thread. */
    int DEFAULT_SLOW_QUEUE = 4;

    /** Default time limit of a plan or what-if, milliseconds. */
    long DEFAULT_SLOW_TIMEOUT_MS = 30_000;

    /** The role the broker lets consume ha.commands (docs/security-messaging.md). */
    String MANAGEMENT_ROLE = "ha-management";

    @AttributeDefinition(name = "%commands.enabled.name",
            description = "%commands.enabled.description")
    boolean enabled() default true;

    @AttributeDefinition(name = "%commands.maxRequestBytes.name", description = "%commands.maxRequestBytes.description")
    int maxRequestBytes() default DEFAULT_MAX_REQUEST_BYTES;

    @AttributeDefinition(name = "%commands.maxReplyBytes.name",
            description = "%commands.maxReplyBytes.description")
    int maxReplyBytes() default DEFAULT_MAX_REPLY_BYTES;

    @AttributeDefinition(name = "%commands.brokerUrl.name", required = false,
            description = "%commands.brokerUrl.description")
    String brokerUrl() default "";

    @AttributeDefinition(name = "%commands.username.name",
            description = "%commands.username.description")
    String username() default "management";

    @AttributeDefinition(name = "%commands.password.name", type = AttributeType.PASSWORD,
            description = "%commands.password.description")
    String password() default "management";

    @AttributeDefinition(name = "%commands.slowThreads.name",
            description = "%commands.slowThreads.description")
    int slowThreads() default DEFAULT_SLOW_THREADS;

    @AttributeDefinition(name = "%commands.slowQueue.name",
            description = "%commands.slowQueue.description")
    int slowQueue() default DEFAULT_SLOW_QUEUE;

    @AttributeDefinition(name = "%commands.slowTimeoutMs.name",
            description = "%commands.slowTimeoutMs.description")
    long slowTimeoutMs() default DEFAULT_SLOW_TIMEOUT_MS;
}
