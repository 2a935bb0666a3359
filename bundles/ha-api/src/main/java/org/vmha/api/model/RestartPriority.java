/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

/**
 * The {@link RestartPriority} is responsible for ordering VM restarts after a host failure: higher
 * priorities restart first. {@link #DISABLED} VMs are never restarted by HA. Declaration order is
 * the order from lowest to highest, so {@link #compareTo} ranks priorities.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public enum RestartPriority {
    DISABLED,
    LOWEST,
    LOW,
    MEDIUM,
    HIGH,
    HIGHEST;

    /** The priority of a VM that does not set one. */
    public static final RestartPriority DEFAULT = MEDIUM;
}
