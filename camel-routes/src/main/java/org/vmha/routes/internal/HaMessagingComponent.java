/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.core.osgi.OsgiCamelContextPublisher;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventHistory;
import org.vmha.api.event.EventPublishException;
import org.vmha.api.event.EventPublisher;
import org.vmha.api.messaging.MessageRefusals;
import org.vmha.core.config.ConfigGuard;
import org.vmha.core.event.CloudEventCodec;
import org.vmha.core.event.EventJournal;
import org.vmha.core.event.EventRing;
import org.vmha.api.transport.ClusterTransport;
import org.vmha.api.transport.ClusterTransportFactory;

/**
 * The {@link HaMessagingComponent} is responsible for this node's connection to the broker and for the
 * CamelContext that carries every route. It is the {@link EventPublisher} of the node. A configuration
 * change re-creates the component, and so the connection and the routes.
 *
 * @author vmha - Initial contribution
 */
@Component(immediate = true, service = {EventPublisher.class, ClusterTransportFactory.class, EventHistory.class,
        MessageRefusals.class}, configurationPid = MessagingConfiguration.PID)
@Designate(ocd = MessagingConfiguration.class)
public final class HaMessagingComponent implements EventPublisher, ClusterTransportFactory, EventHistory,
        MessageRefusals {

    private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

    /** How many received events {@code ha:events} can show. */
    static final int EVENT_HISTORY = 2000;

    private final Logger logger = LoggerFactory.getLogger(HaMessagingComponent.class);

    private final CloudEventCodec codec = new CloudEventCodec();
    private final CachingConnectionFactory connectionFactory;
    private final OsgiDefaultCamelContext camel;
    private final ProducerTemplate producer;
    private final ReachabilityProbe probe;
    private final CamelClusterTransports transports;
    private final EventRing history;
    private final EventJournal journal;
    private final ClusterKeyHolder keys;
    private final InboundStats stats = InboundStats.node();

    @Activate
    public HaMessagingComponent(BundleContext bundleContext, Map<String, Object> properties) throws Exception {
        this(bundleContext, typed(properties, LoggerFactory.getLogger(HaMessagingComponent.class)::error));
    }

    /**
     * @param properties the raw properties of {@value MessagingConfiguration#PID}
     * @param errors told one line per malformed value (PID, key, value, the default used instead)
     * @return the typed configuration
     */
    static MessagingConfiguration typed(Map<String, ?> properties, java.util.function.Consumer<String> errors) {
        return ConfigGuard.read(MessagingConfiguration.class, properties,
                p -> errors.accept("Invalid configuration " + MessagingConfiguration.PID + ": " + p));
    }

    HaMessagingComponent(BundleContext bundleContext, MessagingConfiguration config) throws Exception {
        MessagingSettings settings = MessagingSettings.from(config, System::getProperty);
        settings.problems().forEach(p -> logger.error("Invalid configuration {}: {}", MessagingConfiguration.PID, p));

        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(settings.brokerUrl(), settings.username(),
                settings.password());
        connectionFactory = new CachingConnectionFactory(artemis);
        connectionFactory.setSessionCacheSize(10);

        camel = new OsgiDefaultCamelContext(bundleContext);
        camel.setName("vmha");
        // a route stopping while the broker is away must not hold a bundle refresh for Camel's default 45 s
        camel.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
        camel.getManagementStrategy().addEventNotifier(new OsgiCamelContextPublisher(bundleContext));
        JmsComponent jms = JmsComponent.jmsComponent(connectionFactory);
        jms.getConfiguration().setRecoveryInterval(settings.recoveryIntervalMs());
        camel.addComponent("jms", jms);
        // start() before addRoutes(): routes added to a context that is not started yet are silently never started
        camel.start();
        String version = bundleContext.getBundle().getVersion().toString();
        history = new EventRing(EVENT_HISTORY, e -> logger.warn("An ha:events follower failed: {}", e.toString()));
        List<String> journalProblems = new ArrayList<>();
        journal = journal(config, System.getProperty("karaf.data", "data"), journalProblems, logger::warn);
        journalProblems.forEach(p -> logger.error("Invalid configuration {}: {}", MessagingConfiguration.PID, p));
        history.restore(journal.read(EVENT_HISTORY));
        keys = new ClusterKeyHolder(clusterKeyFile(config), true);
        camel.addRoutes(new HaRoutes(Addresses.jms(), settings, codec, Clock.systemUTC(), version, e -> {
            history.add(e);
            journal.append(e);
        }, stats));
        producer = camel.createProducerTemplate();

        List<String> problems = new ArrayList<>();
        InetSocketAddress broker = ReachabilityProbe.brokerAddress(settings.brokerUrl());
        InetSocketAddress isolation = ReachabilityProbe.isolationAddress(config.isolationAddress(), broker, problems);
        long probeInterval = config.probeIntervalMs();
        if (probeInterval < 100 || probeInterval > 60_000) {
            problems.add("probeIntervalMs " + probeInterval + " is outside 100..60000; using "
                    + MessagingConfiguration.DEFAULT_PROBE_INTERVAL_MS);
            probeInterval = MessagingConfiguration.DEFAULT_PROBE_INTERVAL_MS;
        }
        problems.forEach(p -> logger.error("Invalid configuration {}: {}", MessagingConfiguration.PID, p));
        probe = new ReachabilityProbe(broker, isolation, probeInterval, "vmha-broker-probe");
        transports = new CamelClusterTransports(camel, producer, Addresses.jms(), codec, probe::brokerReachable,
                probe::isolationAddressReachable, keys::authenticator, stats);
        logger.info("vmha messaging started for node {} on broker {} as user {}", settings.nodeName(),
                settings.brokerUrl(), settings.username());
    }

    /**
     * @param config the settings
     * @param karafData the node's data directory, the default's parent
     * @param problems told one line per setting out of range (the default is used instead)
     * @param warnings the journal's warnings
     * @return the node's event journal
     */
    static EventJournal journal(MessagingConfiguration config, String karafData, List<String> problems,
            java.util.function.Consumer<String> warnings) {
        String dir = config.eventHistoryDirectory() == null ? "" : config.eventHistoryDirectory().trim();
        long bytes = config.eventHistoryFileBytes();
        if (bytes < 1024 || bytes > 1L << 30) {
            problems.add("eventHistoryFileBytes " + bytes + " is outside 1024..1073741824; using "
                    + MessagingConfiguration.DEFAULT_EVENT_HISTORY_FILE_BYTES);
            bytes = MessagingConfiguration.DEFAULT_EVENT_HISTORY_FILE_BYTES;
        }
        int files = config.eventHistoryFiles();
        if (files < 1 || files > 100) {
            problems.add("eventHistoryFiles " + files + " is outside 1..100; using "
                    + MessagingConfiguration.DEFAULT_EVENT_HISTORY_FILES);
            files = MessagingConfiguration.DEFAULT_EVENT_HISTORY_FILES;
        }
        java.nio.file.Path path = dir.isEmpty() ? java.nio.file.Paths.get(karafData, "vmha", "events")
                : java.nio.file.Paths.get(dir);
        return new EventJournal(path, bytes, files, new CloudEventCodec(), warnings);
    }

    static java.nio.file.Path clusterKeyFile(MessagingConfiguration config) {
        String f = config.clusterKeyFile() == null ? "" : config.clusterKeyFile().trim();
        return f.isEmpty() ? java.nio.file.Paths.get(System.getProperty("karaf.etc", "etc"), "vmha-cluster.key")
                : java.nio.file.Paths.get(f);
    }

    @Deactivate
    void deactivate() {
        transports.close();
        probe.close();
        keys.close();
        journal.close();
        try {
            producer.stop();
            camel.stop();
        } catch (RuntimeException e) {
            logger.warn("Stopping the vmha CamelContext failed: {}", e.getMessage(), e);
        } finally {
            connectionFactory.destroy();
        }
    }

    @Override
    public ClusterTransport create(String host) {
        return transports.create(host);
    }

    @Override
    public void close(ClusterTransport transport) {
        transports.close(transport);
    }

    @Override
    public void publish(CloudEvent event) {
        try {
            producer.sendBody(HaRoutes.PUBLISH_ENDPOINT, codec.encode(event));
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new EventPublishException("could not publish event " + event.type() + " " + event.id() + ": "
                    + cause.getMessage(), cause);
        }
    }

    @Override
    public List<CloudEvent> recent(int max, String type) {
        return history.recent(max, type);
    }

    @Override
    public AutoCloseable follow(String type, java.util.function.Consumer<CloudEvent> listener) {
        return history.follow(type, listener);
    }

    @Override
    public long received() {
        return history.received();
    }

    @Override
    public java.util.SortedMap<String, Long> counts() {
        return stats.counts();
    }
}
