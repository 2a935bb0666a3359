/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link TableUpdated} is the {@code data} of {@link EventTypes#TABLE_UPDATED}: the management service
 * published a new full failover table. Its components are the JSON fields, in their wire order.
 *
 * @param version the table version
 * @param entries how many VMs it holds
 * @param alternates how many of them have an alternate host
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record TableUpdated(long version, int entries, int alternates) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.TABLE_UPDATED;
}
