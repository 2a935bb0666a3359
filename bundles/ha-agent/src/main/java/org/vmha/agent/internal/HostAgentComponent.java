/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
import org.vmha.api.hypervisor.HypervisorAdapterFactory;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.failover.FailoverServiceFactory;
import org.vmha.heartbeat.HeartbeatServiceFactory;
import org.vmha.agent.host.HostAgent;
import org.vmha.agent.host.HostFunctions;
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
    private volatile HostBinding current;
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
        HostBinding r = current;
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
                    HostBinding r = c.current;
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
        HostBinding r = current;
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
        HostBinding r = current;
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
        HostBinding r = current;
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
            current = new HostBinding(settings, start.factory(), start.storage(), () -> transports, functions(),
                    missingFunctions(), bundleContext);
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
        HostBinding r = current;
        current = null;
        if (r != null) {
            r.stop();
            logger.info("Agent {} stopped ({})", settings.host(), why);
        }
    }
}
