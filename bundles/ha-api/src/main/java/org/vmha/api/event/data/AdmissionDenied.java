/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link AdmissionDenied} is the {@code data} of {@link EventTypes#ADMISSION_DENIED}: admission control (or the
 * destination's free capacity) refused a power-on or a migration. Its components are the JSON fields, in their wire
 * order.
 *
 * @param vm the VM
 * @param request the command: {@code power-on} or {@code migrate}
 * @param host the requested host; {@code null} when the service chose
 * @param policy the admission policy in force, or {@code none}
 * @param reason why, in words
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record AdmissionDenied(String vm, String request, String host, String policy,
        String reason) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.ADMISSION_DENIED;
}
