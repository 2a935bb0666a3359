/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

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

    /** @return the last saved document, empty if none */
    Optional<String> load();

    /** @param json the document to keep, replacing the previous one atomically */
    void save(String json);

    /**
     * A store in memory.
     *
     * @return a new, empty store
     */
    static ReplicaStore inMemory() {
        return new ReplicaStore() {
            private volatile String doc;

            @Override
            public Optional<String> load() {
                return Optional.ofNullable(doc);
            }

            @Override
            public void save(String json) {
                doc = json;
            }
        };
    }

    /**
     * A store in one file, written to a temporary file and renamed over the target.
     *
     * @param file the file
     * @return the store
     */
    static ReplicaStore file(Path file) {
        return new ReplicaStore() {
            @Override
            public synchronized Optional<String> load() {
                try {
                    return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
                } catch (NoSuchFileException e) {
                    return Optional.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read table replica " + file + ": " + e.getMessage(), e);
                }
            }

            @Override
            public synchronized void save(String json) {
                try {
                    Path dir = file.toAbsolutePath().getParent();
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, ".tmp-replica-", ".json");
                    Files.writeString(tmp, json, StandardCharsets.UTF_8);
                    try {
                        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write table replica " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
