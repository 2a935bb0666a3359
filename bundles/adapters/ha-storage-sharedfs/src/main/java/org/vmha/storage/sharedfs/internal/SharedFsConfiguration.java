/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The {@link SharedFsConfiguration} is responsible for the typed configuration of the shared-directory
 * datastore, pid {@value #PID} ({@code etc/org.vmha.storage.sharedfs.cfg}).
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = SharedFsConfiguration.PID, name = "%ocd.name", description = "%ocd.description",
        localization = "OSGI-INF/l10n/metatype")
public @interface SharedFsConfiguration {

    /** The configuration pid. */
    String PID = "org.vmha.storage.sharedfs";

    /** Default root: the Karaf data directory. */
    String DEFAULT_ROOT_DIRECTORY = "${karaf.data}/vmha/datastore";

    /** Default lease duration, milliseconds. */
    long DEFAULT_LEASE_DURATION_MILLIS = 3_000;

    /** Default clock-skew allowance before a takeover, milliseconds. */
    long DEFAULT_TAKEOVER_MARGIN_MILLIS = 500;

    /** Default number of complete checkpoints kept per volume. */
    int DEFAULT_CHECKPOINTS_RETAINED = 2;

    /** Default snapshot mode. */
    String DEFAULT_SNAPSHOT_MODE = "auto";

    /** Default: a missing root directory is created. */
    boolean DEFAULT_CREATE_ROOT_DIRECTORY = true;

    /**
     * @return the datastore root directory, local or an NFS mount; {@code ${property}} placeholders
     *         are resolved from system properties
     */
    @AttributeDefinition(name = "%rootDirectory.name", description = "%rootDirectory.description")
    String rootDirectory() default DEFAULT_ROOT_DIRECTORY;

    /** @return how long a granted or renewed lease lasts, milliseconds (50 to 3600000) */
    @AttributeDefinition(name = "%leaseDurationMillis.name", description = "%leaseDurationMillis.description",
            min = "50", max = "3600000")
    long leaseDurationMillis() default DEFAULT_LEASE_DURATION_MILLIS;

    /**
     * @return how long after a holder's expiry another host waits before taking over, milliseconds;
     *         must exceed the worst clock skew between hosts (0 to 600000)
     */
    @AttributeDefinition(name = "%takeoverMarginMillis.name", description = "%takeoverMarginMillis.description",
            min = "0", max = "600000")
    long takeoverMarginMillis() default DEFAULT_TAKEOVER_MARGIN_MILLIS;

    /** @return complete checkpoints kept per volume (1 to 100) */
    @AttributeDefinition(name = "%checkpointsRetained.name", description = "%checkpointsRetained.description",
            min = "1", max = "100")
    int checkpointsRetained() default DEFAULT_CHECKPOINTS_RETAINED;

    /** @return "auto" (reflink where the filesystem allows it, else copy) or "copy" */
    @AttributeDefinition(name = "%snapshotMode.name", description = "%snapshotMode.description",
            options = {@Option(label = "%snapshotMode.auto", value = "auto"),
                    @Option(label = "%snapshotMode.copy", value = "copy")})
    String snapshotMode() default DEFAULT_SNAPSHOT_MODE;

    /** @return whether a missing root directory is created (false for NFS mount points) */
    @AttributeDefinition(name = "%createRootDirectory.name", description = "%createRootDirectory.description")
    boolean createRootDirectory() default DEFAULT_CREATE_ROOT_DIRECTORY;
}
