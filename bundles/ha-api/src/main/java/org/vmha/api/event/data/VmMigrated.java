/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import org.vmha.api.event.EventTypes;

/**
 * The {@link VmMigrated} is the {@code data} of {@link EventTypes#VM_MIGRATED}: a VM moved here by request and
 * resumed from the checkpoint its source took on leaving. Its components are the JSON fields, in their wire order.
 *
 * @param vm the VM
 * @param lun its volume
 * @param host the destination, where it runs now
 * @param from the source host
 * @param generation the new lease generation
 * @param resumedFromCheckpoint the checkpoint sequence it resumed from
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VmMigrated(String vm, String lun, String host, String from, long generation,
        long resumedFromCheckpoint) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.VM_MIGRATED;
}
