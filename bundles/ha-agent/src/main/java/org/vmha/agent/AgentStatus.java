/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent;

import java.util.List;
import java.util.Set;

import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.model.FailoverTable;

/**
 * The {@link AgentStatus} is responsible for a read-only view of one running host agent. Each agent
 * registers one, with the service property {@value #HOST_PROPERTY} naming its host, while it runs.
 * <p>
 * <b>Threading:</b> thread-safe; each call asks the agent's own thread and waits at most a few seconds
 * for the answer.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
public interface AgentStatus {

    /** Service property naming the agent's host. */
    String HOST_PROPERTY = "vmha.host";

    /** @return the host this agent runs for */
    String host();

    /** @return the agent's failover table replica */
    FailoverTable replica();

    /** @return the VMs this host's hypervisor runs, in lun order */
    List<RunningVm> runningVms();

    /** @return the volumes this agent holds leases on */
    Set<String> leasedLuns();

    /** @return restarts this agent dispatched since it started */
    long restartsIssued();

    /** @return what this agent knows of each peer: status and heartbeat age per channel, by name */
    List<org.vmha.api.transport.PeerView> peers();

    /** @return true while this host considers itself isolated (before or after responding) */
    boolean isolated();

    /** @return true while this host's last datastore heartbeat write succeeded */
    boolean storageReachable();
}
