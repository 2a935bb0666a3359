/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * Fencing that does not depend on the agent thread: the {@link org.vmha.core.fence.LeaseWatchdog} kills a VM
 * whose lease deadline passed, on a clock and a thread of its own, and never calls the storage adapter.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.core.fence;
