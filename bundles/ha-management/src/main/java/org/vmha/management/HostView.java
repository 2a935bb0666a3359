/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import org.vmha.api.command.reply.HostSummary;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;

/**
 * The state of one host as the management service sees it; the reply of {@code host-add} and
 * {@code host-remove} and a row of {@code status}.
 *
 * @param name the host
 * @param capacity what it offers
 * @param state CONNECTED, FAILED (not heard within the failure timeout) or MAINTENANCE
 * @param heardAgoMillis time since its last heartbeat, -1 if never heard
 * @param load the load it reported last (stale while it is FAILED)
 * @param reserved the reservations of the VMs placed on it
 * @param vms how many VMs hold capacity on it
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostView(String name, ResourceVector capacity, HostState state, long heardAgoMillis,
        ResourceVector load, ResourceVector reserved, int vms) {

    /**
     * @return the host as a reply of {@code host-add}, {@code host-remove} and a row of {@code status}; a FAILED
     *         host's load is unknown (null): the last one it reported is stale
     */
    public HostSummary summary() {
        return new HostSummary(name, state.name(), capacity.amounts(), reserved.amounts(),
                state == HostState.FAILED ? null : load.amounts(), vms, heardAgoMillis);
    }
}
