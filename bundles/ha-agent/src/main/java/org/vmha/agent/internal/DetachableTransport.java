/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link DetachableTransport} is responsible for keeping one host's agent running while the bundle that carries
 * its routes (camel-routes, the {@code ClusterTransportFactory}) is away, for example during
 * {@code bundle:restart org.vmha.ha-camel-routes} or a change of {@code org.vmha.messaging}. The agent holds this
 * transport for its whole life; the real one is attached when the factory is there and detached when it goes.
 * <p>
 * While detached the network channel is silent, exactly as if the broker were down: heartbeats and table updates are
 * dropped (both are sent again periodically), the broker counts as unreachable and the isolation address as
 * reachable (its probe lives in the routes bundle), so the agent never takes itself for isolated because of this.
 * The agent goes on renewing its leases and beating on the datastore, so no peer fails it over and no VM stops or
 * moves. Events are kept, up to {@value #MAX_HELD_EVENTS} (the oldest are dropped beyond), and published in order
 * when a transport is attached again. Listeners are remembered and subscribed on every transport attached.
 * <p>
 * <b>Threading:</b> thread-safe: the agent thread publishes while the DS thread attaches and detaches.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class DetachableTransport implements ClusterTransport {

    /** How many events are held while detached. */
    static final int MAX_HELD_EVENTS = 1000;

    private final List<ClusterListener> listeners = new ArrayList<>();
    private final ArrayDeque<CloudEvent> held = new ArrayDeque<>();
    private ClusterTransport current;
    private long droppedEvents;

    /**
     * @param transport attached from now on; its listeners are this agent's
     * @return how many held events could not be kept while detached (the oldest), 0 mostly
     */
    synchronized long attach(ClusterTransport transport) {
        current = transport;
        listeners.forEach(transport::subscribe);
        while (!held.isEmpty()) {
            transport.publishEvent(held.removeFirst());
        }
        long dropped = droppedEvents;
        droppedEvents = 0;
        return dropped;
    }

    /** @return the transport that was attached, for its factory to close; null if none was */
    synchronized ClusterTransport detach() {
        ClusterTransport t = current;
        current = null;
        return t;
    }

    /** @return whether a transport is attached */
    synchronized boolean attached() {
        return current != null;
    }

    @Override
    public synchronized void publishHeartbeat(HostHeartbeat heartbeat) {
        if (current != null) {
            current.publishHeartbeat(heartbeat);
        }
    }

    @Override
    public synchronized void publishTable(TableUpdate update) {
        if (current != null) {
            current.publishTable(update);
        }
    }

    @Override
    public synchronized void publishEvent(CloudEvent event) {
        if (current != null) {
            current.publishEvent(event);
            return;
        }
        if (held.size() == MAX_HELD_EVENTS) {
            held.removeFirst();
            droppedEvents++;
        }
        held.addLast(event);
    }

    @Override
    public synchronized void subscribe(ClusterListener listener) {
        listeners.add(listener);
        if (current != null) {
            current.subscribe(listener);
        }
    }

    @Override
    public synchronized boolean brokerReachable() {
        return current != null && current.brokerReachable();
    }

    @Override
    public synchronized boolean isolationAddressReachable() {
        return current == null || current.isolationAddressReachable();
    }

    @Override
    public synchronized void refused(String reason, String detail) {
        if (current != null) {
            current.refused(reason, detail);
        }
    }
}
