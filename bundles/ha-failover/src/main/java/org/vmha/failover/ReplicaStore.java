/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.failover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import org.vmha.api.model.FailoverTable;
import org.vmha.core.io.AtomicFiles;
import org.vmha.core.plan.FailoverTableCodec;

/**
 * The {@link ReplicaStore} is responsible for keeping an agent's table replica across agent restarts
 * (local disk in a deployment, memory in the simulator, where it survives a simulated host power
 * cycle).
 * <p>
 * <b>Threading:</b> implementations are thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ConsumerType
public interface ReplicaStore {

    /** The codec of file stores. */
    FailoverTableCodec CODEC = new FailoverTableCodec();

    /**
     * @return the last saved table, empty if none
     * @throws IllegalArgumentException if the stored copy is corrupt, naming the field
     */
    Optional<FailoverTable> load();

    /** @param table the table to keep, replacing the previous one atomically */
    void save(FailoverTable table);

    /**
     * A store in memory.
     *
     * @return a new, empty store
     */
    static ReplicaStore inMemory() {
        return new ReplicaStore() {
            private volatile FailoverTable doc;

            @Override
            public Optional<FailoverTable> load() {
                return Optional.ofNullable(doc);
            }

            @Override
            public void save(FailoverTable table) {
                doc = table;
            }
        };
    }

    /**
     * A store in one file as JSON ({@link FailoverTableCodec}), written with {@link AtomicFiles#replace}: a temporary
     * file, fsynced, renamed over the target, the directory fsynced. The file is readable by its owner only, as it
     * always was.
     *
     * @param file the file
     * @return the store
     */
    static ReplicaStore file(Path file) {
        return new ReplicaStore() {
            @Override
            public synchronized Optional<FailoverTable> load() {
                String json;
                try {
                    json = Files.readString(file, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    return Optional.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read table replica " + file + ": " + e.getMessage(), e);
                }
                try {
                    return Optional.of(CODEC.decode(json));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("table replica " + file + " is corrupt: " + e.getMessage(), e);
                }
            }

            @Override
            public synchronized void save(FailoverTable table) {
                String json = CODEC.encode(table);
                try {
                    Path dir = file.toAbsolutePath().getParent();
                    Files.createDirectories(dir);
                    AtomicFiles.replace(file, json.getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write table replica " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
