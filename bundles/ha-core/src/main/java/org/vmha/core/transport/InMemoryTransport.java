/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.core.time.TaskScheduler;

/**
 * The {@link InMemoryTransport} is responsible for a whole cluster's messaging in one JVM: one
 * {@link #endpoint(String) endpoint} per host, message loss with a given probability and delivery
 * delay between a minimum and a maximum, drawn from a seeded {@link Random} so that a run is
 * reproducible. A host's network can be switched off (it neither sends nor receives and its isolation
 * probe fails), and so can the broker (nobody sends or receives, isolation probes still answer).
 * <p>
 * Receivers are visited in host name order; a message is delivered by a task on the
 * {@link TaskScheduler} after its delay, and dropped if the receiver or the broker went down
 * meanwhile.
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
    private final long minDelay;
    private final long maxDelay;
    private final Map<String, Endpoint> endpoints = new TreeMap<>();
    private final List<Consumer<CloudEvent>> eventObservers = new ArrayList<>();
    private boolean brokerUp = true;
    private long sent;
    private long dropped;

    /**
     * @param scheduler time for delivery delays
     * @param seed seed of the loss and delay draws
     * @param loss probability in [0, 1) that one delivery is lost
     * @param minDelayMillis minimum delivery delay
     * @param maxDelayMillis maximum delivery delay, at least the minimum
     */
    public InMemoryTransport(TaskScheduler scheduler, long seed, double loss, long minDelayMillis, long maxDelayMillis) {
        if (loss < 0 || loss >= 1 || Double.isNaN(loss)) {
            throw new IllegalArgumentException("message loss must be in [0, 1), was " + loss);
        }
        if (minDelayMillis < 0 || maxDelayMillis < minDelayMillis) {
            throw new IllegalArgumentException("message delay needs 0 <= min <= max, was " + minDelayMillis + ".."
                    + maxDelayMillis);
        }
        this.scheduler = scheduler;
        this.random = new Random(seed);
        this.loss = loss;
        this.minDelay = minDelayMillis;
        this.maxDelay = maxDelayMillis;
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

    private long delay() {
        return minDelay == maxDelay ? minDelay : minDelay + (long) (random.nextDouble() * (maxDelay - minDelay + 1));
    }

    private boolean lost() {
        return loss > 0 && random.nextDouble() < loss;
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
            if (batch != null) {
                batch.add(to);
            } else {
                scheduler.schedule(delay(), () -> deliver(to, message));
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
            broadcast(this, l -> l.onHeartbeat(heartbeat));
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
