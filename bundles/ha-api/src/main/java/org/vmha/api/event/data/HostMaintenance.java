/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import java.util.SortedMap;

import org.vmha.api.event.EventTypes;

/**
 * The {@link HostMaintenance} is the {@code data} of {@link EventTypes#HOST_MAINTENANCE}: a host entered or left
 * maintenance mode. Its components are the JSON fields, in their wire order.
 *
 * @param host the host
 * @param maintenance true when it entered maintenance mode, false when it left
 * @param migrating VM to destination host, for the VMs being migrated away
 * @param stayed VM to the reason it could not move
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostMaintenance(String host, boolean maintenance, SortedMap<String, String> migrating,
        SortedMap<String, String> stayed) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.HOST_MAINTENANCE;
}
