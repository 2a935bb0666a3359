/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.vmha.agent.AgentStatus;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.hypervisor.sim.GuestImage;

/**
 * The embedded distribution's simulated cluster (4 hosts, 20 VMs, etc/vmha-cluster.json and
 * etc/org.vmha.agent-H*.cfg) over the real embedded Artemis and Camel routes: a simulated host is powered
 * off by deleting its agent configuration (its agent stops and its simulated VMs vanish without releasing
 * their leases); its VMs then run on the survivors, each exactly once (one lease owner, a higher
 * generation), resumed from their latest checkpoint (the guest counter goes on, the boot count stays).
 * The second test does the same with the management service stopped first. The fourth stops and starts the
 * heartbeat and failover bundles under the running cluster: the agents pause and resume, and every VM is still the
 * same run on the same host under the same lease generation. One container for the class; each
 * test starts from all four agents, the management service and the 20 VMs running ({@link #fourAgentsAndAllVms()})
 * and gives back what it took (the agent configuration, the management service, the adapter bundle) in a
 * {@code finally}, so the tests pass in any order ({@link TestOrder}). Each test powers off a host of its own, which
 * therefore still runs the VMs it started with whatever ran before.
 */
@RunWith(TestOrder.PaxExamRunner.class)
@ExamReactorStrategy(PerClass.class)
public class AgentFailoverIT extends VmhaTestSupport {

    private static final int VMS = 20;
    private static final long FAILOVER_TIMEOUT_S = 90;
    private static final Set<String> HOSTS = Set.of("H1", "H2", "H3", "H4");

    /** What every test starts from: the four agents, the management service's table route and 20 VMs, once each. */
    @Before
    public void fourAgentsAndAllVms() throws Exception {
        CamelContext camel = getOsgiService(CamelContext.class, "(camel.context.name=vmha)", TIMEOUT.toMillis());
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .until(() -> agentHosts().equals(HOSTS) && camel.getRoute("vmha.agent.management.table") != null);
        awaitAllRunningExactlyOnce(getOsgiService(StorageAdapter.class, TIMEOUT.toMillis()), 180);
    }

    @Test
    public void a_poweredOffHostsVmsResumeOnSurvivorsExactlyOnce() throws Exception {
        CamelContext camel = getOsgiService(CamelContext.class, "(camel.context.name=vmha)", TIMEOUT.toMillis());
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .until(() -> camel.getRoute("vmha.agent.management.table") != null);
        powerOffAndAssertFailover("H2");
    }

    @Test
    public void b_failoverWorksWhileTheManagementServiceIsStopped() throws Exception {
        CamelContext camel = getOsgiService(CamelContext.class, "(camel.context.name=vmha)", TIMEOUT.toMillis());
        Configuration management = configurationAdmin.getConfiguration("org.vmha.management", null);
        ConfigBackup backup = managementBackup();
        management.delete();
        try {
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .until(() -> camel.getRoute("vmha.agent.management.table") == null);
            powerOffAndAssertFailover("H3");
            assertNull("the management service came back", camel.getRoute("vmha.agent.management.table"));
        } finally {
            restore(backup);
        }
    }

    @Test
    public void c_agentsAreRebuiltOnASwappedHypervisorAdapterBundle() throws Exception {
        StorageAdapter storage = getOsgiService(StorageAdapter.class, TIMEOUT.toMillis());
        Set<String> hosts = agentHosts();
        Map<String, String> placement = awaitAllRunningExactlyOnce(storage, TIMEOUT.toSeconds());
        // each VM has checkpointed under its current lease, so the rebuilt agents have something to resume from
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> {
                    for (String lun : placement.keySet()) {
                        long generation = storage.inspectLease(lun).orElseThrow().generation();
                        Optional<CheckpointInfo> cp = storage.readLatestCheckpoint(lun, new ByteArrayOutputStream());
                        assertTrue(lun + " has no checkpoint of generation " + generation + " yet",
                                cp.isPresent() && cp.get().generation() == generation);
                    }
                });
        Set<Object> before = new TreeSet<>();
        for (ServiceReference<AgentStatus> r : agents()) {
            before.add(r.getProperty(org.osgi.framework.Constants.SERVICE_ID));
        }

