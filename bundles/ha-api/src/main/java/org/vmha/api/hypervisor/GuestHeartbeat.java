/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.hypervisor;

/**
 * The {@link GuestHeartbeat} is responsible for what a hypervisor last heard from a guest's own heartbeat channel
 * (for example a line on a serial or virtio-serial port), for the guest monitor.
 *
 * @param lun the VM's volume
 * @param count how many heartbeats were heard since the VM started here
 * @param lastAtMillis when the latest was heard (the adapter's clock)
 * @param lastLine the latest heartbeat as the guest wrote it, without the line end
 * @author vmha - Initial contribution
 * @since 0.2
 */
public record GuestHeartbeat(String lun, long count, long lastAtMillis, String lastLine) {
}
