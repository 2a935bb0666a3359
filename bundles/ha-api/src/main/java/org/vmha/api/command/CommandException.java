/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command;

/**
 * Thrown by a {@link CommandHandler} to answer with an error. The code is machine-readable, the message says
 * what was wrong in words and names the argument or entity.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class CommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The request is malformed: not JSON, wrong types, a missing or invalid argument. */
    public static final String BAD_REQUEST = "BAD_REQUEST";

    /** No handler has the requested command name. */
    public static final String UNKNOWN_COMMAND = "UNKNOWN_COMMAND";

    /** The request names a VM, host or other entity that does not exist. */
    public static final String NOT_FOUND = "NOT_FOUND";

    /** The operation is understood but refused, for example by admission control. */
    public static final String REFUSED = "REFUSED";

    /** Admission control refused a power-on or migration; the message gives the policy's reason. */
    public static final String ADMISSION_DENIED = "ADMISSION_DENIED";

    /** The operation does not fit the entity's current state (already running, already off, …). */
    public static final String CONFLICT = "CONFLICT";

    /** The service that performs the operation does not run on the node that received it. */
    public static final String UNAVAILABLE = "UNAVAILABLE";

    /** The request is larger than the configured limit. */
    public static final String TOO_LARGE = "TOO_LARGE";

    /** The handler failed unexpectedly; the node's log has the details. */
    public static final String INTERNAL = "INTERNAL";

    private final String code;

    /**
     * @param code one of the constants of this class (or a handler-specific upper-case code)
     * @param message what was wrong, naming the argument or entity
     */
    public CommandException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** @return the machine-readable error code */
    public String code() {
        return code;
    }
}
