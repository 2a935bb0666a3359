/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.api.storage.IsolationMarker;
import org.vmha.api.storage.Lease;
import org.vmha.core.command.CommandJson;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.management.ManagementService;
import org.vmha.testkit.InMemoryStorageAdapter;
import org.vmha.testkit.InMemoryTransport;
import org.vmha.testkit.VirtualScheduler;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * {@code why} for a host, as the NOC gets it: state, since when, who declared it, each channel's last heartbeat, the
 * isolation marker and the leases from the datastore, the VMs of the table; and the one-line error, with a
 * suggestion, for a name that is neither a VM nor a host.
 */
class WhyHostTest {

    private static final CommandJson JSON = new CommandJson();

    private final VirtualScheduler sched = new VirtualScheduler(0);
    private final InMemoryTransport transport = new InMemoryTransport(sched, 1, 0, 0, 0);
    private final InMemoryStorageAdapter storage = new InMemoryStorageAdapter(sched.clock(), 10_000);
    private final Map<String, CommandHandler<?, ?>> handlers = new HashMap<>();
    private final ManagementService service;

    WhyHostTest() {
        Map<String, ResourceVector> hosts = new TreeMap<>();
        for (String h : List.of("H1", "H2", "H3")) {
            hosts.put(h, ResourceVector.of(4000, 4096));
        }
        for (String lun : List.of("lun-VM1", "lun-VM3")) {
            storage.provisionVolume(lun.substring(4));
        }
        FailoverTable table = new FailoverTable(1, List.of(
                new FailoverTableEntry("VM1", "lun-VM1", "H1", null, RestartPriority.HIGH, ResourceVector.of(500, 512),
                        VmState.RUNNING, 1),
                new FailoverTableEntry("VM3", "lun-VM3", "H2", null, RestartPriority.MEDIUM,
                        ResourceVector.of(500, 512), VmState.RUNNING, 1)));
        service = new ManagementService(transport.endpoint("management"), sched, new AlternateHostPlanner(32), 1000,
                15_000, 5, table, hosts);
        service.start();
        ManagementCommands.OnManagement direct = new ManagementCommands.OnManagement() {
            @Override
            public <T> T call(Function<ManagementService, T> work) {
                return work.apply(service);
            }
        };
        for (CommandHandler<?, ?> h : ManagementCommands.handlers(direct, () -> null, () -> storage,
                sched::nowMillis)) {
            handlers.put(h.name(), h);
        }
    }

    private Map<String, Object> why(Map<String, Object> args) {
        return typed(handlers.get("why"), args);
    }

    private static <A extends Record, R> Map<String, Object> typed(CommandHandler<A, R> h, Map<String, Object> args) {
        A request = JSON.bind("why", JSON.mapper().valueToTree(args), h.requestType());
        return JSON.mapper().convertValue(JSON.write(h.handle(request)),
                new TypeReference<LinkedHashMap<String, Object>>() {
                });
    }

    /** H1 is heard on the network; H2 only on the datastore (it holds VM3's lease); H3 left an isolation marker. */
    private void partitionH2AndIsolateH3() {
        Lease lease = null;
        for (long t = 1000; t <= 20_000; t += 1000) {
            long at = t;
            sched.runUntil(at);
            transport.endpoint("H1").publishHeartbeat(new HostHeartbeat("H1", at / 1000, at,
                    ResourceVector.of(100, 200), ResourceVector.of(4000, 4096)));
            storage.writeHeartbeat("H1", at / 1000);
            storage.writeHeartbeat("H2", at / 1000);
            lease = lease == null ? storage.acquireLease("lun-VM3", "H2") : storage.renewLease(lease);
        }
        storage.writeIsolationMarker(new IsolationMarker("H3", 3000, "shutdown", List.of("lun-VM1")));
        sched.runUntil(20_500);
    }

    @Test
    void aPartitionedHostIsFailedForTheManagementButAliveOnTheDatastore() {
        partitionH2AndIsolateH3();
        Map<String, Object> r = why(Map.of("vm", "H2"));
        assertThat(r.keySet()).containsExactly("host", "state", "peerStatus", "since", "declaredBy",
                "failureTimeoutMs", "network", "datastore", "isolationMarker", "leases", "vms", "reasons");
        assertThat(r).containsEntry("host", "H2").containsEntry("state", "FAILED")
                .containsEntry("peerStatus", "PARTITIONED").containsEntry("since", "1970-01-01T00:00:15Z")
                .containsEntry("declaredBy", "management").containsEntry("failureTimeoutMs", 15000L)
                .containsEntry("network", null).containsEntry("isolationMarker", null)
                .containsEntry("leases", List.of("VM3")).containsEntry("vms", List.of("VM3"));
        assertThat(r.get("datastore")).isEqualTo(Map.of("at", "1970-01-01T00:00:20Z", "agoMs", 500L, "sequence", 20L));
        assertThat(r.get("reasons")).asList().containsExactly(
                "Host H2 is FAILED since 1970-01-01T00:00:15Z (5.5 s ago), declared by the management service: no "
                        + "heartbeat of it was heard within the failure timeout of 15.0 s.",
                "Network channel: no heartbeat heard since the management service started.",
                "Datastore channel: last heartbeat 0.5 s ago (sequence 20).",
                "Its datastore heartbeat is fresh while the network is silent: it is partitioned or isolated and "
                        + "still holds its leases; nothing is restarted unless it leaves an isolation marker.",
                "It left no isolation marker.",
                "It holds the lease of 1 VM(s): VM3.",
                "The failover table places 1 VM(s) on it: VM3.");
    }

