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

    private EventTypes() {
    }
}
