/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.reply;

import java.util.Map;

/**
 * The reply of {@code host-add} and {@code host-remove}, and a row of {@code status}: one host as the management
 * service sees it.
 *
 * @param host the host
 * @param state CONNECTED, FAILED (not heard within the failure timeout) or MAINTENANCE
 * @param capacity what it offers, by resource
 * @param reserved the reservations of the VMs placed on it, by resource
 * @param load the load it reported last, by resource; null while it is FAILED (its last load is stale)
 * @param vms how many VMs hold capacity on it
 * @param heardAgoMs milliseconds since its last heartbeat, -1 if never heard
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostSummary(String host, String state, Map<String, Long> capacity, Map<String, Long> reserved,
        Map<String, Long> load, int vms, long heardAgoMs) {
}
