/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link HardwareDescription} is responsible for describing the virtual hardware of a VM (the
 * patent's VMX), as stored on its volume. Adapters store it as JSON; the field names below are the
 * JSON property names. Lists keep their order; {@link #properties()} is sorted by key.
 *
 * @param vmId the VM
 * @param vcpus number of virtual CPUs, at least 1
 * @param memoryMb memory in MiB, at least 1
 * @param nics network interfaces
 * @param hbas host bus adapters
 * @param disks virtual disks, by name on the volume
 * @param properties extra hypervisor-specific settings
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HardwareDescription(String vmId, int vcpus, long memoryMb, List<Nic> nics, List<Hba> hbas,
        List<Disk> disks, Map<String, String> properties) {

    public HardwareDescription {
        StorageNames.require("vmId", vmId);
        if (vcpus < 1) {
            throw new IllegalArgumentException("vcpus must be >= 1 but was " + vcpus + " for VM " + vmId);
        }
        if (memoryMb < 1) {
            throw new IllegalArgumentException("memoryMb must be >= 1 but was " + memoryMb + " for VM " + vmId);
        }
        nics = nics == null ? List.of() : List.copyOf(nics);
        hbas = hbas == null ? List.of() : List.copyOf(hbas);
        disks = disks == null ? List.of() : List.copyOf(disks);
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /**
     * A virtual network interface.
     *
     * @param name device name, e.g. "eth0"
     * @param network the network (port group) it connects to
     * @param mac MAC address, may be empty for "assign one"
     */
    public record Nic(String name, String network, String mac) {
        public Nic {
            StorageNames.require("nic name", name);
            network = network == null ? "" : network;
            mac = mac == null ? "" : mac;
        }
    }

    /**
     * A virtual host bus adapter.
     *
     * @param name device name
     * @param wwpn world wide port name, may be empty
     */
    public record Hba(String name, String wwpn) {
        public Hba {
            StorageNames.require("hba name", name);
            wwpn = wwpn == null ? "" : wwpn;
        }
    }

    /**
     * A virtual disk attached to the VM.
     *
     * @param name disk name on the volume (see {@link StorageAdapter#createDisk})
     * @param sizeMb size in MiB
     * @param bus the bus, e.g. "scsi0:0"
     */
    public record Disk(String name, long sizeMb, String bus) {
        public Disk {
            StorageNames.require("disk name", name);
            if (sizeMb < 0) {
                throw new IllegalArgumentException("disk " + name + " sizeMb must be >= 0 but was " + sizeMb);
            }
            bus = bus == null ? "" : bus;
        }
    }
}
