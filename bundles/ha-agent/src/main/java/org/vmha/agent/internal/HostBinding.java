/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.agent.host.HostFunctions;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorAdapterFactory;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.time.ExecutorTaskScheduler;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.ClusterTransportFactory;
import org.vmha.core.concurrent.NamedThreads;
import org.vmha.core.time.MonotonicClock;
import org.vmha.failover.LeaseWatchdog;

/**
 * The {@link HostBinding} is responsible for one host's adapters of one binding (one storage adapter, one hypervisor
 * adapter) with the fencing watchdog and the agent's {@link DetachableTransport}, and for the {@link AgentRun} on them
 * while both functions are there: it pauses and resumes the run when a function's bundle goes and comes, attaches and
 * detaches the routes, and carries out a planned stop. {@link HostAgentComponent} decides when.
 * <p>
 * <b>Threading:</b> called by the component's synchronized lifecycle only.
 *
 * @author vmha - Initial contribution
 */
final class HostBinding {

    private final Logger logger = LoggerFactory.getLogger(HostAgentComponent.class);
    private final AgentSettings settings;
    private final Supplier<ClusterTransportFactory> transports;
    private final BundleContext bundleContext;

    final HypervisorAdapterFactory factory;
    final StorageAdapter storage;
    final String host;
    final ScheduledExecutorService fenceThread;
    final LeaseWatchdog watchdog;
    final HypervisorAdapter hypervisor;
    /** held by the agent for its whole life; the routes' transport is attached to it while they are there */
    final DetachableTransport transport = new DetachableTransport();
    AgentRun run;
    /** the planned stop ran */
    boolean left;

    /**
     * Creates the adapters and the watchdog, attaches the routes if they are there, and starts the agent run if
     * both functions are.
     *
     * @param settings the agent's configuration
     * @param factory makes the hypervisor adapter
     * @param storage the datastore
     * @param transports the routes' transport factory now (null while the routes are away)
     * @param functions both functions, or null while either is missing
     * @param missing what is missing, for the log, when {@code functions} is null
     * @param bundleContext where the agent's status is registered
     */
    HostBinding(AgentSettings settings, HypervisorAdapterFactory factory, StorageAdapter storage,
            Supplier<ClusterTransportFactory> transports, HostFunctions functions, String missing,
            BundleContext bundleContext) {
        this.settings = settings;
        this.transports = transports;
        this.bundleContext = bundleContext;
        this.factory = factory;
        this.storage = storage;
        this.host = settings.host();
        // the fencing watchdog has a thread and a monotonic clock of its own: it keeps killing VMs whose lease
        // deadline passed while the agent thread hangs in a storage call (docs/storage.md, fencing timeline), and
        // while the agent is paused because a function's bundle stopped
        fenceThread = Executors.newSingleThreadScheduledExecutor(new NamedThreads("vmha-fence-" + host, false,
                logger));
        HypervisorAdapter hv = null;
        LeaseWatchdog w = null;
        try {
            Map<String, Object> hvConfig = new TreeMap<>();
            settings.capacity().amounts().forEach((k, v) -> hvConfig.put("capacity." + k, v));
            hv = factory.create(settings.hypervisorType(), host, hvConfig, storage, Clock.systemUTC());
            w = watchdog(hv);
            ClusterTransportFactory routes = transports.get();
            if (routes != null) {
                transport.attach(routes.create(host));
            } else {
                logger.info("Agent {} starts without the network channel: it waits for the routes (bundle "
                        + "org.vmha.ha-camel-routes)", host);
            }
            hypervisor = hv;
            watchdog = w;
            if (functions != null) {
                run = new AgentRun(settings, storage, hv, w, transport, functions, bundleContext);
            } else {
                logger.info("Agent {} waits for {}", host, missing);
            }
        } catch (RuntimeException e) {
            ClusterTransport t = transport.detach();
            if (t != null && transports.get() != null) {
                transports.get().close(t);
            }
            if (hv != null) {
                hv.close();
            }
            if (w != null) {
                w.stop();
            }
            fenceThread.shutdownNow();
            throw e;
        }
    }

