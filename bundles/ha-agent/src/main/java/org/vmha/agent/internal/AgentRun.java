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
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.agent.AgentStatus;
import org.vmha.agent.host.HostAgent;
import org.vmha.agent.host.HostFunctions;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.time.ExecutorTaskScheduler;
import org.vmha.api.time.TaskScheduler;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.PeerView;
import org.vmha.core.concurrent.NamedThreads;
import org.vmha.core.concurrent.SerialTransport;
import org.vmha.core.guard.TimeoutGuard;
import org.vmha.core.plan.FailoverPlanner;
import org.vmha.failover.HostRuntime;
import org.vmha.failover.LeaseWatchdog;
import org.vmha.failover.ReplicaStore;

/**
 * The {@link AgentRun} is responsible for one run of a {@link HostAgent} on adapters that outlive it: its named
 * single thread {@code vmha-agent-<host>}, its restart pool {@code vmha-restart-<host>-n}, its {@link TimeoutGuard}
 * {@code vmha-guard-<host>} and its {@link AgentStatus} registration. The transport (the host's routes on the
 * broker), the hypervisor adapter and the fencing watchdog belong to the caller: when a run ends because a function's
 * bundle stopped, the VMs go on running under their leases and the next run, on the same routes, adopts them.
 * <p>
 * <b>Threading:</b> {@link #stopAgent()} and then {@link #release()} are called once each, by the component's
 * synchronized lifecycle; the agent only ever runs on its thread, and the status calls ask that thread.
 *
 * @author vmha - Initial contribution
 */
final class AgentRun implements AgentStatus {

    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final Logger logger = LoggerFactory.getLogger(AgentRun.class);
    private final String host;
    private final HypervisorAdapter hypervisor;
    private final ScheduledExecutorService agentThread;
    private final ExecutorService restarts;
    private final TimeoutGuard guard;
    private final HostAgent agent;
    private final ServiceRegistration<AgentStatus> registration;

    /**
     * Builds and starts the agent, then registers its status.
     *
     * @throws RuntimeException if the agent cannot start; what this run made is closed again
     */
    AgentRun(AgentSettings settings, StorageAdapter storage, HypervisorAdapter hypervisor, LeaseWatchdog watchdog,
            ClusterTransport transport, HostFunctions functions, BundleContext context) {
        this.host = settings.host();
        this.hypervisor = hypervisor;
        Clock clock = Clock.systemUTC();
        agentThread = Executors.newSingleThreadScheduledExecutor(new NamedThreads("vmha-agent-" + host, false,
                logger));
        restarts = Executors.newFixedThreadPool(Math.min(settings.agent().maxConcurrentRestarts(), 8),
                new NamedThreads("vmha-restart-" + host, true, logger));
        guard = new TimeoutGuard("vmha-guard-" + host, 4, 1024, settings.adapterTimeoutMillis());
        try {
            TaskScheduler scheduler = loggingScheduler(new ExecutorTaskScheduler(clock, agentThread));
            SortedMap<String, ResourceVector> peers = new TreeMap<>();
            for (String p : settings.peers()) {
                peers.put(p, ResourceVector.ZERO);
            }
            Path dir = Paths.get(System.getProperty("karaf.data", "data"), "vmha", "agents", host);
            HostRuntime runtime = new HostRuntime(scheduler, new SerialTransport(transport, agentThread), storage, hypervisor,
                    guard, watchdog, restarts);
            HostAgent a = new HostAgent(host, settings.capacity(), settings.agent(), runtime,
                    ReplicaStore.file(dir.resolve("replica.json")), new FailoverPlanner(), peers, functions);
            a.onTickFailure(e -> logger.warn("Agent {}: a tick failed and the agent goes on: {}", host, e.toString(),
                    e));
            onAgentThread(() -> {
                a.start();
                return null;
            });
            agent = a;
        } catch (RuntimeException e) {
            shutdownPools();
            throw e;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(AgentStatus.HOST_PROPERTY, host);
        registration = context.registerService(AgentStatus.class, this, props);
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

    /** How long a planned stop waits for this host's VMs to be powered off before it leaves anyway. */
    static final long LEAVE_TIMEOUT_MILLIS = 15_000;

    /** Another host of this node stops as planned: this one restarts none of the peers' VMs from now on. */
    void standDown() {
        try {
            onAgentThread(() -> {
                agent.standDown();
                return null;
            });
        } catch (RuntimeException e) {
            logger.warn("Agent {} did not stand down: {}", host, e.getMessage());
        }
    }

    /**
     * A planned stop: announces {@code host.stopping}, powers the VMs off and gives their leases back (waiting up to
     * {@value #LEAVE_TIMEOUT_MILLIS} ms), then sends the leave message and stops the agent. A VM that is not gone by
     * then keeps its lease, which the fencing watchdog and the survivors handle as after a crash.
     *
     * @param handOver {@code survivors} or {@code with-node}
     * @return the VMs still not handed over (empty when the stop was clean)
     */
    List<String> leave(String handOver) {
        try {
            onAgentThread(() -> {
                agent.beginLeave(handOver);
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEAVE_TIMEOUT_MILLIS);
            while (!onAgentThread(agent::handedOverAll) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<String> left = onAgentThread(() -> List.copyOf(agent.leasedLuns()));
            onAgentThread(() -> {
                agent.finishLeave();
                return null;
            });
            return left;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAgent();
            return List.of("(interrupted)");
        } catch (RuntimeException e) {
            logger.warn("Agent {} did not stop as planned: {}", host, e.getMessage());
            stopAgent();
            return List.of("(" + e.getMessage() + ")");
        }
    }

    /** Stops the agent: it ignores further messages, its VMs keep running, their leases are no longer renewed. */
    void stopAgent() {
        try {
            onAgentThread(() -> {
                agent.stop();
                return null;
            });
        } catch (RuntimeException e) {
            logger.warn("Agent {} did not stop cleanly: {}", host, e.getMessage());
        }
    }

    /** Withdraws the status and ends the threads; after {@link #stopAgent()}. */
    void release() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
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
        } catch (RejectedExecutionException e) {
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
