/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * Message-level hardening: the cluster key and the HMAC of heartbeats and table updates, the limits every JSON
 * consumer enforces before it parses, the gate that keeps unknown hosts and implausible table versions out of the
 * agents and the management service, and the escaping of untrusted text for logs and the shell
 * (docs/security-messaging.md).
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.core.security;
