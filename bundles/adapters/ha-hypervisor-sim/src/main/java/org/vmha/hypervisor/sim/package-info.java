/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The simulated hypervisor: VMs with a boot delay and a load, whose guest is a counter checkpointed into the VM's
 * volume ({@link org.vmha.hypervisor.sim.SimulatedHypervisor}, its image format
 * {@link org.vmha.hypervisor.sim.GuestImage}). Plain Java on the ha-api SPIs: the adapter bundle's factory runs it
 * in the distribution, the simulator and the tests run the same class.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vmha.hypervisor.sim;