        org.osgi.framework.Bundle adapter = findBundleByName("org.vmha.ha-hypervisor-sim");
        adapter.stop();
        try {
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> agentHosts().isEmpty());
        } finally {
            adapter.start();
        }
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> agentHosts().equals(hosts));
        for (ServiceReference<AgentStatus> r : agents()) {
            assertTrue("agent status not rebuilt", !before.contains(r.getProperty(org.osgi.framework.Constants.SERVICE_ID)));
        }

        // the simulated VMs died with the old adapter: the rebuilt agents resume them from their checkpoints
        awaitAllRunningExactlyOnce(storage, FAILOVER_TIMEOUT_S);
        for (Map.Entry<String, RunningVm> vm : runningVms().entrySet()) {
            assertTrue(vm.getKey() + " booted instead of resuming", vm.getValue().resumed());
        }
    }

    @Test
    public void d_heartbeatAndFailoverBundlesStopAndStartWithoutLosingOrMovingAVm() throws Exception {
        for (String function : List.of("org.vmha.ha-heartbeat", "org.vmha.ha-failover")) {
            restartFunctionBundleAndAssertNothingMoved(function);
        }
    }

    /**
     * Stops a function's bundle, which pauses every agent of the node (their status services go), and starts it
     * again: every VM is still the same run on the same host (same lease generation, same start time), none ran
     * twice, none was lost.
     */
    private void restartFunctionBundleAndAssertNothingMoved(String symbolicName) throws Exception {
        StorageAdapter storage = getOsgiService(StorageAdapter.class, TIMEOUT.toMillis());
        Set<String> hosts = agentHosts();
        Map<String, String> placement = awaitAllRunningExactlyOnce(storage, 180);
        Map<String, RunningVm> before = runningVms();
        Map<String, LeaseState> leasesBefore = new TreeMap<>();
        for (String lun : placement.keySet()) {
            leasesBefore.put(lun, storage.inspectLease(lun).orElseThrow());
        }

        org.osgi.framework.Bundle function = findBundleByName(symbolicName);
        assertNotNull("no bundle " + symbolicName, function);
        function.stop();
        try {
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> agentHosts().isEmpty());
        } finally {
            function.start();
        }
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> agentHosts().equals(hosts));

        Map<String, String> after = awaitAllRunningExactlyOnce(storage, TIMEOUT.toSeconds());
        assertEquals("placement after restarting " + symbolicName, placement, after);
        Map<String, RunningVm> vms = runningVms();
        for (Map.Entry<String, RunningVm> b : before.entrySet()) {
            String lun = b.getKey();
            RunningVm now = vms.get(lun);
            assertNotNull(lun + " is gone after restarting " + symbolicName, now);
            assertEquals(lun + " was restarted (start time) across " + symbolicName, b.getValue().startedAtMillis(),
                    now.startedAtMillis());
            assertEquals(lun + " generation on the hypervisor", b.getValue().generation(), now.generation());
            LeaseState lease = storage.inspectLease(lun).orElseThrow();
            assertEquals(lun + " lease owner", leasesBefore.get(lun).owner(), lease.owner());
            assertEquals(lun + " lease was taken over across " + symbolicName, leasesBefore.get(lun).generation(),
                    lease.generation());
        }
        // and the resumed agents renew those leases: they hold every one of their VMs' leases again
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> {
                    Map<String, Set<String>> leased = new TreeMap<>();
                    for (ServiceReference<AgentStatus> r : agents()) {
                        AgentStatus s = bundleContext.getService(r);
                        if (s != null) {
                            try {
                                leased.put(s.host(), s.leasedLuns());
                            } finally {
                                bundleContext.ungetService(r);
                            }
                        }
                    }
                    for (Map.Entry<String, String> p : placement.entrySet()) {
                        assertTrue(p.getValue() + " does not hold the lease of " + p.getKey() + " again: " + leased,
                                leased.getOrDefault(p.getValue(), Set.of()).contains(p.getKey()));
                    }
                });
    }

    private void powerOffAndAssertFailover(String victim) throws Exception {
        StorageAdapter storage = getOsgiService(StorageAdapter.class, TIMEOUT.toMillis());
        Map<String, String> placement = awaitAllRunningExactlyOnce(storage, 180);
        Set<String> survivors = new TreeSet<>(agentHosts());
        survivors.remove(victim);
        List<String> moved = new ArrayList<>();
        Map<String, Long> generationBefore = new TreeMap<>();
        for (Map.Entry<String, String> p : placement.entrySet()) {
            if (p.getValue().equals(victim)) {
                moved.add(p.getKey());
                generationBefore.put(p.getKey(), storage.inspectLease(p.getKey()).orElseThrow().generation());
            }
        }
        assertTrue(victim + " runs no VM: " + placement, !moved.isEmpty());
        // each of them has checkpointed at least once on the victim, so a resume has something to resume from
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> {
                    for (String lun : moved) {
                        Optional<CheckpointInfo> cp = storage.readLatestCheckpoint(lun, new ByteArrayOutputStream());
                        assertTrue(lun + " has no checkpoint of generation " + generationBefore.get(lun) + " yet",
                                cp.isPresent() && cp.get().generation() == generationBefore.get(lun));
                    }
                });

        // power the simulated host off
        Configuration[] agent = configurationAdmin.listConfigurations(
                "(&(service.factoryPid=org.vmha.agent)(host=" + victim + "))");
        assertNotNull("no agent configuration for " + victim, agent);
        ConfigBackup backup = backup(agent[0], "(&(service.factoryPid=org.vmha.agent)(host=" + victim + "))");
        for (Configuration c : agent) {
            c.delete();
        }
        try {
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> !agentHosts().contains(victim));
            assertFailover(storage, victim, survivors, moved, generationBefore);
        } finally {
            // power the host on again: an empty host, the moved VMs stay where they resumed
            restore(backup);
        }
    }

    private void assertFailover(StorageAdapter storage, String victim, Set<String> survivors, List<String> moved,
            Map<String, Long> generationBefore) throws Exception {

        // what each moved VM's guest had reached at its last checkpoint: nothing writes one now
        Map<String, CheckpointInfo> lastCheckpoint = new TreeMap<>();
        Map<String, GuestImage> lastImage = new TreeMap<>();
        for (String lun : moved) {
            ByteArrayOutputStream image = new ByteArrayOutputStream();
            Optional<CheckpointInfo> cp = storage.readLatestCheckpoint(lun, image);
            assertTrue(lun + " has no checkpoint", cp.isPresent());
            lastCheckpoint.put(lun, cp.get());
            lastImage.put(lun, GuestImage.parse(image.toByteArray(), lun));
        }

        await().atMost(FAILOVER_TIMEOUT_S, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> {
                    Map<String, List<String>> where = whereRunning();
                    Map<String, RunningVm> vms = runningVms();
                    for (String lun : moved) {
                        List<String> hosts = where.getOrDefault(lun, List.of());
                        assertEquals(lun + " must run on exactly one host: " + hosts, 1, hosts.size());
                        String host = hosts.get(0);
                        assertTrue(lun + " runs on " + host, survivors.contains(host));
                        LeaseState lease = storage.inspectLease(lun).orElseThrow();
                        assertEquals(lun + " lease owner", host, lease.owner());
                        assertTrue(lun + " lease generation " + lease.generation() + " not above "
                                + generationBefore.get(lun), lease.generation() > generationBefore.get(lun));
                        RunningVm vm = vms.get(lun);
                        assertEquals(lun + " resumed from", lastCheckpoint.get(lun).sequence(),
                                vm.resumedFromCheckpoint());
                        assertEquals(lun + " generation on the hypervisor", lease.generation(), vm.generation());
                    }
                });

        // the resumed guests go on from where they were: a newer checkpoint, same boot count, counter not lower
        await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> {
                    for (String lun : moved) {
                        ByteArrayOutputStream image = new ByteArrayOutputStream();
                        CheckpointInfo cp = storage.readLatestCheckpoint(lun, image).orElseThrow();
                        assertTrue(lun + " has no checkpoint after the resume yet",
                                cp.sequence() > lastCheckpoint.get(lun).sequence());
                        GuestImage now = GuestImage.parse(image.toByteArray(), lun);
                        GuestImage before = lastImage.get(lun);
                        assertEquals(lun + " rebooted instead of resuming", before.boots(), now.boots());
                        assertTrue(lun + " counter went back from " + before.counter() + " to " + now.counter(),
                                now.counter() >= before.counter());
                    }
                });

        Map<String, String> after = awaitAllRunningExactlyOnce(storage, TIMEOUT.toSeconds());
        assertTrue("a VM runs on the powered-off host: " + after, !after.containsValue(victim));
    }

    /** Waits until each of the 20 VMs runs on exactly one host, which holds its lease; returns lun → host. */
    private Map<String, String> awaitAllRunningExactlyOnce(StorageAdapter storage, long seconds) {
        Map<String, String> placement = new TreeMap<>();
        await().atMost(seconds, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).untilAsserted(() -> {
            placement.clear();
            Map<String, List<String>> where = whereRunning();
            assertEquals("VMs running: " + where, VMS, where.size());
            for (Map.Entry<String, List<String>> e : where.entrySet()) {
                assertEquals(e.getKey() + " runs on " + e.getValue(), 1, e.getValue().size());
                LeaseState lease = storage.inspectLease(e.getKey()).orElseThrow();
                assertEquals(e.getKey() + " lease owner", e.getValue().get(0), lease.owner());
                placement.put(e.getKey(), e.getValue().get(0));
            }
        });
        return placement;
    }




}
