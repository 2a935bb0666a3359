/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.hypervisor;

import org.vmha.api.model.Vmx;

/**
 * The {@link StartRequest} is responsible for describing one VM start: which VM, from which VMX, under
 * which lease generation, and whether to resume from the latest complete checkpoint on its volume.
 *
 * @param vm the VM name
 * @param lun the VM's volume
 * @param vmx the hardware description
 * @param generation the lease generation the caller holds on the volume
 * @param resume true to resume from the latest complete memory checkpoint (a cold boot if there is
 *        none), false to boot fresh
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record StartRequest(String vm, String lun, Vmx vmx, long generation, boolean resume) {

    public StartRequest {
        if (lun == null || lun.isBlank()) {
            throw new IllegalArgumentException("start request needs a lun");
        }
        if (vmx == null) {
            throw new IllegalArgumentException("start request for " + lun + " needs a vmx");
        }
        if (generation < 1) {
            throw new IllegalArgumentException("start request for " + lun + " needs a lease generation >= 1, was "
                    + generation);
        }
        vm = vm == null || vm.isBlank() ? lun : vm;
    }
}
