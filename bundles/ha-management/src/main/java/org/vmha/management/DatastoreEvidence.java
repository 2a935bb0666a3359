/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import org.vmha.api.storage.HeartbeatRecord;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StorageAdapter;

/**
 * The {@link DatastoreEvidence} is responsible for what the datastore says of one host, for {@code why}: its last
 * datastore heartbeat, its isolation marker and the leases it holds. It is read by the caller's thread, never the
 * management service's (a slow datastore must not hold up the table), and handed to
 * {@link ManagementService#whyHost}.
 *
 * @param heartbeat the host's last datastore heartbeat, null if none
 * @param marker its isolation marker, null if none
 * @param leasedLuns the volumes whose lease it holds (live: not released, not expired), in order
 * @param readAtMillis when it was read
 * @param error why the datastore could not be read, null if it could
 * @author vmha - Initial contribution
 * @since 0.2
 */
public record DatastoreEvidence(HeartbeatRecord heartbeat, IsolationMarker marker, SortedSet<String> leasedLuns,
        long readAtMillis, String error) {

    /** @return evidence that says the datastore is not available to the management service */
    public static DatastoreEvidence none(String why, long nowMillis) {
        return new DatastoreEvidence(null, null, new TreeSet<>(), nowMillis, why);
    }

    /**
     * @param storage the datastore, or null
     * @param host the host
     * @param luns the volumes to inspect (the table's)
     * @param nowMillis now
     * @return what the datastore says; a failed read gives {@link #error}
     */
    public static DatastoreEvidence read(StorageAdapter storage, String host, Collection<String> luns,
            long nowMillis) {
        if (storage == null) {
            return none("no datastore is available to the management service", nowMillis);
        }
        try {
            HeartbeatRecord hb = storage.readHeartbeat(host).orElse(null);
            IsolationMarker marker = storage.readIsolationMarker(host).orElse(null);
            SortedSet<String> leased = new TreeSet<>();
            for (String lun : luns) {
                Optional<LeaseState> l = storage.inspectLease(lun);
                if (l.isPresent() && host.equals(l.get().owner()) && l.get().isLive(nowMillis)) {
                    leased.add(lun);
                }
            }
            return new DatastoreEvidence(hb, marker, leased, nowMillis, null);
        } catch (RuntimeException e) {
            return none("the datastore could not be read: " + e.getMessage(), nowMillis);
        }
    }
}
