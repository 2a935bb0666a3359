/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link VmRestartFailed} is the {@code data} of {@link EventTypes#VM_RESTART_FAILED}: a VM's restart failed as
 * many times as the retry budget allows; it is left FAILED. Its components are the JSON fields, in their wire
 * order.
 *
 * @param vm the VM
 * @param lun its volume
 * @param host the host that tried
 * @param attempts how many times it tried
 * @param reason the last failure, in words
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VmRestartFailed(String vm, String lun, String host, int attempts, String reason) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.VM_RESTART_FAILED;
}
