/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event;

/**
 * Thrown when an event could not be handed to the message bus.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class EventPublishException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EventPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
