/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.storage.Lease;
import org.vmha.api.time.TaskScheduler;
import org.vmha.core.plan.FailoverPlan;

/**
 * The {@link RestartPipeline} is responsible for the bounded restart pipeline: the placements this host is to start
 * wait in a queue, at most {@link AgentConfig#maxConcurrentRestarts()} attempts run at once on the restart executor,
 * and each attempt's outcome comes back through the scheduler to the {@link RestartCompletion}, after which the
 * next placement goes. It is the one writer of the set of volumes whose restart is in flight (queued or running).
 * <p>
 * <b>Threading:</b> not thread-safe; used on the agent's thread (attempts run on the executor, their results come
 * back through the scheduler).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class RestartPipeline {

    /**
     * The two threads a restart crosses: the attempt runs on the executor, and its outcome comes back to the agent's
     * thread through the scheduler.
     *
     * @param scheduler brings outcomes back to the agent's thread (and tells the time they arrive)
     * @param executor runs the attempts; {@code Runnable::run} in the simulator
     */
    record Threads(TaskScheduler scheduler, Executor executor) {
    }

    private final AgentConfig config;
    private final TaskScheduler scheduler;
    private final Executor executor;
    private final FailoverTableReplica replica;
    private final RestartAttempt attempt;
    private final RestartCompletion completion;
    private final LeaseKeeper leases;
    private final ScanEpochs epochs;
    private final BooleanSupplier running;
    private final Set<String> inFlight;
    private final Deque<FailoverPlan.Placement> queue = new ArrayDeque<>();
    private int active;
    private boolean draining;
    private long restartsIssued;

    /**
     * @param agent this host's settings (maximum concurrent restarts) and the epochs moved when an attempt completes
     * @param threads the restart executor the attempts run on and the scheduler their outcomes come back through
     * @param replica the entries to start, as they are when an attempt goes
     * @param attempt one attempt
     * @param completion what follows an attempt
     * @param leases takes over the attempts' leases
     * @param running false once the agent stopped
     * @param inFlight the volumes in flight, which this pipeline alone writes (the others get a read-only view)
     */
    RestartPipeline(AgentContext agent, Threads threads, FailoverTableReplica replica, RestartAttempt attempt,
            RestartCompletion completion, LeaseKeeper leases, BooleanSupplier running, Set<String> inFlight) {
        this.config = agent.config();
        this.scheduler = threads.scheduler();
        this.executor = threads.executor();
        this.replica = replica;
        this.attempt = attempt;
        this.completion = completion;
        this.leases = leases;
        this.epochs = agent.epochs();
        this.running = running;
        this.inFlight = inFlight;
    }

    /**
     * @param lun a volume
     * @return true if its restart is queued or running
     */
    boolean inFlight(String lun) {
        return inFlight.contains(lun);
    }

    /** @return how many restarts are queued or running */
    int inFlightCount() {
        return inFlight.size();
    }

    /** @param p a placement on this host, queued (its volume is in flight from now on) */
    void enqueue(FailoverPlan.Placement p) {
        queue.add(p);
        inFlight.add(p.lun());
    }

    /** Starts queued placements while fewer than the maximum run. */
    void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (active < config.maxConcurrentRestarts() && !queue.isEmpty()) {
                FailoverPlan.Placement p = queue.poll();
                FailoverTableEntry e = replica.entry(p.lun()).orElse(null);
                if (e == null) {
                    inFlight.remove(p.lun());
                    continue;
                }
                active++;
                restartsIssued++;
                executor.execute(() -> {
                    RestartAttempt.Outcome o = attempt.attempt(e);
                    scheduler.schedule(0, () -> completed(e, o));
                });
            }
        } finally {
            draining = false;
        }
    }

    private void completed(FailoverTableEntry before, RestartAttempt.Outcome o) {
        active--;
        epochs.localChanged();
        inFlight.remove(before.lun());
        long now = scheduler.nowMillis();
        // the lease as the agent last renewed it while the VM started
        Lease lease = leases.takeStarted(before.lun(), o.lease());
        boolean lost = leases.lostWhileStarting(before.lun());
        if (!running.getAsBoolean()) {
            if (lease != null) {
                // stopped meanwhile: leave the VM to the lease and its watchdog deadline
                leases.put(before.lun(), lease);
            }
            return;
        }
        completion.complete(before, o, lease, lost, now);
        drain();
    }

    /** @return restarts dispatched so far */
    long restartsIssued() {
        return restartsIssued;
    }
}
