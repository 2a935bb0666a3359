/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link LeaseTakenOver} is the {@code data} of {@link EventTypes#LEASE_TAKEN_OVER}: a host took over a VM's
 * volume lease from a failed or isolated holder. Its components are the JSON fields, in their wire order.
 *
 * @param vm the VM
 * @param lun its volume
 * @param from the host that held the lease
 * @param to the host that holds it now
 * @param generation the new generation (fencing token)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record LeaseTakenOver(String vm, String lun, String from, String to, long generation) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.LEASE_TAKEN_OVER;
}
