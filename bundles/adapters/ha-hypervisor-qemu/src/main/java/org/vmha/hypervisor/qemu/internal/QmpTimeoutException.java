/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

/**
 * The {@link QmpTimeoutException} is responsible for reporting a QMP wait that ran out of time (QEMU
 * hung, or the socket belongs to something that never answers).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class QmpTimeoutException extends QmpException {

    private static final long serialVersionUID = 1L;

    /** @param message names socket, command and timeout */
    public QmpTimeoutException(String message) {
        super(message);
    }
}
