/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link HostReturned} is the {@code data} of {@link EventTypes#HOST_RETURNED}: a peer declared failed or
 * partitioned is heard again on both channels. Its components are the JSON fields, in their wire order.
 *
 * @param host the host that returned
 * @param by the host whose agent hears it
 * @param was the status it had: {@code FAILED} or {@code PARTITIONED}
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostReturned(String host, String by, String was) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.HOST_RETURNED;
}
