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
@ObjectClassDefinition(id = AdminRealmConfiguration.PID, name = "vmha admin realm",
        description = "A JAAS realm that accepts only users of another realm who hold a required role (JMX: admin)")
public @interface AdminRealmConfiguration {

    String PID = "org.vmha.security.realm";

    /** Default realm name. */
    String DEFAULT_NAME = "vmha-admin";

    /** Default realm that checks the password. */
    String DEFAULT_DELEGATE_REALM = "karaf";

    /** Default required roles. */
    String DEFAULT_ROLES = "admin";

    @AttributeDefinition(name = "Realm name", description = "The name services refer to (jmxRealm)")
    String name() default DEFAULT_NAME;

    @AttributeDefinition(name = "Delegate realm", description = "The realm that checks the password")
    String delegateRealm() default DEFAULT_DELEGATE_REALM;

    @AttributeDefinition(name = "Roles", description = "Comma separated; the user needs one of them")
    String roles() default DEFAULT_ROLES;
}
