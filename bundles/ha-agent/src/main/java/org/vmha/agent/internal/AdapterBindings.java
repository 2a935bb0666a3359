/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.vmha.api.hypervisor.HypervisorAdapterFactory;
import org.vmha.api.storage.StorageAdapter;

/**
 * The {@link AdapterBindings} is responsible for deciding, as the agent's configuration and its adapters come and go,
 * whether one host's agent must stop, and whether it can start again and on which storage adapter and hypervisor
 * adapter factory: plain Java, without OSGi, so that a component (today {@link HostAgentComponent}) only carries the
 * decisions out.
 * <ul>
 * <li>the agent runs only while activated, with a host, a storage adapter, a factory that
 * {@linkplain HypervisorAdapterFactory#supportsType supports} the configured hypervisor type (the first bound such)
 * and a configuration that fits the storage adapter;</li>
 * <li>a storage adapter bound (another one swapped in) rebuilds the agent on it; the one in use unbound stops it;</li>
 * <li>a factory added starts an agent that waited for one and leaves a running agent alone; the factory in use
 * removed rebuilds the agent on another factory of the type, if any.</li>
 * </ul>
 * <p>
 * <b>Threading:</b> not thread-safe; the component calls it under its own lock.
 *
 * @author vmha - Initial contribution
 */
final class AdapterBindings {

    /** What to start: the agent on this factory's adapter and this storage adapter. */
    record Start(HypervisorAdapterFactory factory, StorageAdapter storage) {
    }

    /**
     * What the component does, in this order.
     *
     * @param why the event, for the log
     * @param stop stop the agent that runs
     * @param start then start one on these adapters, or null
     * @param waitsFor then, when nothing starts for lack of an adapter, what it waits for (for the log), or null
     * @param problems then, when nothing starts because the configuration does not fit the storage adapter, why
     */
    record Decision(String why, boolean stop, Start start, String waitsFor, List<String> problems) {

        Decision {
            problems = List.copyOf(problems);
        }

        static Decision nothing(String why) {
            return new Decision(why, false, null, null, List.of());
        }
    }

    private final Set<HypervisorAdapterFactory> factories = new LinkedHashSet<>();
    private StorageAdapter storage;
    private boolean active;
    private String host;
    private String hypervisorType;
    private Function<StorageAdapter, List<String>> fit = s -> List.of();
    /** the factory of the agent that runs (it was started and not yet told to stop), or null */
    private HypervisorAdapterFactory running;

    /**
     * @param host the agent's host, null when the configuration has none (nothing starts then)
     * @param hypervisorType the configured hypervisor type
     * @param fit what is wrong with the configuration on a storage adapter (its lease duration): empty if nothing
     * @return what to do
     */
    Decision activate(String host, String hypervisorType, Function<StorageAdapter, List<String>> fit) {
        this.host = host;
        this.hypervisorType = hypervisorType;
        this.fit = fit;
        active = true;
        return rebuild("activated");
    }

    Decision deactivate() {
        active = false;
        return stop("deactivated");
    }

    Decision storageBound(StorageAdapter s) {
        storage = s;
        return active ? rebuild("storage adapter " + s.type() + " bound") : Decision.nothing("storage adapter bound");
    }

    Decision storageUnbound(StorageAdapter s) {
        if (storage != s) {
            return Decision.nothing("another storage adapter went away");
        }
        storage = null;
        return stop("storage adapter " + s.type() + " went away");
    }

    Decision factoryAdded(HypervisorAdapterFactory f) {
        factories.add(f);
        return active && running == null ? rebuild("hypervisor adapter factory bound")
                : Decision.nothing("hypervisor adapter factory bound");
    }

    Decision factoryRemoved(HypervisorAdapterFactory f) {
        factories.remove(f);
        return running != null && running == f ? rebuild("hypervisor adapter factory went away")
                : Decision.nothing("another hypervisor adapter factory went away");
    }

    /** The component started the agent a decision asked for. */
    void started(Start start) {
        running = start.factory();
    }

    /** @return the storage adapter bound, or null */
    StorageAdapter storage() {
        return storage;
    }

    /** @return true while an agent runs (started, and no decision since told to stop it) */
    boolean running() {
        return running != null;
    }

    private Decision stop(String why) {
        boolean stop = running != null;
        running = null;
        return new Decision(why, stop, null, null, List.of());
    }

    private Decision rebuild(String why) {
        boolean stop = running != null;
        running = null;
        if (!active || host == null) {
            return new Decision(why, stop, null, null, List.of());
        }
        if (storage == null) {
            return new Decision(why, stop, null, "a storage adapter", List.of());
        }
        HypervisorAdapterFactory factory = null;
        for (HypervisorAdapterFactory f : factories) {
            if (f.supportsType(hypervisorType)) {
                factory = f;
                break;
            }
        }
        if (factory == null) {
            return new Decision(why, stop, null, "a hypervisor adapter factory of type " + hypervisorType, List.of());
        }
        List<String> problems = new ArrayList<>(fit.apply(storage));
        if (!problems.isEmpty()) {
            return new Decision(why, stop, null, null, problems);
        }
        return new Decision(why, stop, new Start(factory, storage), null, List.of());
    }
}
