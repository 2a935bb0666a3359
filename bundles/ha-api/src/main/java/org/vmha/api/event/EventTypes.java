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

    /**
     * A host stops as planned (a node shut down, the agent bundle stopped): it powers its VMs off and gives their
     * leases back for the survivors to resume at once; no {@link #HOST_FAILED} follows (subject: host).
     */
    public static final String HOST_STOPPING = "org.vmha.host.stopping";

    /** A host found itself isolated and applied its isolation response (subject: host). */
    public static final String HOST_ISOLATED = "org.vmha.host.isolated";

    /** A peer that was declared failed or partitioned is heard again on both channels (subject: host). */
    public static final String HOST_RETURNED = "org.vmha.host.returned";

    /** A host entered or left maintenance mode (subject: host, data: on, migrating VMs). */
    public static final String HOST_MAINTENANCE = "org.vmha.host.maintenance";

    /** A host was added to the cluster by an operator (subject: host, data: capacity). */
    public static final String HOST_ADDED = "org.vmha.host.added";

    /** A host was removed from the cluster by an operator (subject: host). */
    public static final String HOST_REMOVED = "org.vmha.host.removed";

    /** A VM was powered on by request and runs (subject: VM name). */
    public static final String VM_POWERED_ON = "org.vmha.vm.powered-on";

    /** A VM was powered off by request (subject: VM name). */
    public static final String VM_POWERED_OFF = "org.vmha.vm.powered-off";

    /** A VM moved to another host by request, resuming there from the checkpoint taken on leaving (subject: VM). */
    public static final String VM_MIGRATED = "org.vmha.vm.migrated";

    /** A VM's restart failed as many times as the retry budget allows; it is left FAILED (subject: VM). */
    public static final String VM_RESTART_FAILED = "org.vmha.vm.restart-failed";

    /** A host took over a VM's volume lease from a failed or isolated holder (subject: VM, data: lun, from, to). */
    public static final String LEASE_TAKEN_OVER = "org.vmha.lease.taken-over";

    /** Admission control refused a power-on or migration (subject: VM name, data: reason, policy). */
    public static final String ADMISSION_DENIED = "org.vmha.admission.denied";

    /**
     * The cluster no longer meets the admission policy's configured tolerance (e.g. it survives 1 of 2 host
     * failures); raised by the management service when the state changes from met (subject: the policy).
     */
    public static final String ADMISSION_NOT_MET = "org.vmha.admission.not-met";

    /** The cluster meets the admission policy's configured tolerance again (subject: the policy). */
    public static final String ADMISSION_MET = "org.vmha.admission.met";

    /** The management service published a new full failover table (subject: table version). */
    public static final String TABLE_UPDATED = "org.vmha.table.updated";

    /** A VM's HA settings changed by request: priority, protection, pinned alternate (subject: VM). */
    public static final String CONFIGURATION_CHANGED = "org.vmha.configuration.changed";

    /** A NOC command request was refused unexecuted: a reply-to outside the requester's queues, or none. */
    public static final String COMMAND_REFUSED = "org.vmha.command.refused";

    private EventTypes() {
    }
}
