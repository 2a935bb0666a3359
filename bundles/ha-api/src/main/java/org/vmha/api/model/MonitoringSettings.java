/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

/**
 * The {@link MonitoringSettings} is responsible for a VM's guest-monitoring override.
 *
 * @param enabled whether guest heartbeats are monitored
 * @param failureIntervalSeconds seconds without a guest heartbeat before the VM is reset
 * @param maxResets resets allowed within {@code resetWindowSeconds}
 * @param resetWindowSeconds window for {@code maxResets}
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record MonitoringSettings(boolean enabled, long failureIntervalSeconds, int maxResets,
        long resetWindowSeconds) {

    /** Monitoring off. */
    public static final MonitoringSettings DISABLED = new MonitoringSettings(false, 30, 3, 3600);

    public MonitoringSettings {
        if (failureIntervalSeconds <= 0 || maxResets < 0 || resetWindowSeconds <= 0) {
            throw new IllegalArgumentException("monitoring settings must be positive: interval="
                    + failureIntervalSeconds + " maxResets=" + maxResets + " window=" + resetWindowSeconds);
        }
    }
}
