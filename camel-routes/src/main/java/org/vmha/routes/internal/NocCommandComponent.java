/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.vmha.api.audit.AuditLog;
import org.vmha.api.command.CommandHandler;
import org.vmha.core.command.CommandDispatcher;
import org.vmha.core.config.ConfigGuard;

/**
 * The {@link NocCommandComponent} is responsible for the NOC command endpoint: it adds the
 * {@link CommandRoutes} to the node's vmha CamelContext and keeps the dispatcher in step with the
 * {@link CommandHandler} services that bundles register (whiteboard). The route talks to the broker as the
 * management identity of {@code etc/org.vmha.commands.cfg} (role {@value NocCommandConfiguration#MANAGEMENT_ROLE},
 * the only role besides admin that may consume {@code ha.commands} and send replies), through a JMS component of its
 * own, {@value #COMPONENT}. Every request, served or refused, is recorded in the node's {@link AuditLog} with the
 * broker-validated user and the protocol it came by.
 *
 * @author vmha - Initial contribution
 */
@Component(immediate = true, service = {}, configurationPid = NocCommandConfiguration.PID)
@Designate(ocd = NocCommandConfiguration.class)
public final class NocCommandComponent {

    /** The Camel component name of the management identity's JMS connection. */
    static final String COMPONENT = "jmscmd";

    /** How long a reply waits for its tool in the reply queue before the broker drops it. */
    static final long REPLY_TTL_MS = 300_000;

    private final Logger logger = LoggerFactory.getLogger(NocCommandComponent.class);
    private final CommandDispatcher dispatcher = new CommandDispatcher(
            (command, e) -> logger.error("NOC command '{}' failed", command, e));
    private final CamelContext camel;
    private final boolean enabled;
    private CachingConnectionFactory connectionFactory;
    private CommandRoutes routes;
    private ScheduledExecutorService timer;

    @Activate
    public NocCommandComponent(@Reference(target = "(camel.context.name=vmha)") CamelContext camel,
            Map<String, Object> properties) throws Exception {
        this(camel, typed(properties, LoggerFactory.getLogger(NocCommandComponent.class)::error));
    }

    /**
     * @param properties the raw properties of {@value NocCommandConfiguration#PID}
     * @param errors told one line per malformed value (PID, key, value, the default used instead)
     * @return the typed configuration
     */
    static NocCommandConfiguration typed(Map<String, ?> properties, java.util.function.Consumer<String> errors) {
        return ConfigGuard.read(NocCommandConfiguration.class, properties,
                p -> errors.accept("Invalid configuration " + NocCommandConfiguration.PID + ": " + p));
    }

    NocCommandComponent(CamelContext camel, NocCommandConfiguration config) throws Exception {
        this.camel = camel;
        this.enabled = config.enabled();
        List<String> problems = new ArrayList<>();
        int max = (int) guard("maxRequestBytes", config.maxRequestBytes(), 256, 16_777_216,
                NocCommandConfiguration.DEFAULT_MAX_REQUEST_BYTES, problems);
        int maxReply = (int) guard("maxReplyBytes", config.maxReplyBytes(), 4096, 16_777_216,
                NocCommandConfiguration.DEFAULT_MAX_REPLY_BYTES, problems);
        int threads = (int) guard("slowThreads", config.slowThreads(), 1, 8,
                NocCommandConfiguration.DEFAULT_SLOW_THREADS, problems);
        int queue = (int) guard("slowQueue", config.slowQueue(), 0, 64, NocCommandConfiguration.DEFAULT_SLOW_QUEUE,
                problems);
        long timeout = guard("slowTimeoutMs", config.slowTimeoutMs(), 1000, 600_000,
                NocCommandConfiguration.DEFAULT_SLOW_TIMEOUT_MS, problems);
        String url = config.brokerUrl() == null ? "" : config.brokerUrl().trim();
        String defaultUrl = MessagingSettings.defaultBrokerUrl(System::getProperty, problems);
        if (url.isEmpty()) {
            url = defaultUrl;
        } else if (!MessagingSettings.isTcpUrl(url)) {
            problems.add("brokerUrl '" + url + "' is not a tcp://host:port URL; using " + defaultUrl);
            url = defaultUrl;
        }
        problems.forEach(p -> logger.error("Invalid configuration {}: {}", NocCommandConfiguration.PID, p));
        dispatcher.expect(org.vmha.api.command.CommandNames.MANAGEMENT,
                "the management service (component org.vmha.management, feature ha-management)");
        if (enabled) {
            connectionFactory = new CachingConnectionFactory(new ActiveMQConnectionFactory(url, config.username(),
                    config.password()));
            connectionFactory.setSessionCacheSize(4);
            camel.addComponent(COMPONENT, JmsComponent.jmsComponent(connectionFactory));
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vmha-commands-timer");
                t.setDaemon(true);
                return t;
            });
            String node = System.getProperty("karaf.name", "vmha");
            routes = new CommandRoutes(COMPONENT + ":queue:" + Addresses.COMMANDS, COMPONENT + ":queue:"
                    + Addresses.DEAD_LETTER, COMPONENT + ":topic:" + Addresses.EVENTS, COMPONENT + ":queue:"
                    + CommandRoutes.REPLIES_PREFIX + "reply?timeToLive=" + REPLY_TTL_MS, dispatcher,
                    new CommandRoutes.Settings(max, maxReply, threads, queue, timeout, REPLY_TTL_MS, node),
                    InboundStats.node(), CommandRoutes.slowExecutor(threads, Math.max(1, queue)), timer,
                    Clock.systemUTC());
            camel.addRoutes(routes);
            logger.info("vmha NOC commands served on this node as broker user {} (largest request {} bytes, reply {} "
                    + "bytes; plan and what-if on {} thread(s), {} s limit)", config.username(), max, maxReply, threads,
                    timeout / 1000);
        } else {
            logger.info("vmha NOC commands are not served on this node ({}: enabled=false)", NocCommandConfiguration.PID);
        }
    }

    private static long guard(String key, long value, long min, long max, long dflt, List<String> problems) {
        if (value < min || value > max) {
            problems.add(key + "=" + value + " is outside " + min + ".." + max + "; using " + dflt);
            return dflt;
        }
        return value;
    }

    @Deactivate
    void deactivate() throws Exception {
        if (!enabled) {
            return;
        }
        try {
            if (camel.getRoute("vmha.commands") != null) {
                camel.getRouteController().stopRoute("vmha.commands");
                camel.removeRoute("vmha.commands");
            }
            camel.removeComponent(COMPONENT);
        } finally {
            if (routes != null) {
                routes.close();
            }
            if (timer != null) {
                timer.shutdownNow();
            }
            if (connectionFactory != null) {
                connectionFactory.destroy();
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCommandHandler(CommandHandler<?, ?> handler) {
        dispatcher.register(handler);
    }

    void removeCommandHandler(CommandHandler<?, ?> handler) {
        dispatcher.unregister(handler);
    }

    /** Every request is recorded there: no NOC command is served unaudited (the component waits for the log). */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setAuditLog(AuditLog log) {
        dispatcher.audit(log);
    }

    void unsetAuditLog(AuditLog log) {
        // a greedy replacement was bound before; only the last one leaves the dispatcher without a log
        dispatcher.unaudit(log);
    }
}
