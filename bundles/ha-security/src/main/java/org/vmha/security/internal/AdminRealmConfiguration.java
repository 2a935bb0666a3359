/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The realm {@code vmha-admin} (pid {@code org.vmha.security.realm}; every key is optional).
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = AdminRealmConfiguration.PID, name = "%ocd.name", description = "%ocd.description",
        localization = "OSGI-INF/l10n/metatype")
public @interface AdminRealmConfiguration {

    String PID = "org.vmha.security.realm";

    /** Default realm name. */
    String DEFAULT_NAME = "vmha-admin";

    /** Default realm that checks the password. */
    String DEFAULT_DELEGATE_REALM = "karaf";

    /** Default required roles. */
    String DEFAULT_ROLES = "admin";

    @AttributeDefinition(name = "%name.name", description = "%name.description")
    String name() default DEFAULT_NAME;

    @AttributeDefinition(name = "%delegateRealm.name", description = "%delegateRealm.description")
    String delegateRealm() default DEFAULT_DELEGATE_REALM;

    @AttributeDefinition(name = "%roles.name", description = "%roles.description")
    String roles() default DEFAULT_ROLES;
}
