/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.core.security.ClusterKey;
import org.vmha.core.security.MessageAuthenticator;

/**
 * The {@link ClusterKeyHolder} is responsible for this node's {@link MessageAuthenticator}: it loads the cluster key
 * file (creating it, mode 0600, at first start) and reloads it when the file changes, so a key is rotated without a
 * restart (docs/security-messaging.md). A file that cannot be read or holds no valid key is logged as an error and
 * replaced by a random key of this node alone: its agents then hear no peer on the network and no peer hears them,
 * which the two-channel failure detection treats as a network partition (the datastore heartbeats go on, nothing is
 * restarted), never as a host failure.
 * <p>
 * <b>Threading:</b> thread-safe; {@link #authenticator()} returns at once.
 *
 * @author vmha - Initial contribution
 */
final class ClusterKeyHolder implements AutoCloseable {

    private static final long CHECK_EVERY_MS = 5_000;

    private final Logger logger = LoggerFactory.getLogger(ClusterKeyHolder.class);
    private final Path file;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService watcher;
    private volatile MessageAuthenticator authenticator;
    private volatile String keyId;
    private FileTime loadedAt;

    /**
     * @param file the key file
     * @param watch whether to reload it when it changes
     */
    ClusterKeyHolder(Path file, boolean watch) {
        this.file = file;
        load(true);
        if (watch) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vmha-cluster-key");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
        } else {
            watcher = null;
        }
    }

    /** @return the authenticator of the current key */
    MessageAuthenticator authenticator() {
        return authenticator;
    }

    /** @return the id of the signing key (8 hex digits, safe to show) */
    String keyId() {
        return keyId;
    }

    private void reloadIfChanged() {
        try {
            FileTime t = Files.getLastModifiedTime(file);
            if (!t.equals(loadedAt)) {
                load(false);
            }
        } catch (IOException | RuntimeException e) {
            // the file went away: keep the key in use (a node must not lose its peers because etc/ is being edited)
            logger.debug("Cluster key file {} not checked: {}", file, e.toString());
        }
    }

    private synchronized void load(boolean first) {
        try {
            FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            ClusterKey key = ClusterKey.loadOrCreate(file, random);
            key.problems().forEach(p -> logger.warn("{}", p));
            authenticator = new MessageAuthenticator(key);
            String previous = keyId;
            keyId = key.signingKeyId();
            loadedAt = Files.getLastModifiedTime(file);
            if (before == null) {
                logger.warn("Generated the cluster key {} (key id {}): copy this file to every other node of the "
                        + "cluster, or their agents will not hear this node's", file, keyId);
            } else if (first || !keyId.equals(previous)) {
                logger.info("Heartbeats and table updates are signed with cluster key {} from {} ({} key(s) verify)",
                        keyId, file, key.keys().size());
            }
        } catch (IllegalArgumentException | UncheckedIOException | IOException e) {
            logger.error("Cannot use the cluster key file {}: {}. {}", file, e.getMessage(), first
                    ? "Using a key of this node alone: its agents hear no peer and are heard by none (a partition, "
                            + "nothing is restarted) until the file is fixed"
                    : "Keeping the key in use");
            if (first) {
                byte[] k = new byte[ClusterKey.GENERATED_KEY_BYTES];
                random.nextBytes(k);
                ClusterKey key = ClusterKey.of(k);
                authenticator = new MessageAuthenticator(key);
                keyId = key.signingKeyId();
            }
            try {
                loadedAt = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            } catch (IOException ignored) {
                loadedAt = null;
            }
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
