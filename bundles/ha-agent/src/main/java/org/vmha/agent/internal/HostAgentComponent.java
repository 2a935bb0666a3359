/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.core.concurrent.NamedThreads;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorAdapterFactory;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.failover.FailoverServiceFactory;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.heartbeat.HeartbeatServiceFactory;
import org.vmha.agent.host.HostAgent;
import org.vmha.agent.host.HostFunctions;
import org.vmha.api.time.ExecutorTaskScheduler;
import org.vmha.core.time.MonotonicClock;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.ClusterTransportFactory;

/**
 * The {@link HostAgentComponent} is responsible for running one {@link HostAgent} per configuration of
 * the factory pid {@value AgentConfiguration#FACTORY_PID}: the embedded distribution has one per
 * simulated host, a production node exactly one. Each agent gets, and shares with no other agent:
 * <ul>
 * <li>a hypervisor adapter from the {@link HypervisorAdapterFactory} of its {@code hypervisorType};</li>
 * <li>its own transport from the {@link ClusterTransportFactory} (its own routes on the broker), kept while paused,
 * behind a {@link DetachableTransport}: the factory is an optional dynamic reference, and while the routes bundle is
 * away (restarted, reconfigured) the agent runs on with a silent network channel, renewing its leases and beating on
 * the datastore, so that no VM stops or moves;</li>
 * <li>an {@link AgentRun}: the agent's named thread, restart pool and guard, and its status;</li>
 * <li>its table replica, persisted under {@code ${karaf.data}/vmha/agents/<host>/replica.json}.</li>
 * </ul>
 * The storage adapter and the hypervisor adapter factories are dynamic references: when either is
 * swapped the agent is stopped and rebuilt on the new one, recovering from its persisted replica and
 * the leases ({@link AdapterBindings} decides when the agent stops, starts or waits, and on which adapters; this
 * component carries that out).
 * <p>
 * The heartbeat function ({@link HeartbeatServiceFactory}, bundle {@code org.vmha.ha-heartbeat}) and the failover
 * function ({@link FailoverServiceFactory}, bundle {@code org.vmha.ha-failover}) are optional dynamic references: while
 * either is missing the agent is <em>paused</em>. The hypervisor adapter and the fencing watchdog stay, so the VMs go
 * on running under their leases (and are killed by the watchdog if the pause outlasts a lease); when both are back a
 * new agent run recovers the replica and the leases and adopts the running VMs. A replaced function pauses and
 * resumes the agent on the new one.
 * <p>
 * Deleting the configuration stops the agent and closes its hypervisor adapter; for the simulated
 * hypervisor that stops every simulated VM of the host without releasing its leases, which is how a
 * simulated host is powered off.
 * <p>
 * <b>Threading:</b> lifecycle methods are synchronized; the agent itself only ever runs on its thread.
 *
 * @author vmha - Initial contribution
 */
@Component(configurationPid = AgentConfiguration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = AgentConfiguration.class, factory = true)
public final class HostAgentComponent {

    /** ComponentConstants.DEACTIVATION_REASON_DISABLED (Declarative Services 1.1). */
    private static final int DEACTIVATION_REASON_DISABLED = 1;
    /** ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED (Declarative Services 1.1). */
    private static final int DEACTIVATION_REASON_BUNDLE_STOPPED = 6;

    /** The agents of this node (this bundle), for a planned stop of the whole node. */
    private static final Set<HostAgentComponent> NODE = ConcurrentHashMap.newKeySet();
    /** Set by the first agent of a planned node stop: what becomes of the VMs of every agent of this node. */
    private static String nodeHandOver;

    private final Logger logger = LoggerFactory.getLogger(HostAgentComponent.class);

    private ClusterTransportFactory transports;

