/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.admission.internal;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.vmha.api.model.ResourceVector;
import org.vmha.core.admission.PolicySettings;
import org.vmha.core.admission.PolicyType;

/**
 * The {@link AdmissionSettingsGuard} is responsible for turning an {@link AdmissionConfiguration} into
 * valid {@link PolicySettings}: each bad value is reported through the error sink with the PID, the
 * key, the value and the default used instead, and the default is used. It never throws.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class AdmissionSettingsGuard {

    private AdmissionSettingsGuard() {
    }

    static PolicySettings toSettings(AdmissionConfiguration c, Consumer<String> errors) {
        PolicyType type;
        try {
            type = PolicyType.parse(c.type());
        } catch (IllegalArgumentException e) {
            errors.accept(bad("type", c.type(), e.getMessage(), AdmissionConfiguration.DEFAULT_TYPE));
            type = PolicyType.SLOT;
        }
        int n = c.hostFailures();
        if (n < 1) {
            errors.accept(bad("hostFailures", n, "must be >= 1", AdmissionConfiguration.DEFAULT_HOST_FAILURES));
            n = AdmissionConfiguration.DEFAULT_HOST_FAILURES;
        }
        ResourceVector minSlot = vector("minSlot", c.minSlot(), 0, Long.MAX_VALUE, PolicySettings.defaultMinSlot(),
                errors);
        ResourceVector slotCap = vector("slotCap", c.slotCap(), 1, Long.MAX_VALUE, ResourceVector.ZERO, errors);
        ResourceVector pct = vector("reservedPercent", c.reservedPercent(), 0, 100,
                PolicySettings.defaultReservedPercent(), errors);
        TreeSet<String> failover = new TreeSet<>();
        if (c.failoverHosts() != null) {
            failover.addAll(flatten(c.failoverHosts()));
        }
        int conc = c.maxConcurrentRestartsPerHost();
        if (conc < 1) {
            errors.accept(bad("maxConcurrentRestartsPerHost", conc, "must be >= 1",
                    AdmissionConfiguration.DEFAULT_MAX_CONCURRENT_RESTARTS));
            conc = AdmissionConfiguration.DEFAULT_MAX_CONCURRENT_RESTARTS;
        }
        return new PolicySettings(type, n, minSlot, slotCap, pct, failover, conc);
    }

    /**
     * A .cfg file gives a list as one comma-separated string, the web console as an array: accept both, and
     * read an empty value as an empty list.
     */
    static java.util.List<String> flatten(String[] entries) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (entries != null) {
            for (String entry : entries) {
                if (entry != null) {
                    for (String part : entry.split(",")) {
                        if (!part.isBlank()) {
                            out.add(part.trim());
                        }
                    }
                }
            }
        }
        return out;
    }

    private static ResourceVector vector(String key, String[] entries, long min, long max, ResourceVector dflt,
            Consumer<String> errors) {
        if (entries == null) {
            return dflt;
        }
        TreeMap<String, Long> m = new TreeMap<>();
        for (String e : flatten(entries)) {
            int eq = e == null ? -1 : e.indexOf('=');
            String problem = null;
            if (eq <= 0) {
                problem = "entry '" + e + "' is not resource=amount";
            } else {
                String name = e.substring(0, eq).trim();
                try {
                    long v = Long.parseLong(e.substring(eq + 1).trim());
                    if (v < min || v > max) {
                        problem = "amount of " + name + " must be in " + min + ".." + max + ", was " + v;
                    } else if (m.put(name, v) != null) {
                        problem = "resource " + name + " is given twice";
                    }
                } catch (NumberFormatException ex) {
                    problem = "amount of " + name + " is not an integer: '" + e.substring(eq + 1).trim() + "'";
                }
            }
            if (problem != null) {
                errors.accept(bad(key, Arrays.toString(entries), problem, dflt));
                return dflt;
            }
        }
        return new ResourceVector(m);
    }

    private static String bad(String key, Object value, String problem, Object fallback) {
        return "configuration " + AdmissionPolicyComponent.PID + ": " + key + "=" + value + " is invalid (" + problem
                + "); using " + fallback;
    }
}
