/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.vmha.api.model.FailoverTableEntry;

/**
 * The {@link PendingRequests} is responsible for the operators' requests the management service published
 * and no agent has answered yet: as long as the table still holds the entry the service wrote, the request
 * is due again at every computation, so that a request whose delta was lost is carried out within one
 * computation interval. After {@value #ROUNDS} rounds it is dropped and the periodic full tables carry it on.
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class PendingRequests {

    /** Computations a request is published again at most. */
    static final int ROUNDS = 60;

    private record Pending(FailoverTableEntry entry, int rounds) {
    }

    private final Map<String, Pending> byLun = new TreeMap<>();

    /** Remembers a request just published. */
    void add(FailoverTableEntry e) {
        byLun.put(e.lun(), new Pending(e, 0));
    }

    /** @return how many requests wait for an answer */
    int size() {
        return byLun.size();
    }

    /**
     * @param current the table's entry by lun now
     * @return the requests to publish again, in lun order; answered, replaced and expired ones are dropped
     */
    List<FailoverTableEntry> due(Function<String, Optional<FailoverTableEntry>> current) {
        List<FailoverTableEntry> again = new ArrayList<>();
        for (Iterator<Map.Entry<String, Pending>> it = byLun.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Pending> p = it.next();
            FailoverTableEntry now = current.apply(p.getKey()).orElse(null);
            if (now == null || !now.samePlacement(p.getValue().entry())
                    || p.getValue().rounds() >= ROUNDS) {
                it.remove();
            } else {
                again.add(now);
                p.setValue(new Pending(now, p.getValue().rounds() + 1));
            }
        }
        return again;
    }
}
