/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.examples.webhook.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the example webhook output (PID {@value #PID}, file {@code etc/org.vmha.example.webhook.cfg}).
 * Without a configuration the component stays inactive.
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = WebhookConfiguration.PID, name = "vmha example: webhook output",
        description = "Forwards cluster events (ha.events) to an HTTP endpoint as CloudEvents JSON")
public @interface WebhookConfiguration {

    String PID = "org.vmha.example.webhook";

    /** Default broker user: the read-only NOC account. */
    String DEFAULT_USERNAME = "noc";

    /** Default delivery attempts per event. */
    int DEFAULT_ATTEMPTS = 5;

    @AttributeDefinition(name = "Webhook URL", description = "http:// or https:// URL receiving one POST per event")
    String url();

    @AttributeDefinition(name = "Event types", required = false,
            description = "Type prefixes to forward, comma separated (e.g. org.vmha.host.,org.vmha.vm.restarted); empty: all")
    String types() default "";

    @AttributeDefinition(name = "Broker URL", required = false,
            description = "Artemis core URL; empty: tcp://<vmha.broker.host>:<vmha.broker.port>")
    String brokerUrl() default "";

    @AttributeDefinition(name = "Broker user", description = "Needs only the ha-noc-reader role")
    String username() default DEFAULT_USERNAME;

    /** No default: the noc account's password is generated at the node's first start (etc/vmha-credentials.properties). */
    @AttributeDefinition(name = "Broker password", type = AttributeType.PASSWORD,
            description = "The user's password; for noc, its line in etc/vmha-credentials.properties")
    String password() default "";

    @AttributeDefinition(name = "Attempts", description = "Delivery attempts per event before it is logged and dropped, 1..20")
    int attempts() default DEFAULT_ATTEMPTS;
}
