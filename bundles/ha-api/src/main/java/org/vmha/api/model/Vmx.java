/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import java.util.List;

/**
 * The {@link Vmx} is responsible for a VM's virtual hardware description, enough for any host to
 * start it: CPUs, memory and devices.
 *
 * @param vcpus virtual CPUs, at least 1
 * @param memoryMb configured memory in MB
 * @param nics network adapters
 * @param hbas storage host bus adapters
 * @param disks virtual disks
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record Vmx(int vcpus, long memoryMb, List<Nic> nics, List<Hba> hbas, List<Disk> disks) {

    public Vmx {
        if (vcpus < 1 || memoryMb < 1) {
            throw new IllegalArgumentException("vmx needs vcpus >= 1 and memoryMb >= 1, was " + vcpus + "/" + memoryMb);
        }
        nics = nics == null ? List.of() : List.copyOf(nics);
        hbas = hbas == null ? List.of() : List.copyOf(hbas);
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    /**
     * A network adapter.
     *
     * @param network the network (port group) name
     * @param mac the MAC address, may be {@code null} for a generated one
     * @author vmha - Initial contribution
     * @since 0.1
     */
    public record Nic(String network, String mac) {
    }

    /**
     * A storage host bus adapter.
     *
     * @param wwpn world-wide port name, may be {@code null}
     * @author vmha - Initial contribution
     * @since 0.1
     */
    public record Hba(String wwpn) {
    }

    /**
     * A virtual disk on a shared volume.
     *
     * @param lun the volume (LUN) id
     * @param sizeMb size in MB
     * @author vmha - Initial contribution
     * @since 0.1
     */
    public record Disk(String lun, long sizeMb) {
    }
}
