/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.vmha.core.io.AtomicFiles;

/**
 * The {@link ClusterKey} is responsible for the cluster's shared secret that authenticates heartbeats and table
 * updates ({@link MessageAuthenticator}). It lives in one file, by default {@code etc/vmha-cluster.key}: one key a
 * line, Base64 of at least {@value #MIN_KEY_BYTES} bytes, {@code #} comments allowed. The first key signs; every key
 * of the file verifies, so a key is rotated without a moment in which two nodes disagree
 * (docs/security-messaging.md):
 * <ol>
 * <li>append the new key on every node (it now verifies everywhere),</li>
 * <li>move it to the first line on every node (it now signs; the old one still verifies),</li>
 * <li>delete the old line on every node.</li>
 * </ol>
 * {@link #loadOrCreate} generates a file with one fresh 256-bit key, mode 0600, when none exists: a single node works
 * at once, and the file is what an operator copies to the cluster's other nodes.
 * <p>
 * <b>Threading:</b> immutable, thread-safe.
 *
 * @param keys the keys, the signing key first
 * @param source where they came from, for messages
 * @param problems what is wrong with the file but did not stop it from being used (a loose file mode)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record ClusterKey(List<byte[]> keys, String source, List<String> problems) {

    /** The shortest key accepted. */
    public static final int MIN_KEY_BYTES = 16;

    /** The size of a generated key. */
    public static final int GENERATED_KEY_BYTES = 32;

    public ClusterKey {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("a cluster key needs at least one key");
        }
        List<byte[]> copy = new ArrayList<>();
        for (byte[] k : keys) {
            if (k == null || k.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("a cluster key must have at least " + MIN_KEY_BYTES + " bytes");
            }
            copy.add(k.clone());
        }
        keys = List.copyOf(copy);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /**
     * @param key one key
     * @return a cluster key of just that key (tests, the simulator)
     */
    public static ClusterKey of(byte[] key) {
        return new ClusterKey(List.of(key), "memory", List.of());
    }

    /** @return the signing key's id: the first 8 hex digits of its SHA-256, safe to log */
    public String signingKeyId() {
        return id(keys.get(0));
    }

    /**
     * @param key a key
     * @return its id: the first 8 hex digits of its SHA-256
     */
    static String id(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Reads the key file, or creates it with one fresh key (mode 0600) if it does not exist.
     *
     * @param file the key file
     * @param random where a new key comes from
     * @return the keys; {@link #problems()} names a file readable by others
     * @throws IllegalArgumentException if the file exists but holds no valid key (naming the line)
     * @throws UncheckedIOException if it can be neither read nor created
     */
    public static ClusterKey loadOrCreate(Path file, SecureRandom random) {
        if (!Files.exists(file)) {
            try {
                create(file, random);
            } catch (FileAlreadyExistsException e) {
                // another component created it in the meantime: read that one
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the cluster key file " + file + ": " + e.getMessage(), e);
            }
        }
        return load(file);
    }

    /**
     * @param file the key file
     * @return the keys
     * @throws IllegalArgumentException if it holds no valid key, naming the line
     * @throws UncheckedIOException if it cannot be read
     */
    public static ClusterKey load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster key file " + file + ": " + e.getMessage(), e);
        }
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cluster key file " + file + " line " + (i + 1) + " is not Base64");
            }
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("cluster key file " + file + " line " + (i + 1) + " holds a key of "
                        + key.length + " bytes; at least " + MIN_KEY_BYTES + " are needed");
            }
            keys.add(key);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("cluster key file " + file + " holds no key");
        }
        List<String> problems = new ArrayList<>();
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)
                    || mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                problems.add("cluster key file " + file + " has mode " + PosixFilePermissions.toString(mode)
                        + "; anyone who can read it can forge heartbeats and tables: chmod 600 it");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
        return new ClusterKey(keys, file.toString(), problems);
    }

    private static void create(Path file, SecureRandom random) throws IOException {
        byte[] key = new byte[GENERATED_KEY_BYTES];
        random.nextBytes(key);
        String text = "# vmha cluster key (HmacSHA256 of heartbeats and table updates; docs/security-messaging.md).\n"
                + "# Generated at first start. Copy this file to every node of the cluster, mode 0600.\n"
                + "# The first key signs, every key verifies: rotate by adding a line, then moving it first.\n"
                + Base64.getEncoder().encodeToString(key) + "\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        // never replaces: a key another node or component wrote first wins (FileAlreadyExistsException)
        AtomicFiles.create(file, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
    }
}
