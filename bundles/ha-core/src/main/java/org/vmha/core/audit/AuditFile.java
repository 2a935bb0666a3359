/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.vmha.api.audit.AuditEntry;
import org.vmha.api.audit.AuditLog;
import org.vmha.api.audit.AuditQuery;
import org.vmha.core.security.SafeText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link AuditFile} is responsible for keeping the {@link AuditLog} on disk: one JSON object per line in
 * {@value #CURRENT} of its directory, for example
 * <pre>
 * {"time":"2026-12-02T14:05:01.120Z","user":"operator","channel":"amqp","command":"power-off","kind":"change","outcome":"ok","args":{"vm":"VM05"}}
 * </pre>
 * A line that would take the file past {@code maxFileBytes} first rotates it: {@code audit.jsonl} becomes
 * {@code audit.jsonl.1}, {@code audit.jsonl.1} becomes {@code audit.jsonl.2} and so on, and the oldest beyond
 * {@code maxFiles} (the current one included) is deleted; so the log never takes much more than
 * {@code maxFileBytes × maxFiles} on disk. Each line is forced to disk before {@link #record} returns, a line cut
 * short by a crash is ended before the next one is written, and a line that cannot be read back (cut short,
 * edited) is skipped with one warning naming its file and line: nothing else is lost. Long values are cut
 * ({@value #MAX_ARGS_CHARS} characters of arguments, {@value #MAX_MESSAGE_CHARS} of a message).
 * <p>
 * <b>Threading:</b> thread-safe: appends and reads are serialised.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class AuditFile implements AuditLog {

    /** The file written to. */
    public static final String CURRENT = "audit.jsonl";

    /** The default largest size of one file, 4 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 4L * 1024 * 1024;

    /** The default number of files kept, the current one included. */
    public static final int DEFAULT_MAX_FILES = 8;

    /** Arguments longer than this (as JSON) are kept as a prefix, {@code {"truncated": "…"}}. */
    static final int MAX_ARGS_CHARS = 2048;

    /** Messages longer than this are cut. */
    static final int MAX_MESSAGE_CHARS = 500;

    /** User, channel, command and code longer than this are cut. */
    static final int MAX_NAME_CHARS = 100;

    private static final int MAX_WARNED = 1000;

    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final Path dir;
    private final long maxFileBytes;
    private final int maxFiles;
    private final Clock clock;
    private final Consumer<String> warnings;
    private final Set<String> warned = new HashSet<>();

    /**
     * @param dir the directory of the files (created when the first entry is written)
     * @param maxFileBytes rotate before a file grows past this (at least 1024)
     * @param maxFiles files kept, the current one included (at least 1)
     * @param clock stamps entries that come without a time
     * @param warnings told one line for each line that cannot be read and each failure to write
     */
    public AuditFile(Path dir, long maxFileBytes, int maxFiles, Clock clock, Consumer<String> warnings) {
        if (maxFileBytes < 1024) {
            throw new IllegalArgumentException("maxFileBytes must be >= 1024, got " + maxFileBytes);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("maxFiles must be >= 1, got " + maxFiles);
        }
        this.dir = dir;
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        this.clock = clock;
        this.warnings = warnings;
    }

    /** @return the directory of the files */
    public Path directory() {
        return dir;
    }

    @Override
    public void record(AuditEntry entry) {
        AuditEntry e = entry.time() == null ? entry.at(clock.instant()) : entry;
        byte[] line;
        try {
            line = (mapper.writeValueAsString(toJson(e)) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException ex) {
            warnings.accept("Cannot write an audit entry of command " + SafeText.prefix(e.command(), 40) + ": "
                    + SafeText.prefix(ex.getOriginalMessage(), 200));
            return;
        }
        synchronized (this) {
            try {
                append(line);
            } catch (IOException | RuntimeException ex) {
                warnings.accept("Cannot write the audit log " + dir.resolve(CURRENT) + ": " + SafeText.prefix(
                        String.valueOf(ex), 200) + " (lost: " + SafeText.prefix(new String(line,
                                StandardCharsets.UTF_8).strip(), 300) + ")");
            }
        }
    }

    private void append(byte[] line) throws IOException {
        Files.createDirectories(dir);
        Path current = dir.resolve(CURRENT);
        long size = Files.exists(current) ? Files.size(current) : 0;
        if (size > 0 && size + line.length > maxFileBytes) {
            rotate();
            size = 0;
        }
        // READ and APPEND do not go together: write at the end by hand (the lock keeps other writers out)
        try (FileChannel ch = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            ch.position(ch.size());
            ByteBuffer out = ByteBuffer.wrap(line);
            if (size > 0 && !endsWithNewline(ch)) {
                // a line cut short by a crash: end it, so that only that one is unreadable
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.force(false);
        }
    }

    private static boolean endsWithNewline(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return true;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        return last.get(0) == '\n';
    }

    private void rotate() throws IOException {
        if (maxFiles == 1) {
            Files.delete(dir.resolve(CURRENT));
            return;
        }
        Files.deleteIfExists(rotated(maxFiles - 1));
        for (int i = maxFiles - 2; i >= 1; i--) {
            Path from = rotated(i);
            if (Files.exists(from)) {
                Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(dir.resolve(CURRENT), rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path rotated(int i) {
        return dir.resolve(CURRENT + "." + i);
    }

    /** @return the files that hold entries now, oldest first */
    public synchronized List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (int i = maxFiles - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                out.add(rotated(i));
            }
        }
        if (Files.exists(dir.resolve(CURRENT))) {
            out.add(dir.resolve(CURRENT));
        }
        return out;
    }

    @Override
    public synchronized List<AuditEntry> query(AuditQuery query) {
        Deque<AuditEntry> newest = new ArrayDeque<>();
        if (query.max() == 0) {
            return List.of();
        }
        for (Path file : files()) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int n = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    AuditEntry e = parse(line);
                    if (e == null) {
                        warnOnce(file, n, line);
                    } else if (query.matches(e)) {
                        newest.addLast(e);
                        if (newest.size() > query.max()) {
                            newest.removeFirst();
                        }
                    }
                }
            } catch (NoSuchFileException e) {
                // rotated away meanwhile: cannot happen under the lock, but a person may delete files
            } catch (IOException | RuntimeException e) {
                warnings.accept("Cannot read the audit log " + file + ": " + SafeText.prefix(String.valueOf(e), 200));
            }
        }
        return List.copyOf(newest);
    }

    private void warnOnce(Path file, int line, String text) {
        String key = file.getFileName() + ":" + line + ":" + text.hashCode();
        if (warned.size() >= MAX_WARNED) {
            warned.clear();
        }
        if (warned.add(key)) {
            warnings.accept("Skipping unreadable line " + line + " of the audit log " + file + ": "
                    + SafeText.prefix(text, 80));
        }
    }

    private ObjectNode toJson(AuditEntry e) throws JsonProcessingException {
        ObjectNode n = mapper.createObjectNode();
        n.put("time", DateTimeFormatter.ISO_INSTANT.format(e.time()));
        putCut(n, "user", e.user(), MAX_NAME_CHARS);
        putCut(n, "channel", e.channel(), MAX_NAME_CHARS);
        putCut(n, "command", e.command(), MAX_NAME_CHARS);
        putCut(n, "kind", e.kind() != null ? e.kind() : AuditEntry.kindOf(e.command()), MAX_NAME_CHARS);
        putCut(n, "outcome", e.outcome(), MAX_NAME_CHARS);
        putCut(n, "code", e.code(), MAX_NAME_CHARS);
        putCut(n, "message", e.message(), MAX_MESSAGE_CHARS);
        JsonNode args = mapper.valueToTree(e.args());
        String text = mapper.writeValueAsString(args);
        if (text.length() > MAX_ARGS_CHARS) {
            n.putObject("args").put("truncated", text.substring(0, 200));
        } else {
            n.set("args", args);
        }
        return n;
    }

    private static void putCut(ObjectNode n, String field, String value, int max) {
        if (value != null) {
            n.put(field, value.length() > max ? value.substring(0, max) + "…" : value);
        }
    }

    /** @return the entry of one line, or null if it is not one */
    private AuditEntry parse(String line) {
        try {
            JsonNode n = mapper.readTree(line);
            if (n == null || !n.isObject() || !n.path("time").isTextual() || !n.path("outcome").isTextual()) {
                return null;
            }
            Instant time = Instant.parse(n.get("time").asText());
            JsonNode args = n.get("args");
            Map<String, Object> map = args == null || !args.isObject() ? Map.of()
                    : mapper.convertValue(args, new TypeReference<java.util.LinkedHashMap<String, Object>>() {
                    });
            return new AuditEntry(time, text(n, "user"), text(n, "channel"), text(n, "command"), text(n, "kind"), map,
                    text(n, "outcome"), text(n, "code"), text(n, "message"));
        } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
