/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import java.util.List;

/**
 * The {@link FailoverTable} is responsible for one version of the cluster's failover table. Every
 * agent holds a replica; the planner's output depends only on the table, the host states and the
 * failed set, so every agent computes the same plan from the same version.
 *
 * @param version monotonically increasing table version
 * @param entries one entry per VM; the list order carries no meaning
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record FailoverTable(long version, List<FailoverTableEntry> entries) {

    /** The empty table. */
    public static final FailoverTable EMPTY = new FailoverTable(0, List.of());

    public FailoverTable {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
