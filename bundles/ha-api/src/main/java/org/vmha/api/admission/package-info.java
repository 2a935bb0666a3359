/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The admission-control SPI: a policy decides whether a user operation (power-on, migration into the
 * cluster, raising a reservation) keeps the cluster able to restart its protected VMs after the
 * configured number of host failures. HA restarts are never subject to admission control.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vmha.api.admission;
