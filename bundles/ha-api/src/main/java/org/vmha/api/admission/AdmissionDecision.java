/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.admission;

/**
 * The {@link AdmissionDecision} is responsible for the answer to one {@link AdmissionRequest}.
 *
 * @param admitted whether the operation may proceed
 * @param reason human-readable explanation with the figures that decided it; never {@code null}
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record AdmissionDecision(boolean admitted, String reason) {

    public AdmissionDecision {
        reason = reason == null ? "" : reason;
    }

    /**
     * @param reason why
     * @return an admitting decision
     */
    public static AdmissionDecision admit(String reason) {
        return new AdmissionDecision(true, reason);
    }

    /**
     * @param reason why
     * @return a refusing decision
     */
    public static AdmissionDecision refuse(String reason) {
        return new AdmissionDecision(false, reason);
    }
}
