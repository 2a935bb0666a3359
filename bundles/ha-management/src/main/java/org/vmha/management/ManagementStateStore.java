/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import org.vmha.core.io.AtomicFiles;

/**
 * The {@link ManagementStateStore} is responsible for keeping the {@link ManagementState} of the management service
 * across its restarts: one file in a deployment ({@code ${karaf.data}/vmha/management/state.json}), nothing in the
 * simulator (the service then starts from the inventory and the versions it hears, as it always did).
 * <p>
 * <b>Threading:</b> implementations are thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public interface ManagementStateStore {

    /**
     * @return the last saved state, empty if none
     * @throws IllegalArgumentException if the stored copy is corrupt, naming the file and the field
     * @throws UncheckedIOException if it cannot be read, naming the file and why
     */
    Optional<ManagementState> load();

    /**
     * @param state the state to keep, replacing the previous one atomically
     * @throws UncheckedIOException if it cannot be written, naming the file and why
     */
    void save(ManagementState state);

    /** @return whether this store keeps anything (false: the service need not build states at all) */
    default boolean keeps() {
        return true;
    }

    /** @return a store that keeps nothing: the service starts from the inventory each time */
    static ManagementStateStore none() {
        return new ManagementStateStore() {
            @Override
            public Optional<ManagementState> load() {
                return Optional.empty();
            }

            @Override
            public void save(ManagementState state) {
                // nothing kept
            }

            @Override
            public boolean keeps() {
                return false;
            }
        };
    }

    /** @return a new, empty store in memory (tests: a service restarted on the same store) */
    static ManagementStateStore inMemory() {
        return new ManagementStateStore() {
            private volatile String json;

            @Override
            public Optional<ManagementState> load() {
                String j = json;
                return j == null ? Optional.empty() : Optional.of(ManagementState.decode(j));
            }

            @Override
            public void save(ManagementState state) {
                json = state.encode();
            }
        };
    }

    /**
     * A store in one file as JSON ({@link ManagementState#encode}), written with {@link AtomicFiles#replace}, readable
     * by its owner only; its directory is created when missing. A file that cannot be read or decoded is moved aside
     * to {@code <file>.corrupt} (replacing an older one there) before the error is thrown, so that the next save does
     * not destroy it.
     *
     * @param file the file
     * @return the store
     */
    static ManagementStateStore file(Path file) {
        return new ManagementStateStore() {
            @Override
            public synchronized Optional<ManagementState> load() {
                String json;
                try {
                    json = Files.readString(file, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    return Optional.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read management state " + file + ": " + reason(e)
                            + moveAside(), e);
                }
                try {
                    return Optional.of(ManagementState.decode(json));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("management state " + file + " is corrupt: " + e.getMessage()
                            + moveAside(), e);
                }
            }

            @Override
            public synchronized void save(ManagementState state) {
                byte[] json = state.encode().getBytes(StandardCharsets.UTF_8);
                try {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    AtomicFiles.replace(file, json, AtomicFiles.OWNER_ONLY);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write management state " + file + ": " + reason(e), e);
                }
            }

            /** @return how the message ends: where the bad file went, or that it could not be moved */
            private String moveAside() {
                Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
                try {
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                    return "; kept as " + aside;
                } catch (IOException e) {
                    return "; could not keep it as " + aside + " (" + reason(e) + ")";
                }
            }
        };
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
