/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.audit;

import java.util.List;

/**
 * The {@link AuditLog} is responsible for the node's lasting record of operator actions: every command that the
 * shell ({@code ha:*}) or the NOC ({@code ha.commands}) dispatched to a handler, and every one refused before it got
 * there, with its user, channel, time, arguments and outcome. It survives restarts and is bounded on disk.
 * <p>
 * <b>Threading:</b> thread-safe; {@link #record} is called on shell and messaging threads and may block briefly (one
 * append to a local file).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
public interface AuditLog {

    /**
     * Appends one entry. Never throws: a failure to write is logged by the implementation, the command's outcome
     * does not change because of it.
     *
     * @param entry the entry; one whose {@link AuditEntry#time()} is null gets the log's current time
     */
    void record(AuditEntry entry);

    /**
     * @param query which entries
     * @return the matching entries, at most {@link AuditQuery#max()} of the newest, oldest first
     */
    List<AuditEntry> query(AuditQuery query);
}
