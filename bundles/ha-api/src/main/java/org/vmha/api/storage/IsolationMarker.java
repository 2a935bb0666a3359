/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

import java.util.List;

/**
 * The {@link IsolationMarker} is responsible for recording on the datastore that a host found itself
 * isolated and powered off (or shut down) its VMs and released their leases, so survivors may
 * restart them.
 *
 * @param host the isolated host
 * @param timeMillis when it wrote the marker (epoch ms)
 * @param action what it did with its VMs, e.g. "power-off" or "shutdown"
 * @param releasedLuns the volumes whose leases it released, sorted
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record IsolationMarker(String host, long timeMillis, String action, List<String> releasedLuns) {

    public IsolationMarker {
        StorageNames.require("host", host);
        action = action == null ? "" : action;
        releasedLuns = releasedLuns == null ? List.of() : releasedLuns.stream().sorted().toList();
    }
}
