/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vmha.api.event.EventTypes;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.api.transport.TableUpdate;
import org.vmha.testkit.RecordingTransport;

/** When full tables go out, at which version, and how unanswered requests are published again. */
class TableCoordinatorTest {

    private final RecordingTransport bus = new RecordingTransport();
    private final ClusterMembers members;
    private final TableCoordinator table;

    TableCoordinatorTest() {
        Map<String, ResourceVector> hosts = new TreeMap<>();
        hosts.put("H1", ResourceVector.of(4000, 4096));
        hosts.put("H2", ResourceVector.of(4000, 4096));
        members = new ClusterMembers(100_000, hosts);
        members.heardAllAt(0);
        FailoverTable initial = new FailoverTable(1, List.of(new FailoverTableEntry("vm1", "lun-vm1", "H1", null,
                RestartPriority.MEDIUM, ResourceVector.of(100, 100), VmState.RUNNING, 1)));
        table = new TableCoordinator("management", bus, new AlternateHostPlanner(8), 3, initial, members,
                new ManagementEvents(bus, () -> 0));
    }

    private List<TableUpdate> fulls() {
        return bus.tables().stream().filter(TableUpdate::full).toList();
    }

    @Test
    void aChangedAlternateGoesOutAtOnceAndAnUnchangedTableEveryRepublishEveryComputations() {
        table.compute(0);
        assertThat(fulls()).singleElement().satisfies(t -> {
            assertThat(t.version()).isEqualTo(2);
            assertThat(t.entries()).singleElement().satisfies(e -> assertThat(e.alternateHost()).isEqualTo("H2"));
            assertThat(t.hosts()).containsExactly("H1", "H2");
        });
        assertThat(bus.events(EventTypes.TABLE_UPDATED)).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("version", 2L).containsEntry("alternates", 1));
        table.compute(1000);
        table.compute(2000);
        assertThat(fulls()).as("the third computation republishes").hasSize(2);
        assertThat(fulls().get(1).version()).isEqualTo(3);
        assertThat(bus.events(EventTypes.TABLE_UPDATED)).as("only changes are announced").hasSize(1);
        assertThat(table.published()).isEqualTo(2);
    }

    @Test
    void maintenanceChangesGoOutAtOnceAndTheNextTableIsAboveEveryVersionHeard() {
        table.compute(0);
        members.maintenance("H2", true, 0);
        table.compute(1000);
        assertThat(fulls()).hasSize(2);
        assertThat(fulls().get(1).maintenance()).containsExactly("H2");
        table.onTable(new TableUpdate("H1", 500, false, List.of()));
        table.compute(2000);
        assertThat(fulls().get(2).version()).as("behind the agents: above what they hold").isEqualTo(501);
    }

    @Test
    void aNewerPlacementThatBringsBackAReplacedAlternateIsCorrectedAtOnce() {
        table.compute(0);
        assertThat(table.find("vm1").alternateHost()).isEqualTo("H2");
        // H1 writes a new placement (a restart, say) with the alternate the VM had when it began: none
        table.onTable(new TableUpdate("H1", 2, false, List.of(new FailoverTableEntry("vm1", "lun-vm1", "H1", "H1",
                RestartPriority.MEDIUM, ResourceVector.of(100, 100), VmState.RUNNING, 2))));
        assertThat(table.find("vm1").alternateHost()).as("the replica took the agent's entry").isEqualTo("H1");
        table.compute(1000);
        assertThat(fulls()).as("not at the next periodic republication, now").hasSize(2);
        assertThat(fulls().get(1).entries()).singleElement()
                .satisfies(e -> assertThat(e.alternateHost()).isEqualTo("H2"));
        assertThat(table.find("vm1").alternateHost()).isEqualTo("H2");
        assertThat(bus.events(EventTypes.TABLE_UPDATED)).as("the computed alternates did not change").hasSize(1);
    }

    @Test
    void aRequestIsPublishedAsADeltaAndAgainUntilAnswered() {
        FailoverTableEntry vm = table.find("vm1");
        FailoverTableEntry req = table.publishRequest(vm.withPlacement("H1", VmState.POWERED_OFF));
        assertThat(bus.tables()).singleElement().satisfies(t -> {
            assertThat(t.full()).isFalse();
            assertThat(t.entries()).containsExactly(req);
        });
        table.compute(0);
        assertThat(bus.tables().stream().filter(t -> !t.full()).toList()).as("published again").hasSize(2);
        // the agent answers: the lease is released, a new write
        table.onTable(new TableUpdate("H1", 1, false, List.of(new FailoverTableEntry("vm1", "lun-vm1", null, null,
                RestartPriority.MEDIUM, ResourceVector.of(100, 100), VmState.POWERED_OFF, 1, null,
                req.revision() + 1))));
        table.compute(1000);
        assertThat(bus.tables().stream().filter(t -> !t.full()).toList()).hasSize(2);
        assertThat(table.pendingRequests()).isZero();
    }

    @Test
    void pinsChangeTheAlternatesAndHostsLeavingTakeTheirPins() {
        table.pin("lun-vm1", "H2");
        assertThat(table.pins()).containsEntry("lun-vm1", "H2");
        table.unpinHost("H2");
        assertThat(table.pins()).isEmpty();
        assertThat(table.unpin("lun-vm1")).isFalse();
    }
}