    private BundleContext bundleContext;
    private AgentSettings settings;
    /** when the agent stops, starts, and on which adapters: decided there, carried out here */
    private final AdapterBindings bindings = new AdapterBindings();
    private volatile Running current;
    private HeartbeatServiceFactory heartbeatFunction;
    private FailoverServiceFactory failoverFunction;

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> properties) {
        this.bundleContext = context;
        this.settings = AgentSettings.from(properties);
        settings.problems().forEach(p -> logger.error("Invalid configuration {} of host {}: {}",
                AgentConfiguration.FACTORY_PID, settings.host(), p));
        apply(bindings.activate(settings.host(), settings.hypervisorType(), s -> settings.agent()
                .problemsWith(s.leaseDurationMillis(), settings.adapterTimeoutMillis())));
        NODE.add(this);
    }

    /**
     * Stopping the agent's bundle (and so {@code bin/stop}) or disabling the component is a <em>planned stop</em>:
     * the host hands its VMs over ({@link AgentRun#leave}) and leaves, so that no peer reports it failed. Deleting its
     * configuration stays what it always was, the power-off of a simulated host (a crash, detected by the peers).
     *
     * @param reason the deactivation reason (DS {@code ComponentConstants.DEACTIVATION_REASON_*})
     */
    @Deactivate
    synchronized void deactivate(int reason) {
        if (reason == DEACTIVATION_REASON_BUNDLE_STOPPED || reason == DEACTIVATION_REASON_DISABLED
                || bundleStopping()) {
            // the last also when the bundle's own datastore component went first (reason: a reference)
            leave();
        }
        NODE.remove(this);
        synchronized (NODE) {
            if (NODE.isEmpty()) {
                nodeHandOver = null;
            }
        }
        apply(bindings.deactivate());
    }

    /** A planned stop of the running agent, once: it hands its VMs over and leaves (see {@link #deactivate}). */
    private void leave() {
        Running r = current;
        if (r == null || r.left) {
            return;
        }
        r.left = true;
        String handOver = plannedStop();
        List<String> kept = r.leave(handOver);
        logger.info("Agent {} left the cluster as planned (VMs: {}){}", settings.host(), handOver, kept.isEmpty()
                ? "" : "; not stopped in time, left to their leases: " + kept);
    }

    /** @return true while this bundle stops (and so the node, at {@code bin/stop}) */
    private boolean bundleStopping() {
        return bundleContext != null
                && (bundleContext.getBundle().getState() & org.osgi.framework.Bundle.STOPPING) != 0;
    }

    /**
     * @return what becomes of this agent's VMs: {@code with-node} when the whole node stops (the first agent to stop
     *         makes every other agent of the node stand down, so none takes a leaving neighbour's VMs), else
     *         {@code survivors}
     */
    private String plannedStop() {
        synchronized (NODE) {
            if (nodeHandOver == null) {
                boolean others = NODE.stream().anyMatch(c -> c != this && c.current != null);
                if (!bundleStopping() || !others) {
                    return "survivors";
                }
                nodeHandOver = "with-node";
                for (HostAgentComponent c : NODE) {
                    Running r = c.current;
                    if (c != this && r != null) {
                        r.standDown();
                    }
                }
            }
            return nodeHandOver;
        }
    }

    /**
     * The routes came (back): the running agent's transport is attached to its new routes. A restart of the routes
     * bundle neither stops nor moves a VM (docs/agents-wiring.md).
     *
     * @param f the node's transport factory
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindTransports(ClusterTransportFactory f) {
        ClusterTransportFactory old = transports;
        transports = f;
        Running r = current;
        if (r != null) {
            if (old != null) {
                r.detach(old);
            }
            r.attach(f);
        }
    }

    /** @param f the transport factory that goes: the agent runs on, its network channel silent until one returns */
    synchronized void unbindTransports(ClusterTransportFactory f) {
        if (transports != f) {
            return;
        }
        transports = null;
        Running r = current;
        if (r != null) {
            r.detach(f);
        }
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindStorage(StorageAdapter s) {
        apply(bindings.storageBound(s));
    }

    synchronized void unbindStorage(StorageAdapter s) {
        apply(bindings.storageUnbound(s));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addHypervisorFactory(HypervisorAdapterFactory f) {
        apply(bindings.factoryAdded(f));
    }

    synchronized void removeHypervisorFactory(HypervisorAdapterFactory f) {
        apply(bindings.factoryRemoved(f));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindHeartbeatFunction(HeartbeatServiceFactory f) {
        heartbeatFunction = f;
        functionsChanged("heartbeat function bound");
    }

    synchronized void unbindHeartbeatFunction(HeartbeatServiceFactory f) {
        if (heartbeatFunction == f) {
            heartbeatFunction = null;
            functionsChanged("heartbeat function withdrawn");
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindFailoverFunction(FailoverServiceFactory f) {
        failoverFunction = f;
        functionsChanged("failover function bound");
    }

    synchronized void unbindFailoverFunction(FailoverServiceFactory f) {
        if (failoverFunction == f) {
            failoverFunction = null;
            functionsChanged("failover function withdrawn");
        }
    }

    /** @return both functions, or null while either is missing */
    private HostFunctions functions() {
        HeartbeatServiceFactory h = heartbeatFunction;
        FailoverServiceFactory f = failoverFunction;
        return h == null || f == null ? null : new HostFunctions(h, f);
    }

    private String missingFunctions() {
        List<String> missing = new ArrayList<>();
        if (heartbeatFunction == null) {
            missing.add("the heartbeat function (bundle org.vmha.ha-heartbeat)");
        }
        if (failoverFunction == null) {
            missing.add("the failover function (bundle org.vmha.ha-failover)");
        }
        return String.join(" and ", missing);
    }

    /** A function came, went or was replaced: the running agent pauses, and resumes once both are there. */
    private void functionsChanged(String why) {
        Running r = current;
        if (r == null) {
            return;
        }
        r.pause(why);
        HostFunctions functions = functions();
        if (functions != null) {
            r.resume(functions, why);
        } else {
            logger.info("Agent {} waits for {}", r.host, missingFunctions());
        }
    }

    /** Carries out what {@link AdapterBindings} decided: stop, then start, or say what the agent waits for. */
    private void apply(AdapterBindings.Decision d) {
        if (d.stop()) {
            stopCurrent(d.why());
        }
        if (d.waitsFor() != null) {
            logger.info("Agent {} waits for {}", settings.host(), d.waitsFor());
        }
        AdapterBindings.Start start = d.start();
        d.problems().forEach(p -> logger.error("Agent {} does not start: configuration {} does not fit the storage "
                + "adapter {}: {}", settings.host(), AgentConfiguration.FACTORY_PID, bindings.storage().type(), p));
        if (start == null) {
            return;
        }
        try {
            current = new Running(start.factory(), start.storage());
            bindings.started(start);
            logger.info("Agent {} started ({}) on storage {} and hypervisor {}", settings.host(), d.why(),
                    start.storage().type(), settings.hypervisorType());
        } catch (RuntimeException e) {
            logger.error("Agent {} could not start: {}", settings.host(), e.getMessage(), e);
        }
    }

    private void stopCurrent(String why) {
        if (bundleStopping()) {
            // the bundle stops and takes an adapter with it first (its own datastore component): a planned stop
            leave();
        }
        Running r = current;
        current = null;
        if (r != null) {
            r.stop();
            logger.info("Agent {} stopped ({})", settings.host(), why);
        }
    }

    /**
     * The adapters of one binding (one storage adapter, one hypervisor adapter) with the fencing watchdog, and the
     * agent run on them while both functions are there.
     */
    private final class Running {

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

        Running(HypervisorAdapterFactory factory, StorageAdapter storage) {
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
                w = LeaseWatchdog.started(host, new ExecutorTaskScheduler(new MonotonicClock(), fenceThread), hv,
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
                if (transports != null) {
                    transport.attach(transports.create(host));
                } else {
                    logger.info("Agent {} starts without the network channel: it waits for the routes (bundle "
                            + "org.vmha.ha-camel-routes)", host);
                }
                hypervisor = hv;
                watchdog = w;
                HostFunctions functions = functions();
                if (functions != null) {
                    run = new AgentRun(settings, storage, hv, w, transport, functions, bundleContext);
                } else {
                    logger.info("Agent {} waits for {}", host, missingFunctions());
                }
            } catch (RuntimeException e) {
                ClusterTransport t = transport.detach();
                if (t != null && transports != null) {
                    transports.close(t);
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
            if (t != null && transports != null) {
                transports.close(t);
            }
        }
    }
}
