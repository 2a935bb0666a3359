/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

/**
 * The {@link QmpException} is responsible for reporting a QMP exchange that failed: the socket could
 * not be reached, it closed, it sent something that is not QMP, or a wait timed out. The message
 * names the socket and, where there is one, the command.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class QmpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message names socket and command */
    public QmpException(String message) {
        super(message);
    }

    /**
     * @param message names socket and command
     * @param cause the underlying failure
     */
    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
