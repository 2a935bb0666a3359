/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;

import org.vmha.api.command.ArgumentException;

/**
 * The {@link VmRequest} is the request of the commands that name one VM: {@code power-off}.
 *
 * @param vm the VM (name or lun); required
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VmRequest(String vm) {

    /** Checks the arguments. */
    public VmRequest {
        ArgumentException.requireText(vm, "vm");
    }
}
