/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.admission.internal;

import java.util.Map;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.core.config.ConfigGuard;
import org.vmha.api.admission.AdmissionDecision;
import org.vmha.api.admission.AdmissionPolicy;
import org.vmha.api.admission.AdmissionReport;
import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.core.admission.AdmissionPolicies;
import org.vmha.core.admission.PolicySettings;

/**
 * The {@link AdmissionPolicyComponent} is responsible for publishing the configured
 * {@link AdmissionPolicy} service. The configuration (PID {@value #PID}) selects the policy type and its
 * parameters; a change is applied live by {@link Modified} (the next decision uses the new policy).
 * Bad values are logged with the key and value, and replaced by their defaults.
 * <p>
 * Threading: the active policy is one volatile reference; decisions never lock.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@Component(service = AdmissionPolicy.class, configurationPid = AdmissionPolicyComponent.PID, immediate = true)
@Designate(ocd = AdmissionConfiguration.class)
public final class AdmissionPolicyComponent implements AdmissionPolicy {

    /** The configuration PID. */
    public static final String PID = "org.vmha.admission";

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionPolicyComponent.class);

    private volatile AdmissionPolicy policy;

    /**
     * @param properties the configuration's properties, read through {@link ConfigGuard} as
     *        {@link AdmissionConfiguration} (a malformed value is one error line and its default)
     */
    @Activate
    public AdmissionPolicyComponent(Map<String, Object> properties) {
        configure(properties);
    }

    /**
     * Applies a changed configuration.
     *
     * @param properties the new configuration's properties
     */
    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    /**
     * @param properties the raw properties of {@value #PID}
     * @param errors told one line per malformed or invalid value (PID, key, value, the default used instead)
     * @return the settings; never throws
     */
    static PolicySettings settings(Map<String, ?> properties, Consumer<String> errors) {
        AdmissionConfiguration config = ConfigGuard.read(AdmissionConfiguration.class, properties,
                p -> errors.accept("configuration " + PID + ": " + p));
        return AdmissionSettingsGuard.toSettings(config, errors);
    }

    private void configure(Map<String, Object> properties) {
        PolicySettings s = settings(properties, LOG::error);
        policy = AdmissionPolicies.create(s);
        LOG.info("admission policy {} tolerating {} host failure(s) (minSlot {}, slotCap {}, reservedPercent {}, "
                + "failoverHosts {})", s.type().id(), s.hostFailures(), s.minSlot(), s.slotCap(), s.reservedPercent(),
                s.failoverHosts());
    }

    @Override
    public String type() {
        return policy.type();
    }

    @Override
    public int hostFailures() {
        return policy.hostFailures();
    }

    @Override
    public AdmissionDecision admit(ClusterSnapshot snapshot, AdmissionRequest request) {
        return policy.admit(snapshot, request);
    }

    @Override
    public AdmissionReport report(ClusterSnapshot snapshot) {
        return policy.report(snapshot);
    }
}
