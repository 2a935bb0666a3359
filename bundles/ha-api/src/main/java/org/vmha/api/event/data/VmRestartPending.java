/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link VmRestartPending} is the {@code data} of {@link EventTypes#VM_RESTART_PENDING}: a protected VM could
 * not be placed and waits for capacity. Its components are the JSON fields, in their wire order.
 *
 * @param vm the VM
 * @param reason why it fits nowhere, in words
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VmRestartPending(String vm, String reason) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.VM_RESTART_PENDING;
}
