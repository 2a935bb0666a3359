/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the broker guard (PID {@value #PID}, file {@code etc/org.vmha.broker.limits.cfg}).
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = BrokerLimitsConfiguration.PID, name = "%ocd.name", description = "%ocd.description",
        localization = "OSGI-INF/l10n/metatype")
public @interface BrokerLimitsConfiguration {

    String PID = "org.vmha.broker.limits";

    @AttributeDefinition(name = "%maxBytes.name", description = "%maxBytes.description")
    String maxBytes() default BrokerLimits.DEFAULT;

    @AttributeDefinition(name = "%defaultMaxBytes.name", description = "%defaultMaxBytes.description")
    long defaultMaxBytes() default BrokerLimits.DEFAULT_MAX_BYTES;
}
