/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The {@link EventPublisher} is responsible for putting cluster events on the message bus. The
 * implementation (the camel-routes bundle) owns the transport; callers never see address names.
 * <p>
 * Threading: {@link #publish(CloudEvent)} may block briefly on the broker connection; it never takes
 * a lock that callers hold. It is safe to call from any thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@ProviderType
public interface EventPublisher {

    /**
     * Publishes one event to every subscriber.
     *
     * @param event the event
     * @throws EventPublishException if the bus refused or could not be reached
     */
    void publish(CloudEvent event);
}
