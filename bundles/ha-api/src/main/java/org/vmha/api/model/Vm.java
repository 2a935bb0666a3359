/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

/**
 * The {@link Vm} is responsible for describing one virtual machine independently of the host that
 * runs it. Its identity is the id of its storage volume (LUN).
 *
 * @param lun the volume id: the VM's identity, never blank
 * @param name display name, never blank
 * @param vmx virtual hardware
 * @param reservation guaranteed resources while powered on
 * @param priority restart priority, {@link RestartPriority#DEFAULT} when {@code null}
 * @param haEnabled whether HA restarts this VM
 * @param overrides per-VM overrides, {@link VmOverrides#NONE} when {@code null}
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record Vm(String lun, String name, Vmx vmx, ResourceVector reservation, RestartPriority priority,
        boolean haEnabled, VmOverrides overrides) {

    public Vm {
        if (lun == null || lun.isBlank()) {
            throw new IllegalArgumentException("vm lun must not be blank");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("vm name must not be blank (lun " + lun + ")");
        }
        reservation = reservation == null ? ResourceVector.ZERO : reservation;
        priority = priority == null ? RestartPriority.DEFAULT : priority;
        overrides = overrides == null ? VmOverrides.NONE : overrides;
    }

    /**
     * @return true when HA restarts this VM: HA on and priority not disabled
     */
    public boolean isProtected() {
        return haEnabled && priority != RestartPriority.DISABLED;
    }
}
