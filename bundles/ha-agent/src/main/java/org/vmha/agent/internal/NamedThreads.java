/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import org.slf4j.Logger;

/**
 * The {@link NamedThreads} are responsible for naming the agents' threads under the name
 * {@link HostAgentComponent} uses; the factory itself is {@link org.vmha.core.concurrent.NamedThreads},
 * which the management bundle shares.
 *
 * @author vmha - Initial contribution
 */
final class NamedThreads extends org.vmha.core.concurrent.NamedThreads {

    NamedThreads(String name, boolean numbered, Logger logger) {
        super(name, numbered, logger);
    }
}
