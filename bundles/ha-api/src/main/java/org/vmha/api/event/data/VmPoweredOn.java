/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link VmPoweredOn} is the {@code data} of {@link EventTypes#VM_POWERED_ON}: a VM was powered on by request
 * and runs. Its components are the JSON fields, in their wire order.
 *
 * @param vm the VM
 * @param lun its volume
 * @param host where it runs
 * @param generation the lease generation (fencing token) it runs under
 * @param resumedFromCheckpoint -1: a power-on boots
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VmPoweredOn(String vm, String lun, String host, long generation,
        long resumedFromCheckpoint) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.VM_POWERED_ON;
}
