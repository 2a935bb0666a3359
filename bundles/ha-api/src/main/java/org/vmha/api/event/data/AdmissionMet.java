/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link AdmissionMet} is the {@code data} of {@link EventTypes#ADMISSION_MET}: the cluster meets the admission policy's configured tolerance again. Its components are the JSON fields, in
 * their wire order.
 *
 * @param policy the admission policy in force: {@code slot}, {@code percentage}, {@code dedicated} or {@code exact}
 * @param hostFailures the host failures it is configured to tolerate
 * @param tolerated how many host failures the cluster can take now
 * @param reason the state in one sentence, as {@code ha:cluster} shows it
 * @author vmha - Initial contribution
 * @since 0.2
 */
public record AdmissionMet(String policy, int hostFailures, int tolerated, String reason) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.ADMISSION_MET;
}
