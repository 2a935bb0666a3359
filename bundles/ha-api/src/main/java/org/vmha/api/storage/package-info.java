/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The SAN adapter SPI: per-VM volumes (LUNs) holding the hardware description (VMX), the memory
 * state checkpoints (SWAP), virtual disks (VDISK) and snapshots (SS); an exclusive lease per volume
 * whose generation is the fencing token; and the datastore heartbeat region.
 * <p>
 * Adapters implement {@link org.vmha.api.storage.StorageAdapter} and register a
 * {@link org.vmha.api.storage.StorageAdapterFactory} so that the core can rebind when an adapter
 * bundle is replaced at runtime.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.api.storage;
