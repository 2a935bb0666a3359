/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.time.TaskScheduler;
import org.vmha.testkit.VirtualScheduler;

/**
 * The {@link InMemoryTransport} is responsible for a whole cluster's messaging in one JVM: one
 * {@link #endpoint(String) endpoint} per host, message loss with a given probability and delivery
 * delay between a minimum and a maximum, and optionally message duplication (a delivery that arrives
 * twice), drawn from a seeded {@link Random} so that a run is reproducible. Per delivery the draws come
 * in a fixed order: loss, then duplication (only when its probability is above 0 and the delivery was
 * not lost), then the delay of each copy. A host's network can be switched off (it neither sends nor receives and its isolation
 * probe fails), and so can the broker (nobody sends or receives, isolation probes still answer).
 * <p>
 * Receivers are visited in host name order; a message is delivered by a task on the
 * {@link TaskScheduler} after its delay, and dropped if the receiver or the broker went down
 * meanwhile.
 * <p>
 * On a {@link VirtualScheduler} with no delay, heartbeats that hosts publish at the same instant with
 * no other task scheduled for that instant in between go out as one task that visits each receiver
 * once and hands it those heartbeats in publication order. Nothing else can run between them in either
 * form, and a listener's {@code onHeartbeat} touches only that listener's own state (true of the agent
 * and the management service), so the outcome is the same as one task per heartbeat; it is cheaper
 * because each receiver's state is visited once per instant instead of once per sender.
 * <p>
 * <b>Threading:</b> not thread-safe; meant for the simulator's single thread and for tests.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class InMemoryTransport {

    private final TaskScheduler scheduler;
    private final Random random;
    private final double loss;
    private final double duplication;
    private final long minDelay;
    private final long maxDelay;
    private final Map<String, Endpoint> endpoints = new TreeMap<>();
    private final List<Consumer<CloudEvent>> eventObservers = new ArrayList<>();
    private final VirtualScheduler virtual;
    private boolean brokerUp = true;
    private long sent;
    private long dropped;
    private long duplicated;
    /** The same-instant heartbeat batch that has not run yet, or null. */
    private HeartbeatBatch pending;

    /**
     * @param scheduler time for delivery delays
     * @param seed seed of the loss and delay draws
     * @param loss probability in [0, 1) that one delivery is lost
     * @param minDelayMillis minimum delivery delay
     * @param maxDelayMillis maximum delivery delay, at least the minimum
     */
    public InMemoryTransport(TaskScheduler scheduler, long seed, double loss, long minDelayMillis, long maxDelayMillis) {
        this(scheduler, seed, loss, minDelayMillis, maxDelayMillis, 0);
    }

    /**
     * @param scheduler time for delivery delays
     * @param seed seed of the loss, duplication and delay draws
     * @param loss probability in [0, 1) that one delivery is lost
     * @param minDelayMillis minimum delivery delay
     * @param maxDelayMillis maximum delivery delay, at least the minimum
     * @param duplication probability in [0, 1) that one delivery (that was not lost) arrives twice; 0 draws
     *        nothing, so the other draws stay as without duplication
     */
    public InMemoryTransport(TaskScheduler scheduler, long seed, double loss, long minDelayMillis, long maxDelayMillis,
            double duplication) {
        if (loss < 0 || loss >= 1 || Double.isNaN(loss)) {
            throw new IllegalArgumentException("message loss must be in [0, 1), was " + loss);
        }
        if (duplication < 0 || duplication >= 1 || Double.isNaN(duplication)) {
            throw new IllegalArgumentException("message duplication must be in [0, 1), was " + duplication);
        }
        if (minDelayMillis < 0 || maxDelayMillis < minDelayMillis) {
            throw new IllegalArgumentException("message delay needs 0 <= min <= max, was " + minDelayMillis + ".."
                    + maxDelayMillis);
        }
        this.scheduler = scheduler;
        this.random = new Random(seed);
        this.loss = loss;
        this.duplication = duplication;
        this.minDelay = minDelayMillis;
        this.maxDelay = maxDelayMillis;
        this.virtual = scheduler instanceof VirtualScheduler v && minDelayMillis == 0 && maxDelayMillis == 0 ? v
                : null;
    }

    /**
     * @param host the host
     * @return its endpoint, created on first use (network up)
     */
    public Endpoint endpoint(String host) {
        return endpoints.computeIfAbsent(host, Endpoint::new);
    }

    /** @param observer sees every published event (the NOC's view), even when the broker is down */
    public void observeEvents(Consumer<CloudEvent> observer) {
        eventObservers.add(observer);
    }

    /**
     * @param host the host
     * @param up whether its network works
     */
    public void setNetwork(String host, boolean up) {
        endpoint(host).networkUp = up;
    }

    /** @param up whether the broker runs */
    public void setBroker(boolean up) {
        brokerUp = up;
    }

    /** @return whether the broker runs */
    public boolean brokerUp() {
        return brokerUp;
    }

    /** @return deliveries attempted */
    public long sent() {
        return sent;
    }

    /** @return deliveries lost or dropped */
    public long dropped() {
        return dropped;
    }

    /** @return deliveries that were sent a second time (each also counts in {@link #sent()}) */
    public long duplicated() {
        return duplicated;
    }

    private long delay() {
        return minDelay == maxDelay ? minDelay : minDelay + (long) (random.nextDouble() * (maxDelay - minDelay + 1));
    }

    private boolean lost() {
        return loss > 0 && random.nextDouble() < loss;
    }

    /** @return 2 if this delivery arrives twice, else 1 (drawn after {@link #lost()}) */
    private int copies() {
        if (duplication > 0 && random.nextDouble() < duplication) {
            sent++;
            duplicated++;
            return 2;
        }
        return 1;
    }

    private void broadcast(Endpoint from, Consumer<ClusterListener> message) {
        if (!brokerUp || !from.networkUp) {
            return;
        }
        List<Endpoint> batch = minDelay == maxDelay ? new ArrayList<>() : null;
        for (Endpoint to : endpoints.values()) {
            if (to == from || to.listener == null) {
                continue;
            }
            sent++;
            if (lost()) {
                dropped++;
                continue;
            }
            for (int c = copies(); c > 0; c--) {
                if (batch != null) {
                    batch.add(to);
                } else {
                    scheduler.schedule(delay(), () -> deliver(to, message));
                }
            }
        }
        if (batch != null && !batch.isEmpty()) {
            scheduler.schedule(minDelay, () -> {
                for (Endpoint to : batch) {
                    deliver(to, message);
                }
            });
        }
    }

    private void broadcastHeartbeat(Endpoint from, HostHeartbeat heartbeat) {
        if (virtual == null) {
            broadcast(from, l -> l.onHeartbeat(heartbeat));
            return;
        }
        if (!brokerUp || !from.networkUp) {
            return;
        }
        List<Endpoint> targets = new ArrayList<>(endpoints.size());
        for (Endpoint to : endpoints.values()) {
            if (to == from || to.listener == null) {
                continue;
            }
            sent++;
            if (lost()) {
                dropped++;
                continue;
            }
            for (int c = copies(); c > 0; c--) {
                targets.add(to);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        HeartbeatBatch b = pending;
        if (b == null || b.due != virtual.nowMillis() || b.seq != virtual.lastDueNow()) {
            // another task due now was scheduled since the open batch: joining it would reorder them
            b = new HeartbeatBatch(virtual.nowMillis());
            pending = b;
            virtual.schedule(0, b);
            b.seq = virtual.lastDueNow();
        }
        b.beats.add(heartbeat);
        b.targets.add(targets);
    }

    /**
     * The {@link HeartbeatBatch} is responsible for delivering the heartbeats published at one instant,
     * receiver by receiver.
     */
    private final class HeartbeatBatch implements Runnable {
        final long due;
        long seq;
        final List<HostHeartbeat> beats = new ArrayList<>();
        /** Per heartbeat, its receivers in host name order. */
        final List<List<Endpoint>> targets = new ArrayList<>();

        HeartbeatBatch(long due) {
            this.due = due;
        }

        @Override
        public void run() {
            if (pending == this) {
                pending = null;
            }
            int n = beats.size();
            // the statistics count one task per heartbeat, as without the batch
            virtual.countMerged(n - 1);
            int[] next = new int[n];
            for (Endpoint to : endpoints.values()) {
                for (int i = 0; i < n; i++) {
                    List<Endpoint> t = targets.get(i);
                    // a duplicated heartbeat lists its receiver twice in a row
                    while (next[i] < t.size() && t.get(next[i]) == to) {
                        next[i]++;
                        if (!brokerUp || !to.networkUp || to.listener == null) {
                            dropped++;
                        } else {
                            to.listener.onHeartbeat(beats.get(i));
                        }
                    }
                }
            }
        }
    }

    private void deliver(Endpoint to, Consumer<ClusterListener> message) {
        if (!brokerUp || !to.networkUp || to.listener == null) {
            dropped++;
            return;
        }
        message.accept(to.listener);
    }

    /**
     * The {@link Endpoint} is responsible for one host's attachment to the in-memory transport.
     *
     * @author vmha - Initial contribution
     */
    public final class Endpoint implements ClusterTransport {

        private final String host;
        private boolean networkUp = true;
        private ClusterListener listener;

        Endpoint(String host) {
            this.host = host;
        }

        /** @return the host */
        public String host() {
            return host;
        }

        @Override
        public void publishHeartbeat(HostHeartbeat heartbeat) {
            broadcastHeartbeat(this, heartbeat);
        }

        @Override
        public void publishTable(TableUpdate update) {
            broadcast(this, l -> l.onTable(update));
        }

        @Override
        public void publishEvent(CloudEvent event) {
            for (Consumer<CloudEvent> o : eventObservers) {
                o.accept(event);
            }
            broadcast(this, l -> l.onEvent(event));
        }

        @Override
        public void subscribe(ClusterListener l) {
            this.listener = l;
        }

        /** Detaches the listener (the host's agent stopped). */
        public void unsubscribe() {
            this.listener = null;
        }

        @Override
        public boolean brokerReachable() {
            return brokerUp && networkUp;
        }

        @Override
        public boolean isolationAddressReachable() {
            return networkUp;
        }
    }
}
