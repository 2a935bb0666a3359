/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link VmPoweredOff} is the {@code data} of {@link EventTypes#VM_POWERED_OFF}: a VM was powered off by
 * request. Its components are the JSON fields, in their wire order.
 *
 * @param vm the VM
 * @param lun its volume
 * @param host where it ran
 * @param generation the lease generation it gave back, or -1 when it held none
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VmPoweredOff(String vm, String lun, String host, long generation) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.VM_POWERED_OFF;
}
