/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.core.inventory.Inventory;
import org.vmha.core.inventory.InventoryCodec;
import org.vmha.core.plan.AlternateHostPlanner;
import org.vmha.core.concurrent.NamedThreads;
import org.vmha.core.concurrent.SerialTransport;
import org.vmha.api.time.ExecutorTaskScheduler;
import org.vmha.management.ManagementService;
import org.vmha.management.ManagementStateStore;
import org.vmha.management.StateKeeper;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.ClusterTransportFactory;

/**
 * The {@link ManagementComponent} is responsible for running the {@link ManagementService} of the
 * cluster on this node (component and pid {@value ManagementConfiguration#PID}). On activation it reads
 * the inventory (ha-plan format, default {@value ManagementConfiguration#DEFAULT_INVENTORY}), provisions
 * through the storage SPI every VM's volume and VMX that is missing, and starts the service with a
 * table built from the inventory and the leases:
 * <ul>
 * <li>a VM whose lease a host holds is {@code RUNNING} there at the lease's generation;</li>
 * <li>a powered-on VM nobody holds is {@code STARTING} on its inventory host ({@code FAILING_OVER} if its
 * volume has a checkpoint: it ran before the whole cluster went down, and resumes). The agent of that host
 * finds, in the table it receives on {@code ha.table}, a protected VM placed on itself that its
 * hypervisor does not run, and starts it (lease, then resume from the latest checkpoint or boot) — the
 * same path an agent takes for its own VMs after a restart. So the power-on request travels over the
 * bus, never in-process;</li>
 * <li>any other VM is {@code POWERED_OFF}.</li>
 * </ul>
 * What the service kept before it stopped ({@code ${karaf.data}/vmha/management/state.json},
 * {@link org.vmha.management.ManagementState}) comes on top: the hosts operators added and removed, maintenance mode,
 * pins, its table's settings, and the table version its first full table goes out above.
 * The service is optional: agents keep failing over on their replicas while it is stopped
 * ({@code scr:disable org.vmha.management}).
 * <p>
 * While it runs it registers the operators' commands of {@link ManagementCommands} as
 * {@link CommandHandler} services (property {@value #COMMAND_PROPERTY}), for the NOC command endpoint and the
 * shell, and checks power-ons and migrations against the {@link AdmissionPolicy} service when one is
 * present.
 * <p>
 * <b>Threading:</b> the service runs on the named thread {@code vmha-management}.
 *
 * @author vmha - Initial contribution
 */
@Component(name = ManagementConfiguration.PID, configurationPid = ManagementConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = ManagementConfiguration.class)
public final class ManagementComponent {

    /** Service property naming the command of a registered {@link CommandHandler}. */
    public static final String COMMAND_PROPERTY = "vmha.command";

    /** The file of the service's {@link org.vmha.management.ManagementState}, in its directory. */
    static final String STATE_FILE = "state.json";

    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private final Logger logger = LoggerFactory.getLogger(ManagementComponent.class);

    @Reference
    private ClusterTransportFactory transports;

    @Reference(policyOption = ReferencePolicyOption.GREEDY)
    private StorageAdapter storage;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AdmissionPolicy admission;

    private final List<ServiceRegistration<CommandHandler>> commands = new ArrayList<>();
    private ScheduledExecutorService thread;
    private ClusterTransport transport;
    private ManagementService service;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        ManagementSettings settings = ManagementSettings.from(properties, logger::error);
        long interval = settings.intervalMillis();
        long timeout = settings.failureTimeoutMillis();
        int republish = settings.republishEvery();
        int restarts = settings.maxConcurrentRestartsPerHost();

        Path file = Paths.get(InventoryProvisioner.resolve(settings.inventory(), System::getProperty));
        Inventory inventory = readInventory(file);
        if (inventory == null) {
            return;
        }

        FailoverTable table = InventoryProvisioner.provision(storage, inventory, Clock.systemUTC().millis(), logger);
        SortedMap<String, ResourceVector> hosts = new TreeMap<>();
        for (Host h : inventory.hosts()) {
            if (h.state() != HostState.REMOVED) {
                hosts.put(h.name(), h.capacity());
            }
        }
        thread = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                new NamedThreads("vmha-management", false, logger));
        transport = transports.create(ManagementService.SOURCE);
        service = new ManagementService(new SerialTransport(transport, thread),
                new ExecutorTaskScheduler(Clock.systemUTC(), thread), new AlternateHostPlanner(restarts), interval,
                timeout, republish, table, hosts, new StateKeeper(ManagementStateStore.file(stateFile()), logger::error));
        service.admission(() -> admission);
        thread.execute(NamedThreads.logging(service::start, logger, "management start"));
        for (CommandHandler<?, ?> h : ManagementCommands.handlers(this::onManagement, () -> admission, () -> storage,
                System::currentTimeMillis)) {
            java.util.Dictionary<String, Object> props = new java.util.Hashtable<>();
            props.put(COMMAND_PROPERTY, h.name());
            commands.add(context.registerService(CommandHandler.class, h, props));
        }
        logger.info("Management service started from {}: {} hosts, {} VMs", file, hosts.size(), table.entries().size());
    }

    /** @return where the service keeps its state: {@code ${karaf.data}/vmha/management/state.json} */
    static Path stateFile() {
        return Paths.get(System.getProperty("karaf.data", "data"), "vmha", "management", STATE_FILE);
    }

    /** @return the inventory, or null when it cannot be read (the reason is logged) */
    private Inventory readInventory(Path file) {
        try {
            return new InventoryCodec().parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            logger.error("Management service not started: inventory {} does not exist", file);
        } catch (IOException e) {
            logger.error("Management service not started: cannot read inventory {}: {}", file, e.getMessage());
        } catch (IllegalArgumentException e) {
            logger.error("Management service not started: inventory {}: {}", file, e.getMessage());
        }
        return null;
    }

    private <T> T onManagement(java.util.function.Function<ManagementService, T> work) {
        ManagementService s = service;
        try {
            return thread.submit(() -> work.apply(s)).get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c.toString(), c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CommandException(CommandException.UNAVAILABLE, "the management service did not answer within "
                    + COMMAND_TIMEOUT_SECONDS + " s");
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new CommandException(CommandException.UNAVAILABLE, "the management service is stopping");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(CommandException.UNAVAILABLE, "interrupted while asking the management service");
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<CommandHandler> r : commands) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        commands.clear();
        if (service != null) {
            ManagementService s = service;
            thread.execute(s::stop);
        }
        if (transport != null) {
            transports.close(transport);
        }
        if (thread != null) {
            thread.shutdown();
            try {
                if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                    thread.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                thread.shutdownNow();
            }
        }
        logger.info("Management service stopped; agents fail over on their replicas");
    }
}
