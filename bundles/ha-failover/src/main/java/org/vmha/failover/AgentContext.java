/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import org.vmha.api.heartbeat.PeerStates;

/**
 * The {@link AgentContext} is responsible for naming what most parts of one host's failover executor take
 * together: who this host is, its settings, what the heartbeat function knows of the peers, and the epochs that
 * tell the failover scan something changed. {@link FailoverService} builds it once.
 *
 * @param host this host
 * @param config settings
 * @param peers the peers' states (the heartbeat function's service)
 * @param epochs moved when the replica, this host's VMs or its free capacity change
 * @author vmha - Initial contribution
 * @since 0.1
 */
record AgentContext(String host, AgentConfig config, PeerStates peers, ScanEpochs epochs) {
}
