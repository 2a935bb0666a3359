/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.vmha.api.event.CloudEvent;

/**
 * The {@link EventJournal} is responsible for keeping the events a node received on disk, so that its history
 * survives a restart of the node or of the bundle that holds it. Each event is one line of JSON (its CloudEvents
 * structured form) appended to {@code events.jsonl} in the journal's directory. When that file would grow past the
 * size limit it is renamed {@code events.jsonl.1} (the older ones move up one number) and a new one begins; at most
 * {@code files} files are kept, so the journal never holds much more than {@code files × maxFileBytes} bytes.
 * <p>
 * A line that is not a valid event (a torn write at a crash, an edit) is skipped when the journal is read, with one
 * warning naming the file and the line; the other lines are kept. A failed write is one warning and the event stays
 * in memory; the next write tries again.
 * <p>
 * <b>Threading:</b> thread-safe; writes are serialized.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class EventJournal {

    /** The name of the file being written. */
    public static final String FILE = "events.jsonl";

    private final Path directory;
    private final long maxFileBytes;
    private final int files;
    private final CloudEventCodec codec;
    private final Consumer<String> warnings;
    private Writer writer;
    private long size;
    private boolean writeFailing;

    /**
     * @param directory where the files are, created when missing
     * @param maxFileBytes the size at which the current file is rotated, at least 1 KiB
     * @param files how many files to keep, the current one included, at least 1
     * @param codec the events' JSON form
     * @param warnings told of corrupt lines and failed writes, one line each
     */
    public EventJournal(Path directory, long maxFileBytes, int files, CloudEventCodec codec,
            Consumer<String> warnings) {
        if (maxFileBytes < 1024) {
            throw new IllegalArgumentException("event journal file size must be >= 1024 bytes, was " + maxFileBytes);
        }
        if (files < 1) {
            throw new IllegalArgumentException("event journal must keep >= 1 file, was " + files);
        }
        this.directory = directory;
        this.maxFileBytes = maxFileBytes;
        this.files = files;
        this.codec = codec;
        this.warnings = warnings;
    }

    /**
     * Reads the journal, oldest file first.
     *
     * @param max at most this many, the newest ones
     * @return the events kept, oldest first
     */
    public synchronized List<CloudEvent> read(int max) {
        ArrayDeque<CloudEvent> newest = new ArrayDeque<>();
        for (int i = files - 1; i >= 0; i--) {
            Path file = file(i);
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                readFile(file, in, newest, max);
            } catch (NoSuchFileException e) {
                // not rotated that far yet
            } catch (IOException | UncheckedIOException e) {
                warnings.accept("Cannot read the event journal " + file + ": " + e.getMessage());
            }
        }
        return new ArrayList<>(newest);
    }

    private void readFile(Path file, BufferedReader in, ArrayDeque<CloudEvent> newest, int max) throws IOException {
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                newest.addLast(codec.decode(line));
            } catch (RuntimeException e) {
                warnings.accept("Skipping line " + number + " of the event journal " + file
                        + ": not a CloudEvent (" + e.getMessage() + ")");
                continue;
            }
            if (newest.size() > max) {
                newest.removeFirst();
            }
        }
    }

    /**
     * @param event appended, the file rotated first if it would grow past its limit
     */
    public synchronized void append(CloudEvent event) {
        String line = codec.encode(event) + "\n";
        int bytes = line.getBytes(StandardCharsets.UTF_8).length;
        try {
            if (writer == null) {
                open();
            }
            if (size > 0 && size + bytes > maxFileBytes) {
                rotate();
            }
            writer.write(line);
            writer.flush();
            size += bytes;
            if (writeFailing) {
                writeFailing = false;
                warnings.accept("The event journal " + file(0) + " is written again");
            }
        } catch (IOException | UncheckedIOException e) {
            closeQuietly();
            if (!writeFailing) {
                writeFailing = true;
                warnings.accept("Cannot write the event journal " + file(0) + ": " + e.getMessage()
                        + "; the history is kept in memory until it can");
            }
        }
    }

    /** Closes the current file; a later {@link #append} opens it again. */
    public synchronized void close() {
        closeQuietly();
    }

    private void open() throws IOException {
        Files.createDirectories(directory);
        Path current = file(0);
        writer = Files.newBufferedWriter(current, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        size = Files.size(current);
    }

    private void rotate() throws IOException {
        closeQuietly();
        Files.deleteIfExists(file(files - 1));
        for (int i = files - 2; i >= 0; i--) {
            if (Files.exists(file(i))) {
                Files.move(file(i), file(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        open();
    }

    private void closeQuietly() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                // closing after a failed write: nothing more to keep
            }
            writer = null;
        }
    }

    private Path file(int index) {
        return directory.resolve(index == 0 ? FILE : FILE + "." + index);
    }
}
