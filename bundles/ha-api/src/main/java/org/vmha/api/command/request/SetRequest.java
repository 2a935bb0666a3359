/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;

import org.vmha.api.command.ArgumentException;

/**
 * The {@link SetRequest} is the request of {@code set}: a VM's HA settings; what is null stays as it is.
 *
 * @param vm the VM (name or lun); required
 * @param priority the restart priority (lowest … highest, or disabled), or null
 * @param ha true to protect the VM, false to stop protecting it, or null
 * @param alternate the host to pin as the VM's alternate, the empty string to unpin (JSON null on the wire), or null
 *        to leave it
 * @param isolationResponse leave-powered-on, power-off, shutdown or cluster, or null
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record SetRequest(String vm, String priority, Boolean ha, String alternate, String isolationResponse) {

    /** The value of {@link #alternate} that unpins the alternate. */
    public static final String UNPIN = "";

    /** Checks the arguments. */
    public SetRequest {
        ArgumentException.requireText(vm, "vm");
    }
}
