/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.vmha.api.storage.StorageUnavailableException;

/**
 * The {@link FsIo} is responsible for the crash-safe file primitives of the shared-directory
 * datastore (temporary file, fsync, atomic rename, fsync of the directory) and for turning
 * {@link IOException}s into {@link StorageUnavailableException}s that say what failed, where and why.
 * <p>
 * ha-core's {@code org.vmha.core.io.AtomicFiles} is the project's one atomic writer of local files, and these steps
 * are its model; this adapter keeps its own copy because an adapter depends on ha-api only (docs/architecture.md),
 * and because it writes whole directories the same way (volumes, snapshots), which AtomicFiles does not.
 *
 * @author vmha - Initial contribution
 */
final class FsIo {

    /** Prefix of temporary files and directories; readers ignore every name starting with a dot. */
    static final String TMP = ".tmp-";

    private FsIo() {
    }

    /** An I/O action. */
    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** An I/O action without a result. */
    @FunctionalInterface
    interface IoRun {
        void run() throws IOException;
    }

    static <T> T io(String what, IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException | ReadOnlyFileSystemException e) {
            throw unavailable(what, e);
        }
    }

    static void run(String what, IoRun call) {
        io(what, () -> {
            call.run();
            return null;
        });
    }

    static StorageUnavailableException unavailable(String what, Exception e) {
        String reason;
        if (e instanceof NoSuchFileException n) {
            reason = "no such file or directory: " + n.getFile() + (n.getReason() == null ? "" : " (" + n.getReason()
                    + ")");
        } else if (e instanceof AccessDeniedException a) {
            reason = "permission denied: " + a.getFile();
        } else if (e instanceof FileSystemException f) {
            String r = f.getReason() == null ? "" : f.getReason();
            if (r.contains("No space left")) {
                reason = "disk full (no space left on device): " + f.getFile();
            } else if (r.contains("Read-only file system")) {
                reason = "read-only file system: " + f.getFile();
            } else if (r.contains("Operation not permitted")) {
                reason = "operation not permitted (permission denied): " + f.getFile();
            } else {
                reason = f.getMessage();
            }
        } else {
            String m = String.valueOf(e.getMessage());
            reason = m.contains("No space left") ? "disk full (no space left on device): " + m : m;
        }
        return new StorageUnavailableException(what + " failed: " + reason, e);
    }

    /**
     * Replaces {@code target} with {@code bytes}: temporary file in the same directory, fsync, atomic
     * rename, fsync of the directory. A crash leaves either the old or the new content.
     */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = writeTemp(target.getParent(), target.getFileName().toString(), bytes);
        try {
            Files.move(tmp, target, ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fsyncDirectory(target.getParent());
    }

    /** Writes and fsyncs a new temporary file in {@code dir}; deletes it again if that fails. */
    static Path writeTemp(Path dir, String hint, byte[] bytes) throws IOException {
        Path tmp = dir.resolve(TMP + hint + "-" + UUID.randomUUID());
        try (FileChannel ch = FileChannel.open(tmp, CREATE_NEW, WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** Makes a rename or creation in {@code dir} durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, READ)) {
            ch.force(true);
        }
    }

    static void fsyncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, WRITE)) {
            ch.force(true);
        }
    }

    /** Deletes a tree; used after the tree was renamed out of sight, so partial deletion is harmless. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: leftovers start with a dot and are ignored by readers
        }
    }
}
