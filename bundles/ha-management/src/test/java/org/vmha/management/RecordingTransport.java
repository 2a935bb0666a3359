/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * A {@link ClusterTransport} that records what the management service publishes and refuses, and hands the
 * test the listener it subscribed, so a test can deliver heartbeats and tables itself.
 */
final class RecordingTransport implements ClusterTransport {

    final List<TableUpdate> tables = new CopyOnWriteArrayList<>();
    final List<CloudEvent> events = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();
    ClusterListener listener;

    @Override
    public void publishHeartbeat(HostHeartbeat heartbeat) {
    }

    @Override
    public void publishTable(TableUpdate update) {
        tables.add(update);
    }

    @Override
    public void publishEvent(CloudEvent event) {
        events.add(event);
    }

    @Override
    public void subscribe(ClusterListener l) {
        listener = l;
    }

    @Override
    public boolean brokerReachable() {
        return true;
    }

    @Override
    public boolean isolationAddressReachable() {
        return true;
    }

    @Override
    public void refused(String reason, String detail) {
        refused.add(reason + ": " + detail);
    }

    long refusedFor(String reason) {
        return refused.stream().filter(r -> r.startsWith(reason + ":")).count();
    }

    List<CloudEvent> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }
}
