/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link RecordingTransport} is responsible for standing in for the {@link ClusterTransport} of one
 * component under test (an agent, the management service, an {@code InboundGate}) when no other host is
 * needed: it records, in order, every heartbeat, table update and event the component publishes and every
 * refusal it reports through {@link #refused(String, String)}, and it hands the test the listener the
 * component subscribed ({@link #listener()}), so that the test delivers heartbeats, tables and events itself.
 * Nothing is sent anywhere and nothing is delivered unless the test does it; the broker and the isolation
 * address are always reachable. For a whole cluster's messaging use {@link InMemoryTransport}.
 * <p>
 * A refusal is recorded as {@code "<reason>: <detail>"}, so {@link #refusedFor(String)} counts those of one
 * reason, e.g. {@code unknown-host} or {@code table-version}.
 * <p>
 * <b>Threading:</b> thread-safe; the recorded lists are copy-on-write, so a test may read them while the
 * component publishes from its own thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class RecordingTransport implements ClusterTransport {

    private final List<HostHeartbeat> heartbeats = new CopyOnWriteArrayList<>();
    private final List<TableUpdate> tables = new CopyOnWriteArrayList<>();
    private final List<CloudEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private volatile ClusterListener listener;

    @Override
    public void publishHeartbeat(HostHeartbeat heartbeat) {
        heartbeats.add(heartbeat);
    }

    @Override
    public void publishTable(TableUpdate update) {
        tables.add(update);
    }

    @Override
    public void publishEvent(CloudEvent event) {
        events.add(event);
    }

    /** @param l kept for {@link #listener()}; replaces any earlier one, as on a real endpoint */
    @Override
    public void subscribe(ClusterListener l) {
        listener = l;
    }

    /** @return always true: this transport has no broker to lose */
    @Override
    public boolean brokerReachable() {
        return true;
    }

    /** @return always true: this transport has no network to lose */
    @Override
    public boolean isolationAddressReachable() {
        return true;
    }

    @Override
    public void refused(String reason, String detail) {
        refused.add(reason + ": " + detail);
    }

    /**
     * @return the listener the component subscribed last, for the test to deliver to
     * @throws IllegalStateException if nothing subscribed yet
     */
    public ClusterListener listener() {
        ClusterListener l = listener;
        if (l == null) {
            throw new IllegalStateException("nothing subscribed to this transport yet");
        }
        return l;
    }

    /** @return the heartbeats published so far, in order (a live, read-only view) */
    public List<HostHeartbeat> heartbeats() {
        return Collections.unmodifiableList(heartbeats);
    }

    /** @return the table updates published so far, full and delta, in order (a live, read-only view) */
    public List<TableUpdate> tables() {
        return Collections.unmodifiableList(tables);
    }

    /** @return the events published so far, in order (a live, read-only view) */
    public List<CloudEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /**
     * @param type a CloudEvent type, e.g. {@code EventTypes.TABLE_UPDATED}
     * @return the events of that type published so far, in order (a copy)
     */
    public List<CloudEvent> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    /** @return the refusals reported so far, each {@code "<reason>: <detail>"}, in order (a live, read-only view) */
    public List<String> refused() {
        return Collections.unmodifiableList(refused);
    }

    /**
     * @param reason a refusal reason, e.g. {@code unknown-host}
     * @return how many refusals of that reason were reported
     */
    public long refusedFor(String reason) {
        return refused.stream().filter(r -> r.startsWith(reason + ":")).count();
    }
}
