/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.transport;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;

/**
 * The {@link ClusterListener} is responsible for receiving what a {@link ClusterTransport} delivers.
 * <p>
 * <b>Threading:</b> called on the transport's delivery thread; implementations hand the message to
 * their own serial executor and return quickly.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
public interface ClusterListener {

    /** @param heartbeat a peer's host heartbeat */
    void onHeartbeat(HostHeartbeat heartbeat);

    /** @param update a table update */
    void onTable(TableUpdate update);

    /** @param event a cluster event */
    default void onEvent(CloudEvent event) {
    }
}
