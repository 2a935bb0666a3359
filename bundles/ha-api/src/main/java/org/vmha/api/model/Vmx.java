/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link Vmx} is responsible for a VM's virtual hardware description (the patent's VMX), enough
 * for any host to start it: CPUs, memory, devices and extra hypervisor-specific properties. It is the
 * one description used by the model, the storage SPI (stored on the VM's volume) and the hypervisor
 * SPI. Adapters store it as JSON; the record component names are the JSON property names. Lists keep
 * their order; {@link #properties()} is sorted by key.
 *
 * @param vcpus virtual CPUs, at least 1
 * @param memoryMb configured memory in MB, at least 1
 * @param nics network adapters
 * @param hbas storage host bus adapters
 * @param disks virtual disks
 * @param properties extra hypervisor-specific settings, sorted by key
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record Vmx(int vcpus, long memoryMb, List<Nic> nics, List<Hba> hbas, List<Disk> disks,
        Map<String, String> properties) {

    public Vmx {
        if (vcpus < 1 || memoryMb < 1) {
            throw new IllegalArgumentException("vmx needs vcpus >= 1 and memoryMb >= 1, was " + vcpus + "/" + memoryMb);
        }
        nics = nics == null ? List.of() : List.copyOf(nics);
        hbas = hbas == null ? List.of() : List.copyOf(hbas);
        disks = disks == null ? List.of() : List.copyOf(disks);
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /**
     * A description without extra properties.
     *
     * @param vcpus virtual CPUs
     * @param memoryMb memory in MB
     * @param nics network adapters
     * @param hbas host bus adapters
     * @param disks virtual disks
     */
    public Vmx(int vcpus, long memoryMb, List<Nic> nics, List<Hba> hbas, List<Disk> disks) {
        this(vcpus, memoryMb, nics, hbas, disks, null);
    }

    /**
     * A network adapter.
     *
     * @param network the network (port group) name
     * @param mac the MAC address, may be {@code null} for a generated one
     * @param name the device name (e.g. "eth0"), may be {@code null}
     * @author vmha - Initial contribution
     * @since 0.1
     */
    public record Nic(String network, String mac, String name) {

        /**
         * An unnamed adapter.
         *
         * @param network network name
         * @param mac MAC address or {@code null}
         */
        public Nic(String network, String mac) {
            this(network, mac, null);
        }
    }

    /**
     * A storage host bus adapter.
     *
     * @param wwpn world-wide port name, may be {@code null}
     * @param name the device name, may be {@code null}
     * @author vmha - Initial contribution
     * @since 0.1
     */
    public record Hba(String wwpn, String name) {

        /**
         * An unnamed adapter.
         *
         * @param wwpn world-wide port name or {@code null}
         */
        public Hba(String wwpn) {
            this(wwpn, null);
        }
    }

    /**
     * A virtual disk.
     *
     * @param lun the volume (LUN) id holding it, may be {@code null} for the VM's own volume
     * @param sizeMb size in MB, at least 0
     * @param name the disk name on the volume (see {@code StorageAdapter#createDisk}), may be {@code null}
     * @param bus the bus, e.g. "scsi0:0", may be {@code null}
     * @author vmha - Initial contribution
     * @since 0.1
     */
    public record Disk(String lun, long sizeMb, String name, String bus) {

        public Disk {
            if (sizeMb < 0) {
                throw new IllegalArgumentException("disk " + (name != null ? name : lun) + " sizeMb must be >= 0 but was "
                        + sizeMb);
            }
        }

        /**
         * A disk known by its volume only.
         *
         * @param lun the volume
         * @param sizeMb size in MB
         */
        public Disk(String lun, long sizeMb) {
            this(lun, sizeMb, null, null);
        }
    }
}
