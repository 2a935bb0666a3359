/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import java.util.ArrayList;
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
 * <p>
 * Code that makes a VMX uses {@link #builder()}. The properties any hypervisor may read are the VM's reservation,
 * {@value #RESERVATION_PREFIX}{@code <resource>} ({@link Builder#reservation}); a hypervisor adapter's own keys carry
 * its prefix (the simulated hypervisor's {@code sim.*}) and are written by that adapter's users only.
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

    /**
     * The prefix of the reservation properties: {@code reservation.cpuMhz}, {@code reservation.memoryMb} and one per
     * further resource of the VM's {@link ResourceVector}, each a decimal amount &gt;= 0.
     */
    public static final String RESERVATION_PREFIX = "reservation.";

    /** The VM's CPU reservation in MHz. */
    public static final String RESERVATION_CPU_MHZ = RESERVATION_PREFIX + ResourceVector.CPU_MHZ;

    /** The VM's memory reservation in MB. */
    public static final String RESERVATION_MEMORY_MB = RESERVATION_PREFIX + ResourceVector.MEMORY_MB;

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

    /** @return a builder of one vCPU, 1 MB of memory, no devices and no properties */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@link Builder} is responsible for making a {@link Vmx} step by step; {@link #build()} checks it.
     * <p>
     * <b>Threading:</b> not thread-safe; one builder per VMX.
     *
     * @author vmha - Initial contribution
     * @since 0.3
     */
    public static final class Builder {

        private int vcpus = 1;
        private long memoryMb = 1;
        private final List<Nic> nics = new ArrayList<>();
        private final List<Hba> hbas = new ArrayList<>();
        private final List<Disk> disks = new ArrayList<>();
        private final Map<String, String> properties = new TreeMap<>();

        private Builder() {
        }

        /**
         * @param n virtual CPUs, at least 1
         * @return this
         */
        public Builder vcpus(int n) {
            this.vcpus = n;
            return this;
        }

        /**
         * @param mb configured memory in MB, at least 1
         * @return this
         */
        public Builder memoryMb(long mb) {
            this.memoryMb = mb;
            return this;
        }

        /**
         * @param nic a network adapter, after those added before
         * @return this
         */
        public Builder nic(Nic nic) {
            nics.add(nic);
            return this;
        }

        /**
         * @param hba a host bus adapter, after those added before
         * @return this
         */
        public Builder hba(Hba hba) {
            hbas.add(hba);
            return this;
        }

        /**
         * @param disk a virtual disk, after those added before
         * @return this
         */
        public Builder disk(Disk disk) {
            disks.add(disk);
            return this;
        }

        /**
         * @param key a property key, replacing an earlier value of it
         * @param value its value
         * @return this
         */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * The VM's reservation as properties: {@link #RESERVATION_CPU_MHZ} and {@link #RESERVATION_MEMORY_MB}
         * always (0 when the vector has none), one {@value #RESERVATION_PREFIX}{@code <resource>} per further
         * resource.
         *
         * @param reservation the reservation
         * @return this
         */
        public Builder reservation(ResourceVector reservation) {
            properties.put(RESERVATION_CPU_MHZ, Long.toString(reservation.get(ResourceVector.CPU_MHZ)));
            properties.put(RESERVATION_MEMORY_MB, Long.toString(reservation.get(ResourceVector.MEMORY_MB)));
            reservation.amounts().forEach((name, amount) -> properties.put(RESERVATION_PREFIX + name,
                    Long.toString(amount)));
            return this;
        }

        /**
         * @return the VMX
         * @throws IllegalArgumentException if vcpus or memory is below 1
         */
        public Vmx build() {
            return new Vmx(vcpus, memoryMb, nics, hbas, disks, properties);
        }
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
