/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.audit.AuditEntry;
import org.vmha.api.audit.AuditQuery;
import org.vmha.core.audit.AuditFile;

/**
 * Tests of {@link AuditLogComponent}'s configuration: the default directory below {@code karaf.data}, and
 * malformed or out-of-range values as one line each with the default used.
 *
 * @author vmha - Initial contribution
 */
class AuditLogComponentTest {

    @TempDir
    Path data;

    @Test
    void defaultsToTheDataDirectory() {
        List<String> errors = new ArrayList<>();
        AuditFile f = AuditLogComponent.open(Map.of(), k -> k.equals("karaf.data") ? data.toString() : null,
                errors::add, w -> {
                });
        assertThat(f.directory()).isEqualTo(data.resolve("vmha").resolve("audit"));
        f.record(new AuditEntry(null, "karaf", AuditEntry.SSH, "status", AuditEntry.READ, Map.of(), AuditEntry.OK,
                null, null));
        assertThat(data.resolve("vmha/audit/audit.jsonl")).exists();
        assertThat(f.query(new AuditQuery(null, null, null, 5))).hasSize(1);
        assertThat(errors).isEmpty();
    }

    @Test
    void malformedAndOutOfRangeValuesAreOneLineEachAndTheirDefaults() {
        List<String> errors = new ArrayList<>();
        AuditFile f = AuditLogComponent.open(Map.of("maxFileBytes", "4MB", "maxFiles", "0", "directory",
                data.resolve("x").toString()), k -> null, errors::add, w -> {
                });
        assertThat(f.directory()).isEqualTo(data.resolve("x"));
        assertThat(errors).containsExactly(
                "Invalid configuration org.vmha.audit: maxFileBytes = '4MB' is not a whole number; using the default "
                        + "4194304",
                "Invalid configuration org.vmha.audit: maxFiles=0 is outside 1..100; using 8");
    }
}
