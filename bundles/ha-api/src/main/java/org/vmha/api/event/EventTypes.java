/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event;

/**
 * The {@link EventTypes} list the CloudEvents {@code type} values the product emits. Each has a JSON
 * Schema for its {@code data} under {@code docs/schemas/}.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class EventTypes {

    /** The messaging layer of a node came up and connected to the broker. */
    public static final String CLUSTER_STARTED = "org.vmha.cluster.started";

    /** A VM was restarted on a survivor after its host failed or was isolated (subject: VM name). */
    public static final String VM_RESTARTED = "org.vmha.vm.restarted";

    /** A protected VM could not be placed and waits for capacity (subject: VM name, data: reason). */
    public static final String VM_RESTART_PENDING = "org.vmha.vm.restart-pending";

    /** An agent declared a peer failed: both network and datastore heartbeats silent (subject: host). */
    public static final String HOST_FAILED = "org.vmha.host.failed";

    /** An agent sees a peer's network silent while its datastore heartbeats are fresh (subject: host). */
    public static final String HOST_PARTITIONED = "org.vmha.host.partitioned";

    /** A host found itself isolated and applied its isolation response (subject: host). */
    public static final String HOST_ISOLATED = "org.vmha.host.isolated";

    private EventTypes() {
    }
}
