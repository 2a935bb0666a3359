/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ReachabilityProbe} is responsible for knowing, without ever blocking a caller, whether the
 * broker and the isolation address answer: a named background thread opens a TCP connection to each
 * every interval (with a timeout) and keeps the last outcome in volatile flags. Both count as reachable
 * until the first probe says otherwise, so that a node that just started does not believe itself
 * isolated.
 * <p>
 * <b>Threading:</b> thread-safe; the getters return at once.
 *
 * @author vmha - Initial contribution
 */
final class ReachabilityProbe implements AutoCloseable {

    private final InetSocketAddress broker;
    private final InetSocketAddress isolation;
    private final int timeoutMillis;
    private final ScheduledExecutorService executor;
    private volatile boolean brokerUp = true;
    private volatile boolean isolationUp = true;

    /**
     * @param broker the broker's host and port
     * @param isolation the isolation address's host and port
     * @param intervalMillis probe period
     * @param threadName name of the probe thread
     */
    ReachabilityProbe(InetSocketAddress broker, InetSocketAddress isolation, long intervalMillis, String threadName) {
        this.broker = broker;
        this.isolation = isolation;
        this.timeoutMillis = (int) Math.max(50, Math.min(intervalMillis, 2000));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::probe, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void probe() {
        brokerUp = answers(broker);
        isolationUp = isolation.equals(broker) ? brokerUp : answers(isolation);
    }

    private boolean answers(InetSocketAddress target) {
        InetSocketAddress resolved = target.isUnresolved()
                ? new InetSocketAddress(target.getHostString(), target.getPort()) : target;
        try (Socket s = new Socket()) {
            s.connect(resolved, timeoutMillis);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** @return true while the last probe reached the broker */
    boolean brokerReachable() {
        return brokerUp;
    }

    /** @return true while the last probe reached the isolation address */
    boolean isolationAddressReachable() {
        return isolationUp;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * @param brokerUrl a {@code tcp://host:port} URL
     * @return its host and port (unresolved)
     */
    static InetSocketAddress brokerAddress(String brokerUrl) {
        try {
            URI uri = new URI(brokerUrl);
            return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker URL '" + brokerUrl + "' is not a URI: " + e.getMessage(), e);
        }
    }

    /**
     * @param configured {@code host:port}, or empty for the broker's
     * @param broker the broker's address
     * @param problems where a bad value is reported (and the broker's address used)
     * @return the isolation address
     */
    static InetSocketAddress isolationAddress(String configured, InetSocketAddress broker, List<String> problems) {
        String v = configured == null ? "" : configured.trim();
        if (v.isEmpty()) {
            return broker;
        }
        int colon = v.lastIndexOf(':');
        if (colon > 0 && colon < v.length() - 1) {
            try {
                int port = Integer.parseInt(v.substring(colon + 1));
                if (port >= 1 && port <= 65535) {
                    return InetSocketAddress.createUnresolved(v.substring(0, colon), port);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add("isolationAddress '" + v + "' is not host:port; using the broker " + broker.getHostString() + ":"
                + broker.getPort());
        return broker;
    }
}
