/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.vmha.api.storage.StorageNames;
import org.vmha.core.event.CloudEventCodec;
import org.vmha.core.security.MessageAuthenticator;
import org.vmha.core.transport.ClusterMessageCodec;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.ClusterTransportFactory;

/**
 * The {@link CamelClusterTransports} are responsible for creating and closing the
 * {@link CamelClusterTransport}s of one CamelContext, one per host name.
 * <p>
 * <b>Threading:</b> thread-safe (synchronized).
 *
 * @author vmha - Initial contribution
 */
final class CamelClusterTransports implements ClusterTransportFactory, AutoCloseable {

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final Addresses addresses;
    private final ClusterMessageCodec codec = new ClusterMessageCodec();
    private final CloudEventCodec events;
    private final BooleanSupplier broker;
    private final BooleanSupplier isolation;
    private final Map<String, CamelClusterTransport> open = new TreeMap<>();
    private final Supplier<MessageAuthenticator> auth;
    private final InboundStats stats;

    CamelClusterTransports(CamelContext camel, ProducerTemplate producer, Addresses addresses, CloudEventCodec events,
            BooleanSupplier broker, BooleanSupplier isolation, Supplier<MessageAuthenticator> auth,
            InboundStats stats) {
        this.auth = auth;
        this.stats = stats;
        this.camel = camel;
        this.producer = producer;
        this.addresses = addresses;
        this.events = events;
        this.broker = broker;
        this.isolation = isolation;
    }

    @Override
    public synchronized ClusterTransport create(String host) {
        StorageNames.require("host", host);
        if (open.containsKey(host)) {
            throw new IllegalArgumentException("host " + host + " already has a transport on this node");
        }
        CamelClusterTransport t = new CamelClusterTransport(host, camel, producer, addresses, codec, events, broker,
                isolation, auth, stats);
        try {
            t.start();
        } catch (Exception e) {
            t.stop();
            throw new IllegalStateException("cannot start the routes of host " + host + ": " + e.getMessage(), e);
        }
        open.put(host, t);
        return t;
    }

    @Override
    public synchronized void close(ClusterTransport transport) {
        if (transport instanceof CamelClusterTransport t && open.get(t.host()) == t) {
            open.remove(t.host());
            t.stop();
        }
    }

    @Override
    public synchronized void close() {
        for (CamelClusterTransport t : new ArrayList<>(open.values())) {
            t.stop();
        }
        open.clear();
    }
}
