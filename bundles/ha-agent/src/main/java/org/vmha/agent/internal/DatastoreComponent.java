/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.api.storage.StorageAdapterFactory;
import org.vmha.core.concurrent.NamedThreads;

/**
 * The {@link DatastoreComponent} is responsible for the node's datastore service: it runs a {@link DatastoreBinding}
 * on the {@link StorageAdapterFactory} services of the configured type (pid {@value #PID}, key {@code type}, default
 * {@value #DEFAULT_TYPE}) and registers the adapter it creates as the node's {@link StorageAdapter} service (property
 * {@code storage.type}), which the agents, the management service and the shell use. Stopping the adapter bundle
 * withdraws the service and closes the adapter; starting it (or another bundle of the type) offers a new one.
 * <p>
 * <b>Threading:</b> everything runs on the thread {@code vmha-datastore}; SCR callbacks only hand work to it.
 *
 * @author vmha - Initial contribution
 */
// registered programmatically (once a factory made the adapter): say so to the resolver, which the consumers'
// DS references require
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"org.vmha.api.storage.StorageAdapter\"", effective = "active")
@Component(configurationPid = DatastoreComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = DatastoreComponent.Config.class)
public final class DatastoreComponent {

    /** The configuration pid. */
    public static final String PID = "org.vmha.datastore";
    /** The storage adapter type used without a configuration. */
    public static final String DEFAULT_TYPE = "sharedfs";
    private static final long RETRY_MILLIS = 5000;

    /** The datastore's configuration. */
    @ObjectClassDefinition(id = PID, name = "%datastore.name", description = "%datastore.description",
            localization = "OSGI-INF/l10n/datastore")
    public @interface Config {

        /** @return the storage adapter type, as its factory's {@code supportsType} accepts it */
        @AttributeDefinition(name = "%datastore.type.name", description = "%datastore.type.description")
        String type() default DEFAULT_TYPE;
    }

    private final Logger logger = LoggerFactory.getLogger(DatastoreComponent.class);
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            new NamedThreads("vmha-datastore", false, logger));
    private volatile DatastoreBinding binding;
    /** factories bound before activation */
    private final List<StorageAdapterFactory> early = new ArrayList<>();

    @Activate
    void activate(BundleContext context, Config config) {
        String type = config.type() == null || config.type().isBlank() ? DEFAULT_TYPE : config.type().trim();
        DatastoreBinding b = new DatastoreBinding(type, executor, Clock.systemUTC(), new DatastoreBinding.Registrar() {
            @Override
            public Object offer(StorageAdapter adapter, String t) {
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("storage.type", t);
                props.put("storage.location", adapter.location());
                return context.registerService(StorageAdapter.class, adapter, props);
            }

            @Override
            public void withdraw(Object handle) {
                try {
                    ((ServiceRegistration<?>) handle).unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            }
        }, logger::info, logger::error, RETRY_MILLIS);
        synchronized (early) {
            binding = b;
            early.forEach(b::factoryAdded);
            early.clear();
        }
    }

    @Deactivate
    void deactivate() {
        DatastoreBinding b = binding;
        binding = null;
        if (b != null) {
            b.close();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                logger.warn("datastore: the adapter did not close within 30 s");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFactory(StorageAdapterFactory f) {
        synchronized (early) {
            DatastoreBinding b = binding;
            if (b == null) {
                early.add(f);
            } else {
                b.factoryAdded(f);
            }
        }
    }

    void removeFactory(StorageAdapterFactory f) {
        synchronized (early) {
            early.remove(f);
            DatastoreBinding b = binding;
            if (b != null) {
                b.factoryRemoved(f);
            }
        }
    }
}