    @Test
    void aConnectedHostShowsItsLastHeartbeatOnBothChannels() {
        partitionH2AndIsolateH3();
        Map<String, Object> r = why(Map.of("host", "H1"));
        assertThat(r).containsEntry("state", "CONNECTED").containsEntry("peerStatus", "ALIVE")
                .containsEntry("since", "1970-01-01T00:00:00Z").containsEntry("declaredBy", "management")
                .containsEntry("leases", List.of()).containsEntry("vms", List.of("VM1"));
        assertThat(r.get("network")).isEqualTo(Map.of("at", "1970-01-01T00:00:20Z", "agoMs", 500L, "sequence", 20L));
        assertThat(r.get("reasons").toString()).contains("Host H1 is CONNECTED since 1970-01-01T00:00:00Z (20.5 s ago)"
                + " in the management service's view", "Network channel: last heartbeat 0.5 s ago (sequence 20).");
    }

    @Test
    void anIsolatedHostShowsItsMarkerAndWhatItReleased() {
        partitionH2AndIsolateH3();
        Map<String, Object> r = why(Map.of("vm", "H3"));
        assertThat(r).containsEntry("state", "FAILED").containsEntry("peerStatus", "FAILED")
                .containsEntry("datastore", null)
                .containsEntry("isolationMarker", Map.of("at", "1970-01-01T00:00:03Z", "action", "shutdown",
                        "releasedVms", List.of("VM1")));
        assertThat(r.get("reasons").toString()).contains(
                "It left an isolation marker at 1970-01-01T00:00:03Z (response shutdown), releasing VM1.");
    }

    @Test
    void maintenanceIsDeclaredByAnOperatorSinceItWasSet() {
        sched.runUntil(3000);
        run("maintenance", Map.of("host", "H3", "on", true));
        sched.runUntil(4000);
        Map<String, Object> r = why(Map.of("vm", "H3"));
        assertThat(r).containsEntry("state", "MAINTENANCE").containsEntry("declaredBy", "operator")
                .containsEntry("since", "1970-01-01T00:00:03Z");
    }

    @Test
    void aVmIsStillExplainedAsAVm() {
        assertThat(why(Map.of("vm", "VM1"))).containsEntry("vm", "VM1").containsEntry("host", "H1");
    }

    @Test
    void theDatastoreBeingUnreadableIsSaidNotHidden() {
        handlers.clear();
        for (CommandHandler<?, ?> h : ManagementCommands.handlers(new ManagementCommands.OnManagement() {
            @Override
            public <T> T call(Function<ManagementService, T> work) {
                return work.apply(service);
            }
        }, () -> null, () -> null, sched::nowMillis)) {
            handlers.put(h.name(), h);
        }
        Map<String, Object> r = why(Map.of("vm", "H1"));
        assertThat(r).containsEntry("peerStatus", null).containsEntry("datastore", null);
        assertThat(r.get("reasons").toString())
                .contains("Datastore channel: unknown, no datastore is available to the management service.");
    }

    @Test
    void anUnknownNameIsOneLineNamingItWithTheClosestVmOrHost() {
        assertThatThrownBy(() -> why(Map.of("vm", "vm3"))).hasMessage("unknown VM or host 'vm3'; did you mean VM3?")
                .extracting(t -> ((CommandException) t).code()).isEqualTo(CommandException.NOT_FOUND);
        assertThatThrownBy(() -> why(Map.of("vm", "H02"))).hasMessage("unknown VM or host 'H02'; did you mean H2?");
        assertThatThrownBy(() -> why(Map.of("vm", "VM9"))).as("another number is another machine")
                .hasMessage("unknown VM or host 'VM9'");
        assertThatThrownBy(() -> why(Map.of("vm", "nothing-like-it"))).hasMessage("unknown VM or host 'nothing-like-it'");
        assertThatThrownBy(() -> why(Map.of("host", "VM1"))).as("a host is asked for")
                .hasMessage("unknown host 'VM1'");
        assertThatThrownBy(() -> why(Map.of("vm", "VM1", "host", "H1"))).hasMessageContaining("'host'")
                .extracting(t -> ((CommandException) t).code()).isEqualTo(CommandException.BAD_REQUEST);
        assertThatThrownBy(() -> why(Map.of())).hasMessage("command 'why' needs argument 'vm' (a string: a VM or host name; or give 'host')");
    }

    @Test
    void otherCommandsSuggestTheClosestVmToo() {
        assertThatThrownBy(() -> run("power-off", Map.of("vm", "vm1"))).hasMessage("unknown VM 'vm1'; did you mean VM1?");
    }

    private Map<String, Object> run(String command, Map<String, Object> args) {
        return typedNamed(handlers.get(command), command, args);
    }

    private static <A extends Record, R> Map<String, Object> typedNamed(CommandHandler<A, R> h, String command,
            Map<String, Object> args) {
        A request = JSON.bind(command, JSON.mapper().valueToTree(args), h.requestType());
        return JSON.mapper().convertValue(JSON.write(h.handle(request)),
                new TypeReference<LinkedHashMap<String, Object>>() {
                });
    }
}
