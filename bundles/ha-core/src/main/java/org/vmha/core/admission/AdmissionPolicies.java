/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.admission;

/**
 * The {@link AdmissionPolicies} is responsible for creating the policy a {@link PolicySettings}
 * selects.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class AdmissionPolicies {

    private AdmissionPolicies() {
    }

    /**
     * @param settings validated settings
     * @return a new policy instance of the configured type
     */
    public static AbstractAdmissionPolicy<?> create(PolicySettings settings) {
        switch (settings.type()) {
        case SLOT:
            return new SlotPolicy(settings);
        case PERCENTAGE:
            return new PercentagePolicy(settings);
        case DEDICATED:
            return new DedicatedFailoverHostsPolicy(settings);
        case EXACT:
            return new ExactPolicy(settings);
        default:
            throw new IllegalArgumentException("unsupported policy type " + settings.type());
        }
    }
}
