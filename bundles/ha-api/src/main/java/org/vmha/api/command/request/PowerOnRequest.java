/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;

import org.vmha.api.command.ArgumentException;

/**
 * The {@link PowerOnRequest} is the request of {@code power-on}.
 *
 * @param vm the VM (name or lun); required
 * @param host the host to start it on, or null to let admission control place it
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record PowerOnRequest(String vm, String host) {

    /** Checks the arguments. */
    public PowerOnRequest {
        ArgumentException.requireText(vm, "vm");
    }
}
