/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vmha.core.audit.AuditFile;

/**
 * Configuration of the node's audit log (PID {@value #PID}, file {@code etc/org.vmha.audit.cfg}).
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = AuditConfiguration.PID, name = "%audit.ocd.name", description = "%audit.ocd.description",
        localization = "OSGI-INF/l10n/metatype")
public @interface AuditConfiguration {

    String PID = "org.vmha.audit";

    /** The directory when none is configured, below {@code karaf.data}. */
    String DEFAULT_DIRECTORY = "${karaf.data}/vmha/audit";

    long DEFAULT_MAX_FILE_BYTES = AuditFile.DEFAULT_MAX_FILE_BYTES;

    int DEFAULT_MAX_FILES = AuditFile.DEFAULT_MAX_FILES;

    @AttributeDefinition(name = "%audit.directory.name", description = "%audit.directory.description")
    String directory() default DEFAULT_DIRECTORY;

    @AttributeDefinition(name = "%audit.maxFileBytes.name", description = "%audit.maxFileBytes.description")
    long maxFileBytes() default DEFAULT_MAX_FILE_BYTES;

    @AttributeDefinition(name = "%audit.maxFiles.name", description = "%audit.maxFiles.description")
    int maxFiles() default DEFAULT_MAX_FILES;
}
