/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link CommandRefused} is the {@code data} of {@link EventTypes#COMMAND_REFUSED}: a NOC command request was
 * refused unexecuted: a reply-to outside the requester's queues, or none. Its components are the JSON fields, in
 * their wire order.
 *
 * @param user the broker's validated user, escaped, or {@code -} when unknown
 * @param replyTo the reply-to as the request named it, escaped and shortened; {@code -} when it had none
 * @param reason why it was refused
 * @param correlationId the request's correlation id, shortened, or {@code null} (then absent from the JSON) when it
 *        had none
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record CommandRefused(String user, String replyTo, String reason,
        @OmittedWhenNull String correlationId) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.COMMAND_REFUSED;
}
