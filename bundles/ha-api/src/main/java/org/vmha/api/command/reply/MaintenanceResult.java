/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.reply;

import java.util.SortedMap;

/**
 * The reply of {@code maintenance}, also the data of its {@code org.vmha.host.maintenance} event.
 *
 * @param host the host
 * @param maintenance true when it entered maintenance mode, false when it left
 * @param migrating the VMs sent away, VM to destination
 * @param stayed the VMs that fit nowhere else, VM to reason
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record MaintenanceResult(String host, boolean maintenance, SortedMap<String, String> migrating,
        SortedMap<String, String> stayed) {
}
