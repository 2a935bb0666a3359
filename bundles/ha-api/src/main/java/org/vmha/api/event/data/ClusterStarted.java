/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link ClusterStarted} is the {@code data} of {@link EventTypes#CLUSTER_STARTED}: the messaging layer of a
 * node came up and connected to the broker. Its components are the JSON fields, in their wire order.
 *
 * @param node the node
 * @param version the product version it runs
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record ClusterStarted(String node, String version) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.CLUSTER_STARTED;
}
