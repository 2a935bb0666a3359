/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vmha.api.storage.CorruptDataException;
import org.vmha.api.storage.Lease;
import org.vmha.api.storage.LeaseExpiredException;
import org.vmha.api.storage.LeaseHeldException;
import org.vmha.api.storage.LeaseState;
import org.vmha.api.storage.StaleGenerationException;
import org.vmha.api.storage.StorageException;

/**
 * The {@link LeaseFiles} is responsible for the lease of one volume, kept in its {@code lease/}
 * directory so that it works across processes and across hosts sharing the directory over NFS.
 * <ul>
 * <li>Generation {@code g} is granted by creating {@code gen-<g>.json} with a hard link from a
 * fully written, fsynced temporary file. {@code link(2)} fails if the name exists, atomically, on
 * local filesystems and on NFS (where a retried link that reports EEXIST is recognised by the link
 * pointing to our own temporary file). So at most one host ever owns a generation.</li>
 * <li>The current generation is the highest {@code gen-*} file. Renewals and releases by the owner
 * replace {@code renew-<g>.json} atomically (temporary file, fsync, rename).</li>
 * <li>A candidate takes over only when the current generation is released or its expiry plus the
 * takeover margin (clock-skew allowance) has passed on the candidate's clock; it then links
 * {@code g+1}. After linking, it re-reads the directory and gives up if a higher generation exists.</li>
 * <li>The fence: a write with generation {@code g} is accepted only if {@code g} is the highest
 * generation, it is not released, and its expiry has not passed on the writer's clock.</li>
 * </ul>
 *
 * @author vmha - Initial contribution
 */
final class LeaseFiles {

    private static final Pattern GEN = Pattern.compile("gen-(\\d{20})\\.json");
    private static final int KEEP_GENERATIONS = 8;
    private static final int MAX_ATTEMPTS = 8;

    private final Clock clock;
    private final long durationMillis;
    private final long takeoverMarginMillis;

    LeaseFiles(Clock clock, long durationMillis, long takeoverMarginMillis) {
        this.clock = clock;
        this.durationMillis = durationMillis;
        this.takeoverMarginMillis = takeoverMarginMillis;
    }

    static Path genFile(Path dir, long g) {
        return dir.resolve(String.format("gen-%020d.json", g));
    }

    static Path renewFile(Path dir, long g) {
        return dir.resolve(String.format("renew-%020d.json", g));
    }

