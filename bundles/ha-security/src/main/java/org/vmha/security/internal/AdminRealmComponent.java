/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.security.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the JAAS realm {@code vmha-admin}: a login of the realm {@code karaf} that is refused unless the user holds
 * the admin role. Karaf's JMX connector uses it ({@code jmxRealm} in etc/org.apache.karaf.management.cfg), so that a
 * NOC, operator or agent password does not open JMX at all.
 *
 * @author vmha - Initial contribution
 */
@Component(service = JaasRealm.class, configurationPid = AdminRealmConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = AdminRealmConfiguration.class)
public final class AdminRealmComponent implements JaasRealm {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRealmComponent.class);

    private String name;
    private AppConfigurationEntry[] entries;

    @Activate
    void activate(BundleContext context, AdminRealmConfiguration config) {
        name = value("name", config.name(), AdminRealmConfiguration.DEFAULT_NAME, LOG::error);
        Map<String, Object> options = new HashMap<>();
        options.put(BundleContext.class.getName(), context);
        options.put(ProxyLoginModule.PROPERTY_MODULE, RoleRequiredLoginModule.class.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(context.getBundle().getBundleId()));
        options.put("realm", value("delegateRealm", config.delegateRealm(),
                AdminRealmConfiguration.DEFAULT_DELEGATE_REALM, LOG::error));
        options.put("roles", value("roles", config.roles(), AdminRealmConfiguration.DEFAULT_ROLES, LOG::error));
        entries = new AppConfigurationEntry[] {new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
        LOG.info("JAAS realm {}: logins of realm {} that hold one of the roles {}", name, options.get("realm"),
                options.get("roles"));
    }

    /**
     * Every key of this configuration is text, which DS always delivers; the one malformed value is an empty one.
     *
     * @return the trimmed value, or after one error line naming pid, key and value, the default
     */
    static String value(String key, String configured, String dflt, Consumer<String> errors) {
        if (configured == null || configured.isBlank()) {
            errors.accept("Invalid configuration " + AdminRealmConfiguration.PID + ": " + key + " = '"
                    + (configured == null ? "" : configured) + "' is empty; using the default '" + dflt + "'");
            return dflt;
        }
        return configured.trim();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public int getRank() {
        return 0;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        return entries.clone();
    }
}
