/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.admission;

import java.util.Objects;

import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;

/**
 * The {@link AdmissionRequest} is responsible for naming the user operation an
 * {@link AdmissionPolicy} decides on. HA restarts are not requests: they are never gated.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public sealed interface AdmissionRequest {

    /**
     * @return the name of the VM the request is about
     */
    String vm();

    /**
     * Power on a VM of the snapshot that is powered off.
     *
     * @param vm the VM's name (or lun)
     * @param host the host to power it on, or {@code null} for the VM's registered current host
     * @author vmha - Initial contribution
     */
    record PowerOn(String vm, String host) implements AdmissionRequest {
        public PowerOn {
            Objects.requireNonNull(vm, "vm");
        }

        /**
         * @param vm the VM's name
         * @return a power-on on the VM's registered host
         */
        public static PowerOn of(String vm) {
            return new PowerOn(vm, null);
        }
    }

    /**
     * Migrate a running VM from outside into the cluster.
     *
     * @param entry the VM as it will appear in the table: its {@code currentHost} is the target host
     * @author vmha - Initial contribution
     */
    record MigrateIn(FailoverTableEntry entry) implements AdmissionRequest {
        public MigrateIn {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(entry.currentHost(), "entry.currentHost (target host)");
        }

        @Override
        public String vm() {
            return entry.vm();
        }
    }

    /**
     * Raise (or otherwise change) the reservation of a VM of the snapshot.
     *
     * @param vm the VM's name (or lun)
     * @param reservation the new reservation
     * @author vmha - Initial contribution
     */
    record ChangeReservation(String vm, ResourceVector reservation) implements AdmissionRequest {
        public ChangeReservation {
            Objects.requireNonNull(vm, "vm");
            Objects.requireNonNull(reservation, "reservation");
        }
    }
}
