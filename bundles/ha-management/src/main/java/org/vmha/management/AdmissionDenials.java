/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.command.CommandException;
import org.vmha.api.event.data.AdmissionDenied;
import org.vmha.api.model.FailoverTableEntry;

/**
 * The {@link AdmissionDenials} is responsible for refusing a request that no host accepts: it remembers the
 * reason per VM (for {@code why}), announces {@code org.vmha.admission.denied} and builds the
 * {@code ADMISSION_DENIED} error the operator sees. A later accepted power-on forgets the reason.
 * <p>
 * <b>Threading:</b> not thread-safe; it runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class AdmissionDenials {

    private final Map<String, String> lastByLun = new TreeMap<>();
    private final ManagementEvents events;
    private final Supplier<AdmissionPolicy> policy;

    /**
     * @param events where the denial is announced
     * @param policy the admission policy in force, or null (named in the event)
     */
    AdmissionDenials(ManagementEvents events, Supplier<AdmissionPolicy> policy) {
        this.events = events;
        this.policy = policy;
    }

    /**
     * @param e the VM
     * @param request the command ({@code power-on}, {@code migrate})
     * @param host the requested host, or null
     * @param reason the last refusal, or null when no host was tried
     * @return the error to throw
     */
    CommandException deny(FailoverTableEntry e, String request, String host, String reason) {
        String r = reason == null ? "no host accepted it" : reason;
        lastByLun.put(e.lun(), r);
        AdmissionPolicy p = policy.get();
        events.emit(e.vm(), new AdmissionDenied(e.vm(), request, host, p == null ? "none" : p.type(), r));
        return new CommandException(CommandException.ADMISSION_DENIED, request + " of VM " + e.vm() + " refused: " + r);
    }

    /** Forgets the last refusal of a VM (it was admitted). */
    void clear(String lun) {
        lastByLun.remove(lun);
    }

    /** @return the last refusal of a VM, or null */
    String last(String lun) {
        return lastByLun.get(lun);
    }
}
