/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.storage.CorruptCheckpointException;
import org.vmha.api.storage.CorruptDataException;
import org.vmha.api.storage.StorageException;

/**
 * The {@link CheckpointFiles} is responsible for the on-disk format of memory-state checkpoints:
 * {@code state/ckpt-<sequence>-g<generation>.swap} holding the raw image, then a JSON trailer (the
 * {@link CheckpointInfo} with its CRC32C), the trailer length (4 bytes, big-endian) and the magic
 * {@value #MAGIC}. A file without a valid trailer, with a size that disagrees with it, or whose bytes
 * do not match the checksum is reported as a {@link CorruptCheckpointException}.
 *
 * @author vmha - Initial contribution
 */
final class CheckpointFiles {

    static final String MAGIC = "VMHACKP1";
    static final int BUFFER = 1 << 20;
    private static final int TAIL = 4 + 8;
    private static final int MAX_TRAILER = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d{20})-g(\\d{20})\\.swap");

    private CheckpointFiles() {
    }

    /** A checkpoint file found by name. */
    record Entry(Path file, long sequence, long generation) {
    }

    static String name(long sequence, long generation) {
        return String.format("ckpt-%020d-g%020d.swap", sequence, generation);
    }

    /** @return checkpoint files ordered by sequence, then generation (oldest first) */
    static List<Entry> list(Path stateDir) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(stateDir, "ckpt-*.swap")) {
            for (Path p : ds) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(new Entry(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                }
            }
        }
        out.sort(Comparator.comparingLong(Entry::sequence).thenComparingLong(Entry::generation));
        return out;
    }

    static String checksum(CRC32C crc) {
        return String.format("crc32c:%08x", crc.getValue());
    }

    /** Metadata the writer knows before streaming. */
    record Header(String lun, long sequence, long generation) {
    }

    /**
     * Streams {@code image} into a new temporary file in {@code dir} with its trailer and fsyncs it.
     *
     * @return the metadata written; the temporary file is {@code tmp}
     */
    static CheckpointInfo write(Path tmp, Header h, InputStream image, java.util.function.LongSupplier now)
            throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buf = new byte[BUFFER];
        try (FileChannel ch = FileChannel.open(tmp, CREATE_NEW, WRITE)) {
            while (true) {
                int n;
                try {
                    n = image.readNBytes(buf, 0, buf.length);
                } catch (IOException e) {
                    throw new StorageException("reading the state image for " + h.lun() + " (generation "
                            + h.generation() + ") from the caller failed after " + size + " bytes: " + e, e);
                }
                if (n <= 0) {
                    break;
                }
                crc.update(buf, 0, n);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                size += n;
            }
            CheckpointInfo info = new CheckpointInfo(h.lun(), h.sequence(), h.generation(), size, checksum(crc),
                    now.getAsLong());
            byte[] trailer = Json.bytes(info);
            ByteBuffer t = ByteBuffer.allocate(trailer.length + TAIL);
            t.put(trailer).putInt(trailer.length).put(MAGIC.getBytes(StandardCharsets.US_ASCII)).flip();
            while (t.hasRemaining()) {
                ch.write(t);
            }
            ch.force(true);
            return info;
        }
    }

    /** Reads and checks a checkpoint's trailer without reading the image. */
    static CheckpointInfo trailer(Entry e, String lun) throws IOException {
        try (FileChannel ch = FileChannel.open(e.file(), READ)) {
            return trailer(ch, e, lun);
        }
    }

    private static CheckpointInfo trailer(FileChannel ch, Entry e, String lun) throws IOException {
        long fileSize = ch.size();
        if (fileSize < TAIL) {
            throw corrupt(e, lun, "file is " + fileSize + " bytes, too short for a checkpoint trailer (torn or truncated)");
        }
        ByteBuffer tail = ByteBuffer.allocate(TAIL);
        readFully(ch, tail, fileSize - TAIL);
        int len = tail.getInt(0);
        String magic = new String(tail.array(), 4, 8, StandardCharsets.US_ASCII);
        if (!MAGIC.equals(magic)) {
            throw corrupt(e, lun, "no checkpoint trailer (magic " + MAGIC + " missing): torn, truncated or not a checkpoint");
        }
        if (len <= 0 || len > MAX_TRAILER || len > fileSize - TAIL) {
            throw corrupt(e, lun, "trailer length " + len + " is impossible for a " + fileSize + "-byte file");
        }
        ByteBuffer json = ByteBuffer.allocate(len);
        readFully(ch, json, fileSize - TAIL - len);
        CheckpointInfo info;
        try {
            info = Json.parse(e.file().toString(), json.array(), CheckpointInfo.class);
        } catch (CorruptDataException x) {
            throw corrupt(e, lun, "trailer unreadable: " + x.getMessage());
        }
        long dataSize = fileSize - TAIL - len;
        if (info.sizeBytes() != dataSize || info.sequence() != e.sequence() || info.generation() != e.generation()
                || !lun.equals(info.lun())) {
            throw corrupt(e, lun, "trailer says lun " + info.lun() + " sequence " + info.sequence() + " generation "
                    + info.generation() + " size " + info.sizeBytes() + " but the file holds " + dataSize
                    + " image bytes and is named for sequence " + e.sequence() + " generation " + e.generation());
        }
        return info;
    }

    /** Streams the image to {@code sink}, verifying size and checksum. */
    static CheckpointInfo read(Entry e, String lun, OutputStream sink) throws IOException {
        try (FileChannel ch = FileChannel.open(e.file(), READ)) {
            CheckpointInfo info = trailer(ch, e, lun);
            CRC32C crc = new CRC32C();
            byte[] buf = new byte[BUFFER];
            long remaining = info.sizeBytes();
            long pos = 0;
            while (remaining > 0) {
                ByteBuffer b = ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, remaining));
                readFully(ch, b, pos);
                int n = b.position();
                crc.update(buf, 0, n);
                try {
                    sink.write(buf, 0, n);
                } catch (IOException x) {
                    throw new StorageException("writing checkpoint " + e.sequence() + " of " + lun
                            + " to the caller's stream failed: " + x, x);
                }
                pos += n;
                remaining -= n;
            }
            String actual = checksum(crc);
            if (!actual.equals(info.checksum())) {
                throw corrupt(e, lun, "checksum mismatch: the image hashes to " + actual + " but " + info.checksum()
                        + " was written (the bytes already streamed must be discarded)");
            }
            return info;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + pos);
            }
            pos += n;
        }
    }

    static CorruptCheckpointException corrupt(Entry e, String lun, String why) {
        return new CorruptCheckpointException(lun, e.sequence(), "checkpoint " + e.sequence() + " (generation "
                + e.generation() + ") of " + lun + " in " + e.file() + " is corrupt: " + why
                + "; earlier checkpoints stay readable by sequence");
    }
}
