/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@link QmpEvent} is responsible for one asynchronous QMP event (STOP, RESUME, SHUTDOWN, RESET,
 * MIGRATION, ...).
 *
 * @param name the event name as QEMU spells it
 * @param data the event's data, an empty object when QEMU sent none
 * @param timestampMicros QEMU's timestamp in microseconds since the epoch, or -1 if absent
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record QmpEvent(String name, JsonNode data, long timestampMicros) {
}
