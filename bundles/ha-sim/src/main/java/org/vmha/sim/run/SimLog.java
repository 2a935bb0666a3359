/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.TreeMap;
import java.util.function.Consumer;

import org.vmha.api.event.CloudEvent;
import org.vmha.testkit.VirtualScheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link SimLog} is responsible for the record of one {@link Simulation}: the events (the agents'
 * CloudEvents as published and the simulator's own {@code sim.*} events) and the invariant violations, each
 * stamped with its virtual time, in the order they happened. It also hands every agent event to the
 * observers of {@link Simulation#onEvent} and {@link Simulation#onCloudEvent}.
 * <p>
 * <b>Threading:</b> single-threaded, on the simulator's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class SimLog {

    private final VirtualScheduler sched;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ArrayNode events = mapper.createArrayNode();
    private final ArrayNode violations = mapper.createArrayNode();
    private Simulation.EventProbe probe;
    private Consumer<CloudEvent> sink;

    /** @param sched the simulation's scheduler: its time stamps every entry */
    SimLog(VirtualScheduler sched) {
        this.sched = sched;
    }

    /** @param probe sees every agent event with its wall-clock publication time */
    void onEvent(Simulation.EventProbe probe) {
        this.probe = probe;
    }

    /** @param sink sees every agent event as published */
    void onCloudEvent(Consumer<CloudEvent> sink) {
        this.sink = sink;
    }

    /** @return the mapper of the output document */
    ObjectMapper mapper() {
        return mapper;
    }

    /** @return the events so far */
    ArrayNode events() {
        return events;
    }

    /** @return the violations so far */
    ArrayNode violations() {
        return violations;
    }

    /**
     * Records an agent's event with its data, after its observers have seen it.
     *
     * @param e the event as published
     */
    void published(CloudEvent e) {
        if (probe != null) {
            probe.published(e.type(), System.nanoTime());
        }
        if (sink != null) {
            sink.accept(e);
        }
        ObjectNode n = record(e.type(), e.source(), e.subject());
        n.set("data", mapper.valueToTree(new TreeMap<>(e.data())));
    }

    /**
     * Records an event now.
     *
     * @param type its type
     * @param source its source
     * @param subject its subject
     * @return the entry, to add its data to
     */
    ObjectNode record(String type, String source, String subject) {
        ObjectNode n = events.addObject();
        n.put("at", sched.nowMillis());
        n.put("type", type);
        n.put("source", source);
        n.put("subject", subject);
        return n;
    }

    /**
     * Records an injected hypervisor failure ({@code sim.host.hypervisor-failed}).
     *
     * @param host the host
     * @param op the operation that failed
     * @param lun the VM's volume
     * @param left failures of that operation still to come
     */
    void hypervisorFailed(String host, String op, String lun, int left) {
        ObjectNode ev = record("sim.host.hypervisor-failed", "scenario", host);
        ObjectNode data = ev.putObject("data");
        data.put("left", left);
        data.put("lun", lun);
        data.put("op", op);
    }

    /**
     * Records a violation of an invariant now.
     *
     * @param invariant the invariant's name
     * @param vm the VM concerned
     * @param detail what happened
     */
    void violation(String invariant, String vm, String detail) {
        ObjectNode n = violations.addObject();
        n.put("at", sched.nowMillis());
        n.put("invariant", invariant);
        n.put("vm", vm);
        n.put("detail", detail);
    }
}
