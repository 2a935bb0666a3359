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
@ObjectClassDefinition(id = NocCommandConfiguration.PID, name = "vmha NOC commands",
        description = "Request/reply commands from NOC tools on the address ha.commands")
public @interface NocCommandConfiguration {

    String PID = "org.vmha.commands";

    int DEFAULT_MAX_REQUEST_BYTES = 65_536;

    int DEFAULT_MAX_REPLY_BYTES = 1_048_576;

    /** The role the broker lets consume ha.commands (docs/security-messaging.md). */
    String MANAGEMENT_ROLE = "ha-management";

    @AttributeDefinition(name = "Serve commands",
            description = "Consume ha.commands on this node. Enable it where the management service runs: every "
                    + "consuming node gets a share of the requests")
    boolean enabled() default true;

    @AttributeDefinition(name = "Largest request (bytes)", description = "Larger requests get TOO_LARGE, 256 to 16777216")
    int maxRequestBytes() default DEFAULT_MAX_REQUEST_BYTES;

    @AttributeDefinition(name = "Largest reply (bytes)",
            description = "A larger reply is replaced by a TOO_LARGE error, 4096 to 16777216")
    int maxReplyBytes() default DEFAULT_MAX_REPLY_BYTES;

    @AttributeDefinition(name = "Broker URL", required = false,
            description = "Artemis core URL; empty: tcp://<vmha.broker.host>:<vmha.broker.port>")
    String brokerUrl() default "";

    @AttributeDefinition(name = "User name",
            description = "Broker user of the command route; needs the role ha-management, the only one that may "
                    + "consume ha.commands")
    String username() default "management";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, description = "Broker password")
    String password() default "management";

    @AttributeDefinition(name = "Slow command threads",
            description = "Threads that run plan and what-if off the command route, 1 to 8")
    int slowThreads() default 1;

    @AttributeDefinition(name = "Slow commands waiting",
            description = "plan and what-if requests that wait for a thread at most; more get UNAVAILABLE, 0 to 64")
    int slowQueue() default 4;

    @AttributeDefinition(name = "Slow command time limit (ms)",
            description = "A plan or what-if that runs longer is answered UNAVAILABLE, 1000 to 600000")
    long slowTimeoutMs() default 30_000;
}
