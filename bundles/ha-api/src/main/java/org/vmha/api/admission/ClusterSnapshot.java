/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.admission;

import java.util.List;

import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.Host;

/**
 * The {@link ClusterSnapshot} is responsible for the immutable view of the cluster an admission
 * decision is made on: every host and the failover table (one entry per VM, powered on or not).
 * <p>
 * Policies may cache what they derive from a snapshot by identity, so callers should reuse the same
 * instance for a burst of decisions and build a new one when the cluster changes.
 *
 * @param hosts every host, in any order (names unique)
 * @param table the failover table
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record ClusterSnapshot(List<Host> hosts, FailoverTable table) {

    public ClusterSnapshot {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        table = table == null ? FailoverTable.EMPTY : table;
    }
}
