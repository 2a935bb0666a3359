/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import java.util.Locale;

/**
 * The {@link RestartMode} is responsible for naming how a VM comes back on another host after its host failed: from
 * the memory and disks of its latest complete checkpoint (one consistent cut; writes after the cut are lost), or by
 * booting from its disks as the crash left them (every write kept, the memory lost).
 * <p>
 * The cluster-wide mode is the agents' {@code restartMode} setting; a VM overrides it with the VMX property
 * {@value #VMX_PROPERTY}. A VM without writable disks loses nothing by resuming.
 *
 * @author vmha - Initial contribution
 * @since 0.4
 */
public enum RestartMode {
    /** Memory and disks at the latest complete checkpoint (the default, the patent's behaviour). */
    RESUME,
    /** A fresh boot from the disks as the crash left them. */
    COLD;

    /** The mode of a cluster that does not set one. */
    public static final RestartMode DEFAULT = RESUME;

    /** The VMX property with which one VM overrides the cluster's mode: {@code resume} or {@code cold}. */
    public static final String VMX_PROPERTY = "ha.restartMode";

    /** @return the spelling in configuration, VMX and output: {@code resume} or {@code cold} */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value {@code resume} or {@code cold}, in any case, surrounding blanks ignored
     * @return the mode
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static RestartMode parse(String value) {
        String v = value == null ? "" : value.trim();
        for (RestartMode m : values()) {
            if (m.name().equalsIgnoreCase(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("restart mode '" + value + "' is not one of resume, cold");
    }

    /**
     * @param vmx a VM's hardware description, or null
     * @param clusterMode the cluster's mode
     * @return the VM's own mode if its VMX sets {@value #VMX_PROPERTY}, else the cluster's
     * @throws IllegalArgumentException if the VMX sets a value that is not a mode
     */
    public static RestartMode of(Vmx vmx, RestartMode clusterMode) {
        String own = vmx == null ? null : vmx.properties().get(VMX_PROPERTY);
        return own == null ? clusterMode : parse(own);
    }
}
