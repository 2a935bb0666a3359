/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.reply;

import java.util.Locale;

import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;

/**
 * The reply of the VM requests ({@code power-on}, {@code power-off}, {@code migrate}, {@code set}): the
 * entry as the service published it.
 *
 * @param vm the VM's name
 * @param lun its volume
 * @param host its current host, or null
 * @param alternate its alternate host, or null
 * @param priority its restart priority, lower case
 * @param state its state's kind
 * @param isolationResponse its own isolation response's wire name, or {@code cluster}
 * @param destination the destination of a migrating VM, or null (then the reply leaves the field out)
 * @param generation its lease generation
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record VmResult(String vm, String lun, String host, String alternate, String priority, String state,
        String isolationResponse, String destination, long generation) {

    /**
     * @param e an entry
     * @return its reply
     */
    public static VmResult of(FailoverTableEntry e) {
        return new VmResult(e.vm(), e.lun(), e.currentHost(), e.alternateHost(),
                e.priority().name().toLowerCase(Locale.ROOT), e.state().kind(),
                e.isolationResponse() == null ? "cluster" : e.isolationResponse().wireName(),
                e.state() instanceof VmState.Migrating mig ? mig.dest() : null, e.generation());
    }
}
