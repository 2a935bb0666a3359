/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.audit;

import java.time.Instant;

/**
 * An {@link AuditQuery} is responsible for choosing entries of the {@link AuditLog}. Every criterion is optional
 * (null); those given must all match.
 *
 * @param since entries at or after this time, null for all
 * @param command the exact command name ({@code power-off}), null for every command
 * @param user the exact user name, null for every user
 * @param max at most this many of the newest matching entries (at least 0)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record AuditQuery(Instant since, String command, String user, int max) {

    /**
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public AuditQuery {
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0, got " + max);
        }
    }

    /**
     * @param entry an entry
     * @return true if it meets every criterion given
     */
    public boolean matches(AuditEntry entry) {
        return (since == null || entry.time() != null && !entry.time().isBefore(since))
                && (command == null || command.equals(entry.command()))
                && (user == null || user.equals(entry.user()));
    }
}