    /** @return the fencing watchdog of the hypervisor's VMs, started, on this binding's own thread and clock */
    private LeaseWatchdog watchdog(HypervisorAdapter hv) {
        LeaseWatchdog w = LeaseWatchdog.started(host, new ExecutorTaskScheduler(new MonotonicClock(), fenceThread), hv,
                Math.max(10, settings.agent().heartbeatIntervalMillis() / 10));
        w.onKill((f, failure) -> {
            if (failure == null) {
                logger.warn("Agent {}: the fencing watchdog powered off the VM of {}: its lease of generation "
                        + "{} passed its deadline {} ms ago without a renewal", host, f.lun(), f.generation(),
                        f.fencedAtMillis() - f.deadlineMillis());
            } else {
                logger.error("Agent {}: the fencing watchdog could not power off the VM of {} past its lease "
                        + "deadline (generation {}): {}", host, f.lun(), f.generation(), failure);
            }
        });
        return w;
    }

    /** @param f the factory that came: the agent's network channel runs through its routes from now on */
    void attach(ClusterTransportFactory f) {
        try {
            long dropped = transport.attach(f.create(host));
            logger.info("Agent {}: the network channel is back (routes attached){}", host, dropped == 0 ? ""
                    : "; " + dropped + " event(s) raised while they were away could not be kept");
        } catch (RuntimeException e) {
            logger.error("Agent {}: could not attach to the routes: {}", host, e.getMessage(), e);
        }
    }

    /** @param f the factory that goes: its routes of this host are closed, the agent runs on without them */
    void detach(ClusterTransportFactory f) {
        ClusterTransport t = transport.detach();
        if (t != null) {
            try {
                f.close(t);
            } catch (RuntimeException e) {
                logger.warn("Agent {}: closing its routes failed: {}", host, e.getMessage());
            }
            logger.info("Agent {}: the routes went away; it runs on, its VMs untouched, the network channel "
                    + "silent until they return (events are kept for then)", host);
        }
    }

    /** Another agent of this node stops as planned: this one takes none of its VMs. */
    void standDown() {
        if (run != null) {
            run.standDown();
        }
    }

    /**
     * @param handOver what becomes of the VMs ({@code survivors} or {@code with-node})
     * @return the volumes not handed over in time
     */
    List<String> leave(String handOver) {
        return run == null ? List.of() : run.leave(handOver);
    }

    /** Ends the agent run, if any; the VMs go on under their leases and the watchdog. */
    void pause(String why) {
        if (run != null) {
            run.stopAgent();
            run.release();
            run = null;
            logger.info("Agent {} paused ({}): its VMs keep running under their leases until it resumes", host,
                    why);
        }
    }

    /** Starts an agent run on the same adapters, which recovers the replica and adopts the running VMs. */
    void resume(HostFunctions functions, String why) {
        try {
            run = new AgentRun(settings, storage, hypervisor, watchdog, transport, functions, bundleContext);
            logger.info("Agent {} resumed ({})", host, why);
        } catch (RuntimeException e) {
            logger.error("Agent {} could not resume ({}): {}", host, why, e.getMessage(), e);
        }
    }

    /**
     * Stops the agent, then closes the hypervisor adapter (a simulated host's VMs vanish here, with their leases
     * left to expire), then the watchdog, then withdraws the status and the routes: once the status is gone
     * nothing of this host runs any more.
     */
    void stop() {
        AgentRun r = run;
        run = null;
        if (r != null) {
            r.stopAgent();
        }
        try {
            hypervisor.close();
        } catch (RuntimeException e) {
            logger.warn("Closing the hypervisor adapter of {} failed: {}", host, e.getMessage());
        }
        // only now: until the hypervisor is closed its VMs may still run, and their leases still need guarding
        watchdog.stop();
        fenceThread.shutdownNow();
        if (r != null) {
            r.release();
        }
        ClusterTransport t = transport.detach();
        ClusterTransportFactory routes = transports.get();
        if (t != null && routes != null) {
            routes.close(t);
        }
    }
}
