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
@ObjectClassDefinition(id = WebhookConfiguration.PID, name = "%ocd.name", description = "%ocd.description",
        localization = "OSGI-INF/l10n/metatype")
public @interface WebhookConfiguration {

    String PID = "org.vmha.example.webhook";

    /** Default broker user: the read-only NOC account. */
    String DEFAULT_USERNAME = "noc";

    /** Default delivery attempts per event. */
    int DEFAULT_ATTEMPTS = 5;

    @AttributeDefinition(name = "%url.name", description = "%url.description")
    String url();

    @AttributeDefinition(name = "%types.name", required = false,
            description = "%types.description")
    String types() default "";

    @AttributeDefinition(name = "%brokerUrl.name", required = false,
            description = "%brokerUrl.description")
    String brokerUrl() default "";

    @AttributeDefinition(name = "%username.name", description = "%username.description")
    String username() default DEFAULT_USERNAME;

    /** No default: the noc account's password is generated at the node's first start (etc/vmha-credentials.properties). */
    @AttributeDefinition(name = "%password.name", type = AttributeType.PASSWORD,
            description = "%password.description")
    String password() default "";

    @AttributeDefinition(name = "%attempts.name", description = "%attempts.description")
    int attempts() default DEFAULT_ATTEMPTS;
}
