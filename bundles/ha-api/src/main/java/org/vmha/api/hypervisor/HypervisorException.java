/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.hypervisor;

/**
 * The {@link HypervisorException} is responsible for reporting a hypervisor operation that failed; the
 * message names the host, the VM and the reason.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class HypervisorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message names host, VM and reason */
    public HypervisorException(String message) {
        super(message);
    }

    /**
     * @param message names host, VM and reason
     * @param cause the underlying failure
     */
    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
