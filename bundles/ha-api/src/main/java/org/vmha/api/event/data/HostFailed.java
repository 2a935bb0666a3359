/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link HostFailed} is the {@code data} of {@link EventTypes#HOST_FAILED}: an agent declared a peer failed:
 * its network and its datastore heartbeats are both silent. Its components are the JSON fields, in their wire
 * order.
 *
 * @param host the failed host
 * @param by the host whose agent declared it
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostFailed(String host, String by) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.HOST_FAILED;
}
