/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.hypervisor;

import org.vmha.api.model.ResourceVector;

/**
 * The {@link ResourceUsage} is responsible for a host's resource figures as its hypervisor reports
 * them.
 *
 * @param capacity what the host offers
 * @param used what its running VMs use now
 * @param runningVms how many VMs run (booting included)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record ResourceUsage(ResourceVector capacity, ResourceVector used, int runningVms) {

    public ResourceUsage {
        capacity = capacity == null ? ResourceVector.ZERO : capacity;
        used = used == null ? ResourceVector.ZERO : used;
    }
}
