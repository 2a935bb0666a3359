/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.transport.ClusterTransport;

/**
 * The {@link HostEvents} is responsible for the CloudEvents one host's agent publishes: they are numbered in one
 * sequence ({@code <host>-<n>}, whichever part of the agent emits them), come from {@code /vmha/agent/<host>} and
 * carry the time of the host's clock.
 * <p>
 * <b>Threading:</b> not thread-safe; called on the agent's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class HostEvents {

    private final String host;
    private final LongSupplier clock;
    private final ClusterTransport transport;
    private long eventSeq;

    /**
     * @param host this host
     * @param clock the agent's clock, in milliseconds
     * @param transport where the events go
     */
    public HostEvents(String host, LongSupplier clock, ClusterTransport transport) {
        this.host = host;
        this.clock = clock;
        this.transport = transport;
    }

    /**
     * @param type the event type ({@link org.vmha.api.event.EventTypes})
     * @param subject the VM or host it is about
     * @param data its payload, in the order given
     */
    public void emit(String type, String subject, Map<String, Object> data) {
        long now = clock.getAsLong();
        transport.publishEvent(new CloudEvent(host + "-" + (++eventSeq), "/vmha/agent/" + host, type,
                Instant.ofEpochMilli(now), subject, Collections.unmodifiableMap(data)));
    }

    /**
     * @param k1 first key
     * @param v1 first value
     * @param k2 second key
     * @param v2 second value
     * @return a mutable payload holding both, in that order
     */
    public static Map<String, Object> data(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
