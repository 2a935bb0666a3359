/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The credentials tool that {@code bin/vmha-credentials} runs before Karaf boots (first start, rotation). It needs
 * Spring Security Crypto's bcrypt on the class path, which the bundle imports optionally: inside Karaf nothing loads
 * it; the tests that stage a Pax Exam container's credentials use it.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.security.tool;
