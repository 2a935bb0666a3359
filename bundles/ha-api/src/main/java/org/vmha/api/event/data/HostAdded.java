/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import java.util.SortedMap;

import org.vmha.api.event.EventTypes;

/**
 * The {@link HostAdded} is the {@code data} of {@link EventTypes#HOST_ADDED}: an operator added a host to the
 * cluster. Its components are the JSON fields, in their wire order.
 *
 * @param host the host
 * @param capacity resource name to amount, for example {@code cpuMhz}, {@code memoryMb}
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostAdded(String host, SortedMap<String, Long> capacity) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.HOST_ADDED;
}
