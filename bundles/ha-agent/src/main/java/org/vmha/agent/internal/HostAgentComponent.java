/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
import org.vmha.core.concurrent.SerialTransport;
import org.vmha.agent.AgentStatus;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorAdapterFactory;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.agent.host.HostAgent;
import org.vmha.api.transport.PeerView;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.ReplicaStore;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.core.guard.TimeoutGuard;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.api.time.ExecutorTaskScheduler;
import org.vmha.core.time.MonotonicClock;
import org.vmha.api.time.TaskScheduler;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.ClusterTransportFactory;

/**
 * The {@link HostAgentComponent} is responsible for running one {@link HostAgent} per configuration of
 * the factory pid {@value AgentConfiguration#FACTORY_PID}: the embedded distribution has one per
 * simulated host, a production node exactly one. Each agent gets, and shares with no other agent:
 * <ul>
 * <li>its own transport from the {@link ClusterTransportFactory} (its own routes on the broker);</li>
 * <li>a hypervisor adapter from the {@link HypervisorAdapterFactory} of its {@code hypervisorType};</li>
 * <li>a named single thread {@code vmha-agent-<host>} it runs on (timers and transport callbacks), a
 * named restart pool {@code vmha-restart-<host>-n} and a {@link TimeoutGuard} {@code vmha-guard-<host>}
 * every adapter call goes through;</li>
 * <li>its table replica, persisted under {@code ${karaf.data}/vmha/agents/<host>/replica.json}.</li>
 * </ul>
 * The storage adapter and the hypervisor adapter factories are dynamic references: when either is
 * swapped the agent is stopped and rebuilt on the new one, recovering from its persisted replica and
 * the leases ({@link AdapterBindings} decides when the agent stops, starts or waits, and on which adapters; this
 * component carries that out). While it runs it registers an {@link AgentStatus}.
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

    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final Logger logger = LoggerFactory.getLogger(HostAgentComponent.class);

    @Reference
    private ClusterTransportFactory transports;

    private BundleContext bundleContext;
    private AgentSettings settings;
    /** when the agent stops, starts, and on which adapters: decided there, carried out here */
    private final AdapterBindings bindings = new AdapterBindings();
    private Running current;

    @Activate
    synchronized void activate(BundleContext context, AgentConfiguration config) {
        this.bundleContext = context;
        this.settings = AgentSettings.from(config);
        settings.problems().forEach(p -> logger.error("Invalid configuration {} of host {}: {}",
                AgentConfiguration.FACTORY_PID, settings.host(), p));
        apply(bindings.activate(settings.host(), settings.hypervisorType(), s -> settings.agent()
                .problemsWith(s.leaseDurationMillis(), settings.adapterTimeoutMillis())));
    }

    @Deactivate
    synchronized void deactivate() {
        apply(bindings.deactivate());
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
        Running r = current;
        current = null;
        if (r != null) {
            r.stop();
            logger.info("Agent {} stopped ({})", settings.host(), why);
        }
    }

    /** One run of the agent on one storage adapter and one hypervisor adapter. */
    private final class Running implements AgentStatus {

        final HypervisorAdapterFactory factory;
        final String host;
        final ScheduledExecutorService agentThread;
        final ScheduledExecutorService fenceThread;
        final LeaseWatchdog watchdog;
        final ExecutorService restarts;
        final TimeoutGuard guard;
        final HypervisorAdapter hypervisor;
        final ClusterTransport transport;
        final HostAgent agent;
        final ServiceRegistration<AgentStatus> registration;

        Running(HypervisorAdapterFactory factory, StorageAdapter storage) {
            this.factory = factory;
            this.host = settings.host();
            Clock clock = Clock.systemUTC();
            agentThread = Executors.newSingleThreadScheduledExecutor(new NamedThreads("vmha-agent-" + host, false,
                    logger));
            restarts = Executors.newFixedThreadPool(Math.min(settings.agent().maxConcurrentRestarts(), 8),
                    new NamedThreads("vmha-restart-" + host, true, logger));
            guard = new TimeoutGuard("vmha-guard-" + host, 4, 1024, settings.adapterTimeoutMillis());
            // the fencing watchdog has a thread and a monotonic clock of its own: it keeps killing VMs whose lease
            // deadline passed while the agent thread hangs in a storage call (docs/storage.md, fencing timeline)
            fenceThread = Executors.newSingleThreadScheduledExecutor(new NamedThreads("vmha-fence-" + host, false,
                    logger));
            HypervisorAdapter hv = null;
            ClusterTransport t = null;
            LeaseWatchdog w = null;
            try {
                Map<String, Object> hvConfig = new TreeMap<>();
                settings.capacity().amounts().forEach((k, v) -> hvConfig.put("capacity." + k, v));
                hv = factory.create(settings.hypervisorType(), host, hvConfig, storage, clock);
                w = LeaseWatchdog.started(host, new ExecutorTaskScheduler(new MonotonicClock(), fenceThread), hv,
                        Math.max(10, settings.agent().heartbeatIntervalMillis() / 10));
                t = transports.create(host);
                HostAgent a = newAgent(new HostRuntime(loggingScheduler(new ExecutorTaskScheduler(clock, agentThread)),
                        new SerialTransport(t, agentThread), storage, hv, guard, w, restarts));
                a.onTickFailure(e -> logger.warn("Agent {}: a tick failed and the agent goes on: {}", host, e.toString(), e));
                onAgentThread(() -> {
                    a.start();
                    return null;
                });
                agent = a;
            } catch (RuntimeException e) {
                if (t != null) {
                    transports.close(t);
                }
                if (hv != null) {
                    hv.close();
                }
                if (w != null) {
                    w.stop();
                }
                fenceThread.shutdownNow();
                shutdownPools();
                throw e;
            }
            watchdog = w;
            hypervisor = hv;
            transport = t;
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(AgentStatus.HOST_PROPERTY, host);
            registration = bundleContext.registerService(AgentStatus.class, this, props);
        }

        /**
         * @param runtime what the agent runs on
         * @return the agent, its replica persisted under {@code karaf.data}, its peers those configured
         */
        private HostAgent newAgent(HostRuntime runtime) {
            SortedMap<String, ResourceVector> peers = new TreeMap<>();
            for (String p : settings.peers()) {
                peers.put(p, ResourceVector.ZERO);
            }
            Path dir = Paths.get(System.getProperty("karaf.data", "data"), "vmha", "agents", host);
            return new HostAgent(host, settings.capacity(), settings.agent(), runtime,
                    ReplicaStore.file(dir.resolve("replica.json")), new FailoverPlanner(), peers);
        }

        private TaskScheduler loggingScheduler(TaskScheduler s) {
            return new TaskScheduler() {
                @Override
                public long nowMillis() {
                    return s.nowMillis();
                }

                @Override
                public Cancellable schedule(long delayMillis, Runnable task) {
                    return s.schedule(delayMillis, NamedThreads.logging(task, logger, "agent " + host + " task"));
                }
            };
        }

        /**
         * Stops the agent, then closes the hypervisor adapter (a simulated host's VMs vanish here, with
         * their leases left to expire), then withdraws the status and the routes: once the status is
         * gone nothing of this host runs any more.
         */
        void stop() {
            try {
                onAgentThread(() -> {
                    agent.stop();
                    return null;
                });
            } catch (RuntimeException e) {
                logger.warn("Agent {} did not stop cleanly: {}", host, e.getMessage());
            }
            try {
                hypervisor.close();
            } catch (RuntimeException e) {
                logger.warn("Closing the hypervisor adapter of {} failed: {}", host, e.getMessage());
            }
            // only now: until the hypervisor is closed its VMs may still run, and their leases still need guarding
            watchdog.stop();
            fenceThread.shutdownNow();
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            transports.close(transport);
            shutdownPools();
        }

        private void shutdownPools() {
            agentThread.shutdownNow();
            restarts.shutdownNow();
            guard.close();
        }

        private <T> T onAgentThread(Callable<T> call) {
            try {
                return agentThread.submit(call).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking agent " + host, e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof RuntimeException r ? r : new IllegalStateException(c.toString(), c);
            } catch (TimeoutException e) {
                throw new IllegalStateException("agent " + host + " did not answer within " + CALL_TIMEOUT_SECONDS
                        + " s", e);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                throw new IllegalStateException("agent " + host + " is stopped", e);
            }
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public FailoverTable replica() {
            return onAgentThread(() -> agent.replica().table());
        }

        @Override
        public List<RunningVm> runningVms() {
            return onAgentThread(() -> new ArrayList<>(guard.call("hypervisor@" + host, "listRunning", host,
                    hypervisor::listRunning)));
        }

        @Override
        public Set<String> leasedLuns() {
            return onAgentThread(() -> Set.copyOf(agent.leasedLuns()));
        }

        @Override
        public long restartsIssued() {
            return onAgentThread(agent::restartsIssued);
        }

        @Override
        public List<PeerView> peers() {
            return onAgentThread(agent::peerViews);
        }

        @Override
        public boolean isolated() {
            return onAgentThread(agent::isolated);
        }

        @Override
        public boolean storageReachable() {
            return onAgentThread(agent::storageReachable);
        }
    }
}
