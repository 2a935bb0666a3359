/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.sim.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorAdapterFactory;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.hypervisor.sim.SimulatedHypervisor;
import org.vmha.api.time.ExecutorTaskScheduler;

/**
 * The {@link SimHypervisorAdapterFactory} is responsible for creating {@link SimulatedHypervisor}s
 * (type {@value SimulatedHypervisor#TYPE}) for the agents of simulated hosts, on wall-clock time: the
 * periodic checkpoints run on a named scheduler thread owned by this component and shut down in
 * {@code @Deactivate}.
 * <p>
 * Settings come from pid {@value SimHypervisorConfiguration#PID}; a bad configured value (not a whole number,
 * or out of range) is logged as one line naming pid, key, value and the default used instead. Keys in a
 * {@link #create} configuration map ({@code bootDelayMillis}, {@code checkpointIntervalMillis},
 * {@code counterTickMillis}, {@code capacity.<resource>}) override them; a bad one is refused with an
 * {@link IllegalArgumentException} naming it, because the caller passed it.
 * <p>
 * <b>Threading:</b> thread-safe; {@link #create} returns at once.
 *
 * @author vmha - Initial contribution
 */
@Component(service = HypervisorAdapterFactory.class, configurationPid = SimHypervisorConfiguration.PID,
        property = "hypervisor.type=" + SimulatedHypervisor.TYPE)
@Designate(ocd = SimHypervisorConfiguration.class)
public class SimHypervisorAdapterFactory implements HypervisorAdapterFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SimHypervisorAdapterFactory.class);

    private final ScheduledExecutorService executor;
    private volatile SimulatedHypervisor.Settings defaults;
    private final List<SimulatedHypervisor> created = new ArrayList<>();

    /**
     * @param properties the raw properties of pid {@value SimHypervisorConfiguration#PID}, read by
     *        {@link #configured} (a malformed value is one error line and its default)
     */
    @Activate
    public SimHypervisorAdapterFactory(Map<String, Object> properties) {
        AtomicInteger n = new AtomicInteger();
        int threads = (int) configured(properties, "schedulerThreads",
                SimHypervisorConfiguration.DEFAULT_SCHEDULER_THREADS, 1, 16, LOG::error);
        this.executor = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "vmha-hypervisor-sim-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        modified(properties);
    }

    /** @param properties the new configuration's properties; apply to adapters created from now on */
    @Modified
    public void modified(Map<String, Object> properties) {
        defaults = settings(properties, LOG::error);
    }

    /**
     * @param properties the raw properties of pid {@value SimHypervisorConfiguration#PID} (null: all defaults)
     * @param errors told one line per malformed or out-of-range value
     * @return the adapters' default settings, every bad value replaced by its metatype default
     */
    static SimulatedHypervisor.Settings settings(Map<String, ?> properties, Consumer<String> errors) {
        return new SimulatedHypervisor.Settings(
                configured(properties, "bootDelayMillis", SimHypervisorConfiguration.DEFAULT_BOOT_DELAY_MILLIS, 0,
                        600_000, errors),
                configured(properties, "checkpointIntervalMillis",
                        SimHypervisorConfiguration.DEFAULT_CHECKPOINT_INTERVAL_MILLIS, 0, 3_600_000, errors),
                configured(properties, "counterTickMillis", SimHypervisorConfiguration.DEFAULT_COUNTER_TICK_MILLIS, 1,
                        3_600_000, errors));
    }

    /** Stops every adapter created and the scheduler thread. */
    @Deactivate
    public void deactivate() {
        synchronized (created) {
            for (SimulatedHypervisor h : created) {
                h.close();
            }
            created.clear();
        }
        executor.shutdownNow();
    }

    /**
     * The adapter's own small guard (an adapter depends on ha-api only, so it does not use ha-core's
     * {@code ConfigGuard}): a whole number in {@code min..max}, else one error line naming the pid, the key, the
     * value and the default, and the default.
     */
    static long configured(Map<String, ?> properties, String key, long dflt, long min, long max,
            Consumer<String> errors) {
        Object raw = properties == null ? null : properties.get(key);
        if (raw == null) {
            return dflt;
        }
        String problem;
        try {
            long v = raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte
                    ? ((Number) raw).longValue() : Long.parseLong(raw.toString().trim());
            if (v >= min && v <= max) {
                return v;
            }
            problem = "is outside " + min + ".." + max;
        } catch (NumberFormatException e) {
            problem = "is not a whole number";
        }
        String shown = raw instanceof String t ? "'" + (t.length() > 80 ? t.substring(0, 80) + "..." : t) + "'"
                : String.valueOf(raw);
        errors.accept("Invalid configuration " + SimHypervisorConfiguration.PID + ": " + key + " = "
                + shown.replaceAll("\\p{Cntrl}", "?") + " " + problem + "; using the default " + dflt);
        return dflt;
    }

    @Override
    public boolean supportsType(String type) {
        return SimulatedHypervisor.TYPE.equals(type);
    }

    @Override
    public HypervisorAdapter create(String type, String host, Map<String, Object> configuration,
            StorageAdapter storage, Clock clock) {
        if (!supportsType(type)) {
            throw new IllegalArgumentException("hypervisor type '" + type + "' is not supported by this factory, only '"
                    + SimulatedHypervisor.TYPE + "'");
        }
        if (host == null || host.isBlank() || storage == null || clock == null) {
            throw new IllegalArgumentException("a simulated hypervisor needs a host, a storage adapter and a clock");
        }
        Map<String, Object> c = configuration == null ? Map.of() : configuration;
        SimulatedHypervisor.Settings d = defaults;
        SimulatedHypervisor.Settings s = new SimulatedHypervisor.Settings(
                number(c, "bootDelayMillis", d.bootDelayMillis(), 0),
                number(c, "checkpointIntervalMillis", d.checkpointIntervalMillis(), 0),
                number(c, "counterTickMillis", d.counterTickMillis(), 1));
        TreeMap<String, Long> cap = new TreeMap<>();
        for (Map.Entry<String, Object> e : new TreeMap<>(c).entrySet()) {
            if (e.getKey().startsWith("capacity.")) {
                cap.put(e.getKey().substring("capacity.".length()), number(c, e.getKey(), 0, 0));
            }
        }
        SimulatedHypervisor h = new SimulatedHypervisor(host, new ResourceVector(cap), storage,
                new ExecutorTaskScheduler(clock, executor), s, null);
        synchronized (created) {
            created.add(h);
        }
        LOG.info("simulated hypervisor for host {} created: {}", host, s);
        return h;
    }

    private static long number(Map<String, Object> c, String key, long dflt, long min) {
        Object v = c.get(key);
        if (v == null) {
            return dflt;
        }
        long l;
        try {
            l = v instanceof Number ? ((Number) v).longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("simulated hypervisor setting " + key + " must be an integer, was '" + v
                    + "'", e);
        }
        if (l < min) {
            throw new IllegalArgumentException("simulated hypervisor setting " + key + " must be >= " + min + ", was "
                    + l);
        }
        return l;
    }
}
