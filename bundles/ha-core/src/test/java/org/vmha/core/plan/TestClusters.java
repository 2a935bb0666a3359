/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.plan;

import java.util.ArrayList;
import java.util.List;

import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;

/**
 * The {@link TestClusters} is responsible for building small clusters in tests.
 *
 * @author vmha - Initial contribution
 */
public final class TestClusters {

    private final List<Host> hosts = new ArrayList<>();
    private final List<FailoverTableEntry> vms = new ArrayList<>();

    public static TestClusters cluster() {
        return new TestClusters();
    }

    public TestClusters host(String name, long cpu, long mem) {
        return host(name, cpu, mem, HostState.CONNECTED, false);
    }

    public TestClusters host(String name, long cpu, long mem, HostState state, boolean failoverOnly) {
        hosts.add(new Host(name, ResourceVector.of(cpu, mem), state, failoverOnly));
        return this;
    }

    public TestClusters vm(String name, String host, long cpu, long mem) {
        return vm(name, host, cpu, mem, RestartPriority.MEDIUM, true);
    }

    public TestClusters vm(String name, String host, long cpu, long mem, RestartPriority prio, boolean on) {
        vms.add(new FailoverTableEntry(name, "lun-" + name, host, null, prio, ResourceVector.of(cpu, mem),
                on ? VmState.RUNNING : VmState.POWERED_OFF, 1));
        return this;
    }

    public TestClusters entry(FailoverTableEntry e) {
        vms.add(e);
        return this;
    }

    public ClusterSnapshot snapshot() {
        return new ClusterSnapshot(hosts, new FailoverTable(7, vms));
    }

    public List<Host> hosts() {
        return hosts;
    }

    public List<FailoverTableEntry> vms() {
        return vms;
    }
}
