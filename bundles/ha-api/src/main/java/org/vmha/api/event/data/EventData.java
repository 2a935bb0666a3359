/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

/**
 * The {@link EventData} is the typed {@code data} of one event type: each implementation is a record whose components
 * are the JSON fields of that type's {@code data} object, in their wire order, and whose {@code TYPE} constant names
 * the type ({@link org.vmha.api.event.EventTypes}). The JSON Schema of the type is
 * {@code docs/schemas/events/<type>.json}.
 * <p>
 * A component is written to the JSON also when it is {@code null} (as {@code null}), unless it is marked
 * {@link OmittedWhenNull}. Values are JSON-compatible: strings, numbers, booleans, lists and maps of them.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public sealed interface EventData permits HostFailed, HostStopping, HostPartitioned, HostReturned, HostIsolated, VmRestarted,
        VmPoweredOn, VmMigrated, VmPoweredOff, VmRestartFailed, VmRestartPending, LeaseTakenOver, AdmissionDenied,
        AdmissionNotMet, AdmissionMet, TableUpdated, ConfigurationChanged, HostAdded, HostRemoved, HostMaintenance,
        ClusterStarted, CommandRefused {
}
