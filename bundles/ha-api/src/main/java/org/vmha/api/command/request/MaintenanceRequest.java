/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;

import org.vmha.api.command.ArgumentException;

/**
 * The {@link MaintenanceRequest} is the request of {@code maintenance}.
 *
 * @param host the host; required
 * @param on true to enter maintenance mode, false to leave it; required
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record MaintenanceRequest(String host, Boolean on) {

    /** Checks the arguments. */
    public MaintenanceRequest {
        ArgumentException.requireText(host, "host");
        ArgumentException.requireBoolean(on, "on");
    }
}
