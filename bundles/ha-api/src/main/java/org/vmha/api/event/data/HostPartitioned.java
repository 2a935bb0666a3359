/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link HostPartitioned} is the {@code data} of {@link EventTypes#HOST_PARTITIONED}: an agent hears a peer on
 * the datastore only, its network heartbeats are silent. Its components are the JSON fields, in their wire order.
 *
 * @param host the partitioned host
 * @param by the host whose agent sees it
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostPartitioned(String host, String by) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.HOST_PARTITIONED;
}
