/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import java.util.Objects;

import org.vmha.api.model.FailoverTableEntry;

/**
 * The {@link Placements} are responsible for comparing failover-table entries as writes: whether a
 * replica still holds the very placement a request (or a restart) wrote, so that the writer knows
 * nobody has answered it yet and it may publish it again.
 * <p>
 * <b>Threading:</b> pure functions, thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class Placements {

    private Placements() {
    }

    /**
     * @param a an entry
     * @param b another entry of the same VM
     * @return true if both entries are the same write: generation, revision, host and state (alternates aside)
     */
    public static boolean samePlacement(FailoverTableEntry a, FailoverTableEntry b) {
        return a.generation() == b.generation() && a.revision() == b.revision()
                && Objects.equals(a.currentHost(), b.currentHost()) && a.state().equals(b.state());
    }
}
