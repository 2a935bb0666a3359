/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

/**
 * The {@link QmpErrorException} is responsible for reporting a command that QEMU answered with an
 * {@code error} reply; it keeps QEMU's error class and description.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class QmpErrorException extends QmpException {

    private static final long serialVersionUID = 1L;

    private final String errorClass;
    private final String description;

    /**
     * @param socket the QMP socket
     * @param command the command that failed
     * @param errorClass QEMU's error class, e.g. {@code GenericError}
     * @param description QEMU's description
     */
    public QmpErrorException(String socket, String command, String errorClass, String description) {
        super("QMP command '" + command + "' on " + socket + " failed: " + errorClass + ": " + description);
        this.errorClass = errorClass;
        this.description = description;
    }

    /** @return QEMU's error class, e.g. {@code GenericError} or {@code CommandNotFound} */
    public String errorClass() {
        return errorClass;
    }

    /** @return QEMU's description of the error */
    public String description() {
        return description;
    }
}
