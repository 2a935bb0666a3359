/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The management service of the cluster in plain Java: it computes the failover table's alternate hosts
 * and publishes the table, carries out the operators' requests and explains placements. Its typed
 * results are the replies the shell and the NOC see. The DS wiring lives in
 * {@code org.vmha.management.internal}; the simulator runs these classes directly.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.management;
