/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.util.concurrent.Executor;

import org.vmha.api.transport.ClusterTransport;

/**
 * The {@link SerialTransport} is responsible for keeping the name {@link HostAgentComponent} uses; the
 * hand-over itself is {@link org.vmha.core.concurrent.SerialTransport}, which the management bundle shares.
 *
 * @author vmha - Initial contribution
 */
final class SerialTransport extends org.vmha.core.concurrent.SerialTransport {

    SerialTransport(ClusterTransport delegate, Executor serial) {
        super(delegate, serial);
    }
}
