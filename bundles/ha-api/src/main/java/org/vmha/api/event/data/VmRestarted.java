/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link VmRestarted} is the {@code data} of {@link EventTypes#VM_RESTARTED}: a VM was restarted here after its
 * host failed or was isolated. Its components are the JSON fields, in their wire order.
 *
 * @param vm the VM
 * @param lun its volume
 * @param host where it runs now
 * @param from the host it ran on, or {@code null} when it had none
 * @param generation the lease generation (fencing token) it runs under
 * @param resumedFromCheckpoint the checkpoint sequence it resumed from, or -1 for a cold boot
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VmRestarted(String vm, String lun, String host, String from, long generation,
        long resumedFromCheckpoint) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.VM_RESTARTED;
}
