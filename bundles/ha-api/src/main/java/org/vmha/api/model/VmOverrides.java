/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

/**
 * The {@link VmOverrides} is responsible for per-VM settings that override the cluster's defaults.
 * Every component may be {@code null}, meaning "use the cluster default".
 *
 * @param pinnedAlternateHost the host to restart on when the current host fails, if it survives and fits
 * @param isolationResponse what to do when the VM's host is isolated
 * @param monitoring guest-monitoring settings
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VmOverrides(String pinnedAlternateHost, IsolationResponse isolationResponse,
        MonitoringSettings monitoring) {

    /** No overrides. */
    public static final VmOverrides NONE = new VmOverrides(null, null, null);
}
