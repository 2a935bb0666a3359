/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.transport.ClusterListener;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.TableUpdate;

/**
 * The {@link InboundGate} is responsible for what an agent or the management service accepts from the bus after
 * the transport has checked the HMAC and decoded the message: it wraps their {@link ClusterListener} and passes
 * on only
 * <ul>
 * <li>heartbeats of <b>known hosts</b>: for an agent, the hosts of its configuration ({@code peers}) and those the
 * management service names in its full tables ({@link TableUpdate#hosts()}, the inventory and {@code host-add});
 * for the management service, the hosts it has (inventory and {@code host-add}, not removed). An agent
 * configured with no peers that has not heard a management table yet knows no host and learns them from their
 * (authenticated) heartbeats, as before;</li>
 * <li>table updates with a <b>plausible version</b> ({@link TableVersions}): never negative nor above
 * {@link TableVersions#MAX_VERSION}, so no counter can overflow; at an agent a full table (the management
 * service's) is at most {@link TableVersions#MAX_STEP} (plus {@link TableVersions#STEP_PER_SECOND} a
 * second since) ahead of the highest full-table version it accepted; at the management service, after
 * {@link TableVersions#MANAGEMENT_BOOTSTRAP_MS} of catching up with the agents, no version it hears may be further
 * ahead than that of the highest it adopted, so nobody can push its counter where the agents would refuse its
 * tables.</li>
 * </ul>
 * What it refuses is dropped and reported to the transport ({@link ClusterTransport#refused}), which counts and
 * logs it.
 * <p>
 * <b>Threading:</b> not thread-safe; called on the listener's own serial thread, like the listener.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class InboundGate implements ClusterListener {

    private final ClusterListener target;
    private final ClusterTransport transport;
    private final Predicate<String> configured;
    private final boolean agent;
    private final boolean learning;
    private final TableVersions versions;
    private Set<String> managed = Set.of();

    private InboundGate(ClusterListener target, ClusterTransport transport, Predicate<String> configured, boolean agent,
            boolean learning, LongSupplier clock) {
        this.target = target;
        this.transport = transport;
        this.configured = configured;
        this.agent = agent;
        this.learning = learning;
        this.versions = agent ? new TableVersions(clock, TableVersions.MAX_VERSION, Long.MIN_VALUE)
                : new TableVersions(clock, TableVersions.MAX_HEARD, clock.getAsLong() + TableVersions.MANAGEMENT_BOOTSTRAP_MS);
    }

    /**
     * The gate of an agent.
     *
     * @param self the agent's host
     * @param hosts the hosts of its configuration (its peers and itself)
     * @param transport where refusals are reported
     * @param clock the agent's clock (milliseconds)
     * @param agent the agent
     * @return the listener to subscribe instead of the agent
     */
    public static InboundGate forAgent(String self, Collection<String> hosts, ClusterTransport transport,
            LongSupplier clock, ClusterListener agent) {
        Set<String> known = new TreeSet<>(hosts);
        known.add(self);
        return new InboundGate(agent, transport, known::contains, true, known.size() <= 1, clock);
    }

    /**
     * The gate of the management service.
     *
     * @param knownHost whether a host is in the cluster as the service knows it now
     * @param transport where refusals are reported
     * @param clock the service's clock (milliseconds)
     * @param management the service
     * @return the listener to subscribe instead of the service
     */
    public static InboundGate forManagement(Predicate<String> knownHost, ClusterTransport transport, LongSupplier clock,
            ClusterListener management) {
        return new InboundGate(management, transport, knownHost, false, false, clock);
    }

    @Override
    public void onHeartbeat(HostHeartbeat heartbeat) {
        String host = heartbeat.host();
        if (configured.test(host) || managed.contains(host) || (learning && managed.isEmpty())) {
            target.onHeartbeat(heartbeat);
        } else {
            transport.refused("unknown-host", "heartbeat of host " + SafeText.prefix(host, 40) + ", not in "
                    + (agent ? "this agent's peers nor the management service's hosts" : "the cluster"));
        }
    }

    @Override
    public void onTable(TableUpdate update) {
        String problem = versions.check(update.version(), !agent || update.full());
        if (problem != null) {
            transport.refused("table-version", "table update of " + SafeText.prefix(update.source(), 40) + " refused: "
                    + problem);
            return;
        }
        if (agent && update.full() && !update.hosts().isEmpty() && update.version() >= versions.highest()) {
            managed = update.hosts();
        }
        target.onTable(update);
    }

    @Override
    public void onEvent(CloudEvent event) {
        target.onEvent(event);
    }

    /** @return the hosts the management service named in the newest full table this gate let through */
    public Set<String> managedHosts() {
        return managed;
    }
}
