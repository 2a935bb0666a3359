/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.NotFoundException;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageException;
import org.vmha.api.storage.StorageNames;
import org.vmha.core.inventory.Inventory;
import org.vmha.management.ManagementService;

/**
 * The {@link InventoryProvisioner} is responsible for turning the inventory into the management service's
 * first table: it provisions through the storage SPI every VM's volume and VMX that is missing, and places
 * each VM from its lease (a live lease of a host: {@code RUNNING} there), from the inventory (powered on:
 * {@code STARTING} on its host, {@code FAILING_OVER} when its volume has a checkpoint) or not at all
 * ({@code POWERED_OFF}). It also resolves the {@code ${property}} placeholders of the inventory's path.
 * <p>
 * <b>Threading:</b> stateless; it runs on the activating thread.
 *
 * @author vmha - Initial contribution
 */
final class InventoryProvisioner {

    /** Lease owner name the management service provisions VMX files under. */
    static final String PROVISIONER = ManagementService.SOURCE;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private InventoryProvisioner() {
    }

    /**
     * Creates what is missing for every VM (volume, VMX) and builds the initial table from the inventory
     * and the leases. A VM the storage refuses is logged and left out; the others go on.
     */
    static FailoverTable provision(StorageAdapter storage, Inventory inventory, long now, Logger logger) {
        List<FailoverTableEntry> entries = new ArrayList<>();
        for (Inventory.InventoryVm v : inventory.vms()) {
            String lun = v.lun().startsWith(StorageNames.LUN_PREFIX) ? v.lun() : StorageNames.LUN_PREFIX + v.lun();
            try {
                ensureVolume(storage, lun, logger);
                if (storage.readHardware(lun).isEmpty()) {
                    writeVmx(storage, lun, vmx(v), logger);
                }
                Optional<LeaseState> lease = storage.inspectLease(lun);
                long generation = lease.map(LeaseState::generation).orElse(0L);
                FailoverTableEntry e = v.toEntry();
                FailoverTableEntry entry;
                if (lease.isPresent() && lease.get().isLive(now) && !PROVISIONER.equals(lease.get().owner())) {
                    entry = new FailoverTableEntry(e.vm(), lun, lease.get().owner(), null, e.priority(),
                            e.reservation(), VmState.RUNNING, generation);
                } else if (v.poweredOn() && v.host() != null) {
                    // a VM that ran before (the whole cluster went down) resumes from its checkpoint; a new one boots
                    VmState state = storage.listCheckpoints(lun).isEmpty() ? VmState.STARTING : VmState.FAILING_OVER;
                    entry = new FailoverTableEntry(e.vm(), lun, v.host(), null, e.priority(), e.reservation(), state,
                            generation);
                } else {
                    entry = new FailoverTableEntry(e.vm(), lun, null, null, e.priority(), e.reservation(),
                            VmState.POWERED_OFF, generation);
                }
                entries.add(entry);
            } catch (StorageException | IllegalArgumentException e) {
                logger.error("VM {} ({}) left out of the table: {}", v.name(), lun, e.getMessage());
            }
        }
        return new FailoverTable(1, entries);
    }

    private static void ensureVolume(StorageAdapter storage, String lun, Logger logger) {
        try {
            storage.inspectVolume(lun);
        } catch (NotFoundException e) {
            storage.provisionVolume(lun.substring(StorageNames.LUN_PREFIX.length()));
            logger.info("Provisioned volume {}", lun);
        }
    }

    private static void writeVmx(StorageAdapter storage, String lun, Vmx vmx, Logger logger) {
        Lease lease;
        try {
            lease = storage.acquireLease(lun, PROVISIONER);
        } catch (LeaseHeldException e) {
            logger.warn("VMX of {} not written: its lease is held by {}", lun, e.holder());
            return;
        }
        try {
            storage.writeHardware(lun, lease.generation(), vmx);
        } finally {
            storage.releaseLease(lease);
        }
    }

    /**
     * The VMX of an inventory VM: one vCPU, memory from the reservation, and the reservation itself
     * ({@link Vmx.Builder#reservation}). No hypervisor's own keys: the simulated hypervisor derives the guest's load
     * from the reservation.
     */
    static Vmx vmx(Inventory.InventoryVm v) {
        return Vmx.builder()
                .memoryMb(Math.max(1, v.reservation().get(ResourceVector.MEMORY_MB)))
                .reservation(v.reservation())
                .build();
    }

    static String resolve(String value, UnaryOperator<String> properties) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = properties.apply(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
