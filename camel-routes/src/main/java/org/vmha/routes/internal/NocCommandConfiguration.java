/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
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

    @AttributeDefinition(name = "Serve commands",
            description = "Consume ha.commands on this node. Enable it where the management service runs: every "
                    + "consuming node gets a share of the requests")
    boolean enabled() default true;

    @AttributeDefinition(name = "Largest request (bytes)", description = "Larger requests get TOO_LARGE, 256 to 16777216")
    int maxRequestBytes() default DEFAULT_MAX_REQUEST_BYTES;
}
