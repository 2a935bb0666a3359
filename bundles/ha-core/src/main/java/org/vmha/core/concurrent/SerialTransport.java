/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.concurrent;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link SerialTransport} is responsible for handing what a {@link ClusterTransport} delivers on its
 * consumer threads to the single thread an agent (or the management service) runs on, because those
 * are not thread-safe. Publishing and the reachability probes go straight through. Messages that
 * arrive after the executor shut down are dropped.
 * <p>
 * <b>Threading:</b> thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class SerialTransport implements ClusterTransport {

    private final ClusterTransport delegate;
    private final Executor serial;

    /**
     * @param delegate the transport that delivers on its own threads
     * @param serial the single thread the listener runs on
     */
    public SerialTransport(ClusterTransport delegate, Executor serial) {
        this.delegate = delegate;
        this.serial = serial;
    }

    @Override
    public void publishHeartbeat(HostHeartbeat heartbeat) {
        delegate.publishHeartbeat(heartbeat);
    }

    @Override
    public void publishTable(TableUpdate update) {
        delegate.publishTable(update);
    }

    @Override
    public void publishEvent(CloudEvent event) {
        delegate.publishEvent(event);
    }

    @Override
    public void subscribe(ClusterListener listener) {
        delegate.subscribe(new ClusterListener() {
            @Override
            public void onHeartbeat(HostHeartbeat heartbeat) {
                run(() -> listener.onHeartbeat(heartbeat));
            }

            @Override
            public void onTable(TableUpdate update) {
                run(() -> listener.onTable(update));
            }

            @Override
            public void onEvent(CloudEvent event) {
                run(() -> listener.onEvent(event));
            }
        });
    }

    private void run(Runnable r) {
        try {
            serial.execute(r);
        } catch (RejectedExecutionException e) {
            // the agent is stopping: the message is dropped, as on the network
        }
    }

    @Override
    public boolean brokerReachable() {
        return delegate.brokerReachable();
    }

    @Override
    public boolean isolationAddressReachable() {
        return delegate.isolationAddressReachable();
    }

    @Override
    public void refused(String reason, String detail) {
        delegate.refused(reason, detail);
    }
}
