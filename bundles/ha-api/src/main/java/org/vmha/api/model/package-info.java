/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The cluster model: hosts, VMs, resource vectors and the failover table. Records and enums only (and
 * {@link org.vmha.api.model.Vmx.Builder});
 * every value is immutable and safe to share between threads. Record component names are the JSON
 * field names (a public interface, see docs/admission.md); enum constants appear in JSON in lower case
 * with {@code -} for {@code _}.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package org.vmha.api.model;
