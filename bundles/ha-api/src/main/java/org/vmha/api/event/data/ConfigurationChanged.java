/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import java.util.Map;

import org.vmha.api.event.EventTypes;

/**
 * The {@link ConfigurationChanged} is the {@code data} of {@link EventTypes#CONFIGURATION_CHANGED}: a VM's HA
 * settings changed by request. Its components are the JSON fields, in their wire order.
 *
 * @param vm the VM
 * @param changes each changed setting to its new value, in the order applied: {@code priority}, {@code
 *        isolationResponse} ({@code cluster} when it follows the cluster's), {@code alternate} ({@code null} when
 *        unpinned); settings left alone are absent
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record ConfigurationChanged(String vm, Map<String, Object> changes) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.CONFIGURATION_CHANGED;
}
