/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.broker.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.messaging.DeadLetters;
import org.vmha.core.config.ConfigGuard;
import org.vmha.core.security.SafeText;

/**
 * The {@link BrokerGuardComponent} is responsible for the embedded broker's side of vmha's message limits: it
 * registers the {@link MessageSizePlugin} with the broker the {@code artemis} feature runs (its
 * {@link ActiveMQServer} service) and unregisters it when either goes, and it is the {@link DeadLetters} service of
 * the broker's {@code DLQ}, which {@code ha:dlq} lists and purges.
 *
 * @author vmha - Initial contribution
 */
@Component(immediate = true, configurationPid = BrokerLimitsConfiguration.PID, service = DeadLetters.class)
@Designate(ocd = BrokerLimitsConfiguration.class)
public final class BrokerGuardComponent implements DeadLetters {

    static final String DLQ = "DLQ";

    private final Logger logger = LoggerFactory.getLogger(BrokerGuardComponent.class);
    private final ActiveMQServer server;
    private final MessageSizePlugin plugin;

    @Activate
    public BrokerGuardComponent(@Reference ActiveMQServer server, Map<String, Object> properties) {
        this(server, typed(properties));
    }

    /**
     * @param properties the raw properties of {@value BrokerLimitsConfiguration#PID}
     * @return the typed configuration; a malformed value is one error line and its default
     */
    static BrokerLimitsConfiguration typed(Map<String, ?> properties) {
        return ConfigGuard.read(BrokerLimitsConfiguration.class, properties,
                p -> LoggerFactory.getLogger(BrokerGuardComponent.class).error("Invalid configuration {}: {}",
                        BrokerLimitsConfiguration.PID, p));
    }

    BrokerGuardComponent(ActiveMQServer server, BrokerLimitsConfiguration config) {
        this.server = server;
        BrokerLimits limits = BrokerLimits.parse(config.maxBytes(), config.defaultMaxBytes());
        limits.problems().forEach(p -> logger.error("Invalid configuration {}: {}", BrokerLimitsConfiguration.PID, p));
        plugin = new MessageSizePlugin(limits, server.getConfiguration().getClusterUser());
        server.registerBrokerPlugin(plugin);
        logger.info("vmha broker limits in force: {} (every other address {} bytes)", limits.perAddress(),
                limits.defaultMaxBytes());
    }

    @Deactivate
    void deactivate() {
        server.unRegisterBrokerPlugin(plugin);
    }

    private Queue dlq() {
        return server.locateQueue(SimpleString.of(DLQ));
    }

    @Override
    public long count() {
        Queue q = dlq();
        return q == null ? 0 : q.getMessageCount();
    }

    @Override
    public List<Letter> list(int max) {
        List<Letter> out = new ArrayList<>();
        Queue q = dlq();
        if (q == null || max <= 0) {
            return out;
        }
        try (LinkedListIterator<MessageReference> it = q.browserIterator()) {
            while (it.hasNext() && out.size() < max) {
                out.add(letter(it.next().getMessage()));
            }
        } catch (Exception e) {
            logger.warn("Browsing {} failed: {}", DLQ, e.toString());
        }
        return out;
    }

    static Letter letter(Message m) {
        String original = text(m.getAnnotationString(Message.HDR_ORIGINAL_ADDRESS));
        if (original == null) {
            original = m.getAddress();
        }
        String user = text(m.getObjectProperty("vmha_user"));
        if (user == null) {
            user = m.getValidatedUserID();
        }
        String reason = text(m.getObjectProperty("vmha_error"));
        if (reason == null) {
            reason = brokerReason(m, original);
        }
        String body = body(m);
        return new Letter(m.getMessageID(), m.getTimestamp(), SafeText.prefix(original == null ? "-" : original, 80),
                SafeText.prefix(user == null ? "-" : user, 40), SafeText.prefix(reason, 200),
                body == null ? -1 : body.length(), body == null ? "<binary or unreadable>" : SafeText.prefix(body, 80));
    }

    /**
     * @param m a message the broker itself moved to the DLQ (no {@code vmha_error} of vmha's routes)
     * @param original the address it was sent to
     * @return why, from the broker's own annotations
     */
    static String brokerReason(Message m, String original) {
        String queue = m.getAnnotationString(Message.HDR_ORIGINAL_QUEUE);
        if (m.getObjectProperty(Message.HDR_ACTUAL_EXPIRY_TIME) != null) {
            return "expired unread" + (queue == null ? "" : " in queue " + SafeText.prefix(queue, 80))
                    + " (nobody fetched it within its time to live)";
        }
        if (queue != null) {
            return "the broker moved it here from queue " + SafeText.prefix(queue, 80) + " after its delivery "
                    + "attempts failed";
        }
        if (original != null && !DLQ.equals(original)) {
            return "no queue at address " + SafeText.prefix(original, 80) + " took it (send-to-dla-on-no-route: the "
                    + "consumer it was meant for is gone)";
        }
        return "-";
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    private static String body(Message m) {
        try {
            ICoreMessage core = m.toCore();
            if (core.getType() == Message.TEXT_TYPE) {
                SimpleString s = core.getReadOnlyBodyBuffer().readNullableSimpleString();
                return s == null ? "" : s.toString();
            }
            byte[] bytes = new byte[Math.min(core.getBodyBufferSize(), 4096)];
            core.getReadOnlyBodyBuffer().readBytes(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public long purge() {
        Queue q = dlq();
        if (q == null) {
            return 0;
        }
        try {
            return q.deleteAllReferences();
        } catch (Exception e) {
            throw new IllegalStateException("purging " + DLQ + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String limits() {
        AddressSettings s = server.getAddressSettingsRepository().getMatch(DLQ);
        long max = s.getMaxSizeBytes();
        Long expiry = s.getExpiryDelay();
        return (max < 0 ? "no size limit" : "at most " + max + " bytes (then " + s.getAddressFullMessagePolicy()
                + ")") + ", " + (expiry == null || expiry < 0 ? "no expiry" : "each message expires after "
                        + expiry / 1000 + " s") + "; refused by the size limits: " + plugin.refused();
    }
}
