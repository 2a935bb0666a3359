/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The audit log on disk: JSON lines, rotated at a size, a bounded number of files kept
 * ({@link org.vmha.core.audit.AuditFile}), and the time expressions of {@code ha:audit --since}.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.core.audit;
