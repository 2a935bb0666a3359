/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;

import org.vmha.api.command.ArgumentException;

/**
 * The {@link MigrateRequest} is the request of {@code migrate}.
 *
 * @param vm the VM (name or lun); required
 * @param host the destination host; required
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record MigrateRequest(String vm, String host) {

    /** Checks the arguments. */
    public MigrateRequest {
        ArgumentException.requireText(vm, "vm");
        ArgumentException.requireText(host, "host");
    }
}
