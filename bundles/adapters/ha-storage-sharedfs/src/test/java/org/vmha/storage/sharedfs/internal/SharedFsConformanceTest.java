/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.storage.StorageAdapter;
import org.vmha.storage.tck.AbstractStorageAdapterConformanceTest;
import org.vmha.storage.tck.MutableClock;

/**
 * The {@link SharedFsConformanceTest} is responsible for running the SPI conformance kit against the
 * shared-directory adapter, created through its factory, with a takeover margin to show the suite
 * honours it.
 *
 * @author vmha - Initial contribution
 */
class SharedFsConformanceTest extends AbstractStorageAdapterConformanceTest {

    @TempDir
    Path dir;

    @Override
    protected StorageAdapter createAdapter(MutableClock clock, long leaseDurationMillis) {
        return new SharedFsStorageAdapterFactory().createAdapter("sharedfs", Map.of(
                SharedFsSettings.KEY_ROOT, dir.resolve("datastore").toString(),
                SharedFsSettings.KEY_LEASE, leaseDurationMillis,
                SharedFsSettings.KEY_MARGIN, takeoverMarginMillis()), clock);
    }

    @Override
    protected long takeoverMarginMillis() {
        return 250;
    }
}