    static long maxGeneration(Path dir) throws IOException {
        long max = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "gen-*.json")) {
            for (Path p : ds) {
                Matcher m = GEN.matcher(p.getFileName().toString());
                if (m.matches()) {
                    max = Math.max(max, Long.parseLong(m.group(1)));
                }
            }
        }
        return max;
    }

    /** @return the latest generation's state, or null if none was granted */
    LeaseState current(Path dir, String lun) throws IOException {
        long g = maxGeneration(dir);
        if (g == 0) {
            return null;
        }
        LeaseState granted = Json.read(genFile(dir, g), LeaseState.class);
        check(granted, lun, g, genFile(dir, g));
        try {
            LeaseState renewed = Json.read(renewFile(dir, g), LeaseState.class);
            check(renewed, lun, g, renewFile(dir, g));
            return renewed;
        } catch (NoSuchFileException e) {
            return granted;
        }
    }

    private static void check(LeaseState s, String lun, long g, Path file) {
        if (s.generation() != g || !lun.equals(s.lun())) {
            throw new CorruptDataException(file + " claims lun " + s.lun() + " generation " + s.generation()
                    + " but its name says " + lun + " generation " + g);
        }
    }

    Lease acquire(Path dir, String lun, String host) throws IOException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            LeaseState s = current(dir, lun);
            long now = clock.millis();
            if (s != null && !s.released() && now < s.expiresAtMillis() + takeoverMarginMillis) {
                throw held(s, host, now);
            }
            long g = s == null ? 1 : s.generation() + 1;
            LeaseState mine = new LeaseState(lun, host, g, now, now + durationMillis, false);
            Path tmp = FsIo.writeTemp(dir, "gen", Json.bytes(mine));
            boolean linked;
            try {
                Files.createLink(genFile(dir, g), tmp);
                linked = true;
            } catch (FileAlreadyExistsException e) {
                // on NFS a retransmitted LINK reports EEXIST although the first one succeeded
                linked = Files.isSameFile(genFile(dir, g), tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (!linked) {
                continue; // another host won generation g; re-read who holds it
            }
            FsIo.fsyncDirectory(dir);
            if (maxGeneration(dir) != g) {
                continue; // we linked a generation that a faster host had already passed
            }
            prune(dir, g);
            return new Lease(lun, host, g, now, now + durationMillis);
        }
        LeaseState s = current(dir, lun);
        if (s != null) {
            throw held(s, host, clock.millis());
        }
        throw new StorageException("acquiring the lease of " + lun + " for " + host + " lost " + MAX_ATTEMPTS
                + " races in a row in " + dir);
    }

    private LeaseHeldException held(LeaseState s, String host, long now) {
        return new LeaseHeldException(s.lun(), s.owner(), s.generation(), s.expiresAtMillis(), "volume " + s.lun()
                + " is leased by " + s.owner() + " (generation " + s.generation() + ") until " + s.expiresAtMillis()
                + " (now " + now + ", takeover margin " + takeoverMarginMillis + " ms); " + host
                + " may take over only after expiry");
    }

    Lease renew(Path dir, Lease lease) throws IOException {
        LeaseState s = fence(dir, lease.lun(), lease.generation(), "renew lease of " + lease.host());
        long now = clock.millis();
        LeaseState renewed = new LeaseState(s.lun(), s.owner(), s.generation(), s.acquiredAtMillis(),
                now + durationMillis, false);
        FsIo.writeAtomically(renewFile(dir, s.generation()), Json.bytes(renewed));
        fence(dir, lease.lun(), lease.generation(), "renew lease of " + lease.host());
        return new Lease(s.lun(), s.owner(), s.generation(), s.acquiredAtMillis(), renewed.expiresAtMillis());
    }

    void release(Path dir, Lease lease) throws IOException {
        LeaseState s = fence(dir, lease.lun(), lease.generation(), "release lease of " + lease.host());
        LeaseState released = new LeaseState(s.lun(), s.owner(), s.generation(), s.acquiredAtMillis(),
                clock.millis(), true);
        FsIo.writeAtomically(renewFile(dir, s.generation()), Json.bytes(released));
    }

    /**
     * Checks that {@code generation} may write now.
     *
     * @return the current state
     * @throws StaleGenerationException if it is not the current generation
     * @throws LeaseExpiredException if it expired or was released
     */
    LeaseState fence(Path dir, String lun, long generation, String what) throws IOException {
        LeaseState s = current(dir, lun);
        long currentGeneration = s == null ? 0 : s.generation();
        if (s == null || generation != currentGeneration) {
            throw new StaleGenerationException(lun, generation, currentGeneration, what + " on " + lun
                    + " refused: generation " + generation + " is stale, the current lease generation is "
                    + currentGeneration + (s == null ? " (never leased)" : " held by " + s.owner()));
        }
        long now = clock.millis();
        if (!s.isLive(now)) {
            throw new LeaseExpiredException(lun, generation, what + " on " + lun + " refused: lease generation "
                    + generation + " of " + s.owner() + (s.released() ? " was released"
                            : " expired at " + s.expiresAtMillis() + " (now " + now + ")"));
        }
        return s;
    }

    private static void prune(Path dir, long g) throws IOException {
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.matches("(gen|renew)-\\d{20}\\.json")) {
                    long gen = Long.parseLong(n.substring(n.indexOf('-') + 1, n.indexOf('.')));
                    if (gen <= g - KEEP_GENERATIONS) {
                        old.add(p);
                    }
                }
            }
        }
        for (Path p : old) {
            FsIo.deleteQuietly(p);
        }
    }
}
