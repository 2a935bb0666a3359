/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.guard;

/**
 * The {@link AdapterCallException} is responsible for reporting a guarded adapter call that did not
 * complete: it timed out, was rejected because the guard's pool was full, or was interrupted. The
 * message names the adapter, the call and the VM or host.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class AdapterCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message names adapter, call and subject
     * @param cause the underlying failure, may be null
     */
    public AdapterCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
