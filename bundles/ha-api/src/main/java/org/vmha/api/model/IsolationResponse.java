/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

/**
 * The {@link IsolationResponse} is responsible for naming what an isolated host does with a VM.
 * {@link #LEAVE_POWERED_ON} keeps it running and its lease held; {@link #POWER_OFF} and
 * {@link #SHUTDOWN} stop it, release its lease and let the survivors restart it.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public enum IsolationResponse {
    LEAVE_POWERED_ON,
    POWER_OFF,
    SHUTDOWN;

    /**
     * @return the name used in configuration, scenarios, JSON and events: {@code leave-powered-on},
     *         {@code power-off}, {@code shutdown}
     */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * @param wireName a name as {@link #wireName()} gives it (case and surrounding blanks ignored)
     * @return the response, or empty when the name is none of them
     */
    public static java.util.Optional<IsolationResponse> fromWireName(String wireName) {
        if (wireName == null) {
            return java.util.Optional.empty();
        }
        String wanted = wireName.trim().toLowerCase(java.util.Locale.ROOT);
        for (IsolationResponse r : values()) {
            if (r.wireName().equals(wanted)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
