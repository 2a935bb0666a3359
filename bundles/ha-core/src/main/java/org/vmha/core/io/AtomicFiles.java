/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.io;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The {@link AtomicFiles} is responsible for writing a local file so that a crash or power loss leaves either the old
 * or the new content, never part of one, and the new content on disk once the call returned:
 * <ol>
 * <li>the content goes to a new temporary file in the target's directory (a name starting with a dot), created with
 * the requested POSIX mode, so a secret is never readable by others, not even for a moment;</li>
 * <li>the temporary file is fsynced ({@link FileChannel#force});</li>
 * <li>it is renamed over the target atomically ({@link #replace}), falling back to a plain move only where the file
 * system refuses {@link StandardCopyOption#ATOMIC_MOVE}; or it is linked to the target, which never replaces an
 * existing file ({@link #create});</li>
 * <li>the directory is fsynced, so that the rename survives a power loss (skipped where the platform cannot open a
 * directory, e.g. Windows).</li>
 * </ol>
 * A failure deletes the temporary file and throws an {@link IOException} that names the step and the path. The
 * shared-directory storage adapter (ha-storage-sharedfs) has its own copy of these steps in {@code FsIo}: an adapter
 * depends on ha-api only.
 * <p>
 * <b>Threading:</b> stateless, thread-safe. Concurrent writers of one target each write their own temporary file;
 * the last rename wins.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class AtomicFiles {

    /** {@code rw-------}: for secrets and for files only the node's own process reads. */
    public static final Set<PosixFilePermission> OWNER_ONLY = Collections.unmodifiableSet(
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

    /** The prefix of temporary files; readers of a directory should ignore names starting with a dot. */
    public static final String TMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} (or creates it) with {@code content}, in the file system's default mode for new files.
     *
     * @param target the file; its directory must exist
     * @param content the whole new content
     * @throws IOException naming the step and the path, the temporary file deleted
     */
    public static void replace(Path target, byte[] content) throws IOException {
        replace(target, content, null);
    }

    /**
     * Replaces {@code target} (or creates it) with {@code content}.
     *
     * @param target the file; its directory must exist
     * @param content the whole new content
     * @param mode the POSIX mode of the new file (e.g. {@link #OWNER_ONLY}), {@code null} for the file system's
     *            default; ignored on a file system without POSIX permissions
     * @throws IOException naming the step and the path, the temporary file deleted
     */
    public static void replace(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = directory(target);
        Path tmp = writeTemp(dir, target, content, mode);
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // a file system without atomic rename (some network file systems): the best it offers
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw failed("cannot move " + tmp + " to " + target, e, tmp);
        }
        fsyncDirectory(dir);
    }

    /**
     * Creates {@code target} with {@code content}, never replacing an existing file: the first writer wins, and a
     * reader never sees the file without its whole content.
     *
     * @param target the file; its directory must exist
     * @param content the whole content
     * @param mode the POSIX mode of the new file, {@code null} for the file system's default
     * @throws FileAlreadyExistsException if {@code target} exists (nothing was changed)
     * @throws IOException naming the step and the path, the temporary file deleted
     */
    public static void create(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = directory(target);
        Path tmp = writeTemp(dir, target, content, mode);
        try {
            try {
                Files.createLink(target, tmp);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | IOException e) {
                // no hard links here (some network file systems): a move without REPLACE_EXISTING, which fails
                // rather than replace a file another writer created in the meantime
                Files.move(tmp, target);
            }
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(tmp, e);
            throw e;
        } catch (IOException e) {
            throw failed("cannot create " + target + " from " + tmp, e, tmp);
        } finally {
            deleteQuietly(tmp, null);
        }
        fsyncDirectory(dir);
    }

    /**
     * Makes a rename or a creation in {@code dir} durable. A platform that cannot open a directory (Windows) has
     * nothing to sync: that is skipped; a failing fsync is an error.
     *
     * @param dir a directory
     * @throws IOException if the fsync fails, naming the directory
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (ch) {
            ch.force(true);
        } catch (IOException e) {
            throw new IOException("cannot fsync directory " + dir + ": " + reason(e), e);
        }
    }

    private static Path directory(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IllegalArgumentException("not a file: " + target);
        }
        return dir;
    }

    /** Writes and fsyncs a new temporary file beside {@code target}; deletes it again if that fails. */
    private static Path writeTemp(Path dir, Path target, byte[] content, Set<PosixFilePermission> mode)
            throws IOException {
        Path tmp = dir.resolve(TMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
        FileChannel ch;
        try {
            ch = open(tmp, mode);
        } catch (IOException e) {
            throw new IOException("cannot create a temporary file in " + dir + ": " + reason(e), e);
        }
        try (ch) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw failed("cannot write " + tmp, e, tmp);
        }
        return tmp;
    }

    private static FileChannel open(Path tmp, Set<PosixFilePermission> mode) throws IOException {
        Set<OpenOption> options = Set.of(CREATE_NEW, WRITE);
        if (mode == null) {
            return FileChannel.open(tmp, options);
        }
        FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(mode);
        try {
            // the mode is set at creation (narrowed by the umask only): no moment with a wider one
            return FileChannel.open(tmp, options, attr);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: no mode to set
            return FileChannel.open(tmp, options);
        }
    }

    private static IOException failed(String what, IOException e, Path tmp) {
        IOException failure = new IOException(what + ": " + reason(e), e);
        deleteQuietly(tmp, failure);
        return failure;
    }

    private static void deleteQuietly(Path tmp, IOException failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    /** @return why {@code e} happened, without repeating the path alone (what the JDK's message often is) */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
