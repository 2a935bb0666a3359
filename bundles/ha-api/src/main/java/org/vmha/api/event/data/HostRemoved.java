/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link HostRemoved} is the {@code data} of {@link EventTypes#HOST_REMOVED}: an operator removed a host from
 * the cluster. Its components are the JSON fields, in their wire order.
 *
 * @param host the host
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostRemoved(String host) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.HOST_REMOVED;
}
