/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

/**
 * The {@link HostState} is responsible for naming a host's membership state.
 * <ul>
 * <li>{@link #CONNECTED}: a healthy member; runs VMs and counts for capacity.</li>
 * <li>{@link #MAINTENANCE}: a member that runs nothing new and does not count for capacity.</li>
 * <li>{@link #FAILED}: a member declared failed; still counts for admission capacity (it is expected
 * back), but it is never a restart target.</li>
 * <li>{@link #REMOVED}: no longer a member; ignored.</li>
 * </ul>
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public enum HostState {
    CONNECTED,
    MAINTENANCE,
    FAILED,
    REMOVED;

    /**
     * @return true when the host counts for admission capacity (connected, or failed but still a member)
     */
    public boolean countsForCapacity() {
        return this == CONNECTED || this == FAILED;
    }
}
