/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.admission;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The {@link AdmissionPolicy} is responsible for admission control: deciding whether a user operation
 * keeps enough spare capacity to restart every protected VM after the configured number of host
 * failures. It gates user operations only; it never blocks an HA restart and never powers off a VM.
 * <p>
 * Threading: implementations are thread-safe and hold no lock while deciding; decisions are pure
 * functions of the snapshot, the request and the policy's configuration.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@ProviderType
public interface AdmissionPolicy {

    /**
     * @return the policy type: {@code slot}, {@code percentage}, {@code dedicated} or {@code exact}
     */
    String type();

    /**
     * @return the number of host failures the policy protects against
     */
    int hostFailures();

    /**
     * Decides one request incrementally against a snapshot. The snapshot is not modified.
     *
     * @param snapshot the cluster as it is now
     * @param request the user operation
     * @return the decision with its reason
     */
    AdmissionDecision admit(ClusterSnapshot snapshot, AdmissionRequest request);

    /**
     * Computes the full capacity report.
     *
     * @param snapshot the cluster as it is now
     * @return the report
     */
    AdmissionReport report(ClusterSnapshot snapshot);
}
