/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.host;

import java.util.Objects;

import org.vmha.failover.FailoverServiceFactory;
import org.vmha.heartbeat.HeartbeatServiceFactory;

/**
 * The {@link HostFunctions} are the two functions a {@link HostAgent} binds together, as their bundles offer them:
 * the heartbeat function and the failover executor.
 *
 * @param heartbeat makes the heartbeat service
 * @param failover makes the failover service
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostFunctions(HeartbeatServiceFactory heartbeat, FailoverServiceFactory failover) {

    /** The plain services, as the simulator and the tests run them. */
    public static final HostFunctions DEFAULT = new HostFunctions(HeartbeatServiceFactory.DEFAULT,
            FailoverServiceFactory.DEFAULT);

    public HostFunctions {
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(failover, "failover");
    }
}
