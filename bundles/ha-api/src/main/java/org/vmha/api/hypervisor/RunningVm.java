/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.hypervisor;

import org.vmha.api.model.ResourceVector;

/**
 * The {@link RunningVm} is responsible for what a hypervisor reports about one VM it runs.
 *
 * @param vm the VM name
 * @param lun the VM's volume
 * @param generation the lease generation it was started under
 * @param booting true while the guest is still booting
 * @param startedAtMillis when the start was accepted
 * @param resumedFromCheckpoint the checkpoint sequence it resumed from, or -1 for a cold boot
 * @param load the resources it uses now
 * @param details what a real hypervisor adds (its process, restart mode, latest checkpoint), {@link RuntimeDetails#NONE}
 *        if nothing; null is read as {@link RuntimeDetails#NONE}
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record RunningVm(String vm, String lun, long generation, boolean booting, long startedAtMillis,
        long resumedFromCheckpoint, ResourceVector load, RuntimeDetails details) {

    public RunningVm {
        load = load == null ? ResourceVector.ZERO : load;
        details = details == null ? RuntimeDetails.NONE : details;
    }

    /**
     * A VM without runtime details (a simulated hypervisor's).
     *
     * @param vm the VM name
     * @param lun the VM's volume
     * @param generation the lease generation it was started under
     * @param booting true while the guest is still booting
     * @param startedAtMillis when the start was accepted
     * @param resumedFromCheckpoint the checkpoint sequence it resumed from, or -1 for a cold boot
     * @param load the resources it uses now
     */
    public RunningVm(String vm, String lun, long generation, boolean booting, long startedAtMillis,
            long resumedFromCheckpoint, ResourceVector load) {
        this(vm, lun, generation, booting, startedAtMillis, resumedFromCheckpoint, load, RuntimeDetails.NONE);
    }

    /** @return true if the VM resumed from a checkpoint rather than booting cold */
    public boolean resumed() {
        return resumedFromCheckpoint >= 0;
    }
}
