/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.VmState;
import org.vmha.api.model.Vmx;
import org.vmha.api.storage.Lease;
import org.vmha.core.inventory.Inventory;
import org.vmha.core.inventory.InventoryCodec;
import org.vmha.testkit.InMemoryStorageAdapter;

class ManagementProvisioningTest {

    private static final String INVENTORY = """
            {"hosts":[{"name":"H1","capacity":{"cpuMhz":8000,"memoryMb":8192}},
                      {"name":"H2","capacity":{"cpuMhz":8000,"memoryMb":8192}}],
             "vms":[{"name":"VM1","reservation":{"cpuMhz":1000,"memoryMb":1024},"host":"H1","poweredOn":true},
                    {"name":"VM2","reservation":{"cpuMhz":1000,"memoryMb":512},"host":"H2","poweredOn":true},
                    {"name":"VM3","reservation":{"cpuMhz":500,"memoryMb":512},"host":"H2","poweredOn":false}]}
            """;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(clock, 10_000);
    private final Inventory inventory = new InventoryCodec().parse(INVENTORY);

    @Test
    void theStateIsKeptUnderKarafData() {
        String before = System.getProperty("karaf.data");
        System.setProperty("karaf.data", "/opt/vmha/data");
        try {
            assertThat(ManagementComponent.stateFile())
                    .isEqualTo(java.nio.file.Paths.get("/opt/vmha/data/vmha/management/state.json"));
        } finally {
            if (before == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", before);
            }
        }
    }

    @Test
    void provisionsVolumesAndVmxAndAsksTheInventoryHostsToStartThePoweredOnVms() {
        FailoverTable t = InventoryProvisioner.provision(storage, inventory, clock.millis(),
                LoggerFactory.getLogger(getClass()));

        assertThat(t.entries()).extracting(FailoverTableEntry::lun).containsExactly("lun-VM1", "lun-VM2", "lun-VM3");
        assertThat(entry(t, "lun-VM1").state()).isEqualTo(VmState.STARTING);
        assertThat(entry(t, "lun-VM1").currentHost()).isEqualTo("H1");
        assertThat(entry(t, "lun-VM2").currentHost()).isEqualTo("H2");
        assertThat(entry(t, "lun-VM3").state()).isEqualTo(VmState.POWERED_OFF);
        assertThat(storage.readHardware("lun-VM2")).get().satisfies(vmx -> {
            assertThat(vmx.memoryMb()).isEqualTo(512);
            // the reservation, no simulator keys (the simulated hypervisor derives its load from the reservation)
            assertThat(vmx.properties()).isEqualTo(Map.of(Vmx.RESERVATION_CPU_MHZ, "1000",
                    Vmx.RESERVATION_MEMORY_MB, "512"));
        });
        // the provisioning lease is released, so the agent can take it at once
        assertThat(storage.inspectLease("lun-VM1")).get().satisfies(l -> assertThat(l.isLive(clock.millis())).isFalse());
    }

    @Test
    void aPoweredOnVmWithACheckpointResumesAfterTheWholeClusterWasDown() {
        InventoryProvisioner.provision(storage, inventory, clock.millis(), LoggerFactory.getLogger(getClass()));
        Lease l = storage.acquireLease("lun-VM1", "H1");
        storage.writeCheckpoint("lun-VM1", l.generation(), new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
        storage.releaseLease(l);
        FailoverTable t = InventoryProvisioner.provision(storage, inventory, clock.millis(),
                LoggerFactory.getLogger(getClass()));
        assertThat(entry(t, "lun-VM1").state()).as("resumes").isEqualTo(VmState.FAILING_OVER);
        assertThat(entry(t, "lun-VM2").state()).as("never ran: boots").isEqualTo(VmState.STARTING);
    }

    @Test
    void aSecondRunKeepsWhatExistsAndReportsTheLeaseHoldersPlacement() {
        InventoryProvisioner.provision(storage, inventory, clock.millis(), LoggerFactory.getLogger(getClass()));
        Lease held = storage.acquireLease("lun-VM2", "H1");

        FailoverTable t = InventoryProvisioner.provision(storage, inventory, clock.millis(),
                LoggerFactory.getLogger(getClass()));

        assertThat(storage.listVolumes()).hasSize(3);
        FailoverTableEntry vm2 = entry(t, "lun-VM2");
        assertThat(vm2.state()).isEqualTo(VmState.RUNNING);
        assertThat(vm2.currentHost()).isEqualTo("H1");
        assertThat(vm2.generation()).isEqualTo(held.generation());
    }

    @Test
    void resolvesPlaceholdersFromProperties() {
        assertThat(InventoryProvisioner.resolve("${karaf.etc}/vmha-cluster.json", k -> "/opt/karaf/etc"))
                .isEqualTo("/opt/karaf/etc/vmha-cluster.json");
        assertThat(InventoryProvisioner.resolve("${missing}/x", k -> null)).isEqualTo("${missing}/x");
    }

    private static FailoverTableEntry entry(FailoverTable t, String lun) {
        return t.entries().stream().filter(e -> e.lun().equals(lun)).findFirst().orElseThrow();
    }
}
