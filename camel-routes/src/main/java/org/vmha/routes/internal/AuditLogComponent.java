/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.audit.AuditEntry;
import org.vmha.api.audit.AuditLog;
import org.vmha.api.audit.AuditQuery;
import org.vmha.core.audit.AuditFile;
import org.vmha.core.config.ConfigGuard;

/**
 * The {@link AuditLogComponent} is responsible for the node's {@link AuditLog} service: the operator actions of the
 * shell ({@code ha:*}) and of the NOC ({@code ha.commands}), kept in an {@link AuditFile} under
 * {@code ${karaf.data}/vmha/audit} (etc/org.vmha.audit.cfg). A configuration change takes effect for the next entry
 * without unregistering the service, so neither the shell nor the command route notices it; entries already written
 * stay where they are.
 *
 * @author vmha - Initial contribution
 */
@Component(immediate = true, service = AuditLog.class, configurationPid = AuditConfiguration.PID)
@Designate(ocd = AuditConfiguration.class)
public final class AuditLogComponent implements AuditLog {

    private final Logger logger = LoggerFactory.getLogger(AuditLogComponent.class);
    private volatile AuditFile file;

    @Activate
    public AuditLogComponent(Map<String, Object> properties) {
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        file = open(properties, System::getProperty, logger::error, logger::warn);
        logger.info("vmha audit log in {}", file.directory());
    }

    /**
     * @param properties the raw properties of {@value AuditConfiguration#PID}
     * @param system the system properties ({@code karaf.data})
     * @param errors told one line per malformed or out-of-range value (with the default used instead)
     * @param warnings the log's own warnings (unreadable lines, failed writes)
     * @return the audit file the configuration names
     */
    static AuditFile open(Map<String, ?> properties, UnaryOperator<String> system, Consumer<String> errors,
            Consumer<String> warnings) {
        List<String> problems = new ArrayList<>();
        AuditConfiguration c = ConfigGuard.read(AuditConfiguration.class, properties, problems::add);
        long maxFileBytes = c.maxFileBytes();
        if (maxFileBytes < 4096 || maxFileBytes > 1L << 30) {
            problems.add("maxFileBytes=" + maxFileBytes + " is outside 4096..1073741824; using "
                    + AuditConfiguration.DEFAULT_MAX_FILE_BYTES);
            maxFileBytes = AuditConfiguration.DEFAULT_MAX_FILE_BYTES;
        }
        int maxFiles = c.maxFiles();
        if (maxFiles < 1 || maxFiles > 100) {
            problems.add("maxFiles=" + maxFiles + " is outside 1..100; using " + AuditConfiguration.DEFAULT_MAX_FILES);
            maxFiles = AuditConfiguration.DEFAULT_MAX_FILES;
        }
        String dir = c.directory() == null || c.directory().isBlank() ? AuditConfiguration.DEFAULT_DIRECTORY
                : c.directory().trim();
        String data = system.apply("karaf.data");
        dir = dir.replace("${karaf.data}", data == null ? "data" : data);
        problems.forEach(p -> errors.accept("Invalid configuration " + AuditConfiguration.PID + ": " + p));
        return new AuditFile(Path.of(dir), maxFileBytes, maxFiles, Clock.systemUTC(), warnings);
    }

    @Override
    public void record(AuditEntry entry) {
        file.record(entry);
    }

    @Override
    public List<AuditEntry> query(AuditQuery query) {
        return file.query(query);
    }
}
