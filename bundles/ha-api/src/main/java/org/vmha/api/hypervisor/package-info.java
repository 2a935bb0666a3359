/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The hypervisor adapter SPI: start a VM from its {@link org.vmha.api.model.Vmx}, optionally resuming
 * from a memory image kept on its volume (through the storage SPI); power off, guest shutdown, reset;
 * checkpoint the memory state into the volume carrying the lease generation; list running VMs and
 * report resource usage.
 * <p>
 * Adapters implement {@link org.vmha.api.hypervisor.HypervisorAdapter} and register a
 * {@link org.vmha.api.hypervisor.HypervisorAdapterFactory}. Every call from an agent into an adapter
 * goes through a timeout guard, so adapters may block.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vmha.api.hypervisor;
