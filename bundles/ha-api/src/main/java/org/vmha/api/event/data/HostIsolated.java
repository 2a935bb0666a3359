/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import java.util.List;
import java.util.SortedMap;

import org.vmha.api.event.EventTypes;

/**
 * The {@link HostIsolated} is the {@code data} of {@link EventTypes#HOST_ISOLATED}: a host found itself isolated
 * and applied its isolation response. Its components are the JSON fields, in their wire order.
 *
 * @param host the isolated host
 * @param released the volumes (LUNs) whose leases it released, sorted
 * @param responses VM name to the isolation response applied ({@code leave-powered-on}, {@code power-off}, {@code
 *        shutdown})
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostIsolated(String host, List<String> released,
        SortedMap<String, String> responses) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.HOST_ISOLATED;
}
