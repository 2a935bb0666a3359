/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.audit.AuditEntry;
import org.vmha.api.audit.AuditQuery;

/**
 * Tests of {@link AuditFile}: what is written, rotation and its bound on disk, reading back after a restart,
 * unreadable lines, and the filters.
 *
 * @author vmha - Initial contribution
 */
class AuditFileTest {

    private static final Instant T0 = Instant.parse("2026-12-02T14:00:00Z");

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final MutableClock clock = new MutableClock(T0);

    private AuditFile log(long maxBytes, int maxFiles) {
        return new AuditFile(dir, maxBytes, maxFiles, clock, warnings::add);
    }

    private static AuditEntry entry(String user, String command, String outcome) {
        return new AuditEntry(null, user, "amqp", command, AuditEntry.kindOf(command), Map.of("vm", "VM05"), outcome,
                AuditEntry.OK.equals(outcome) ? null : "CONFLICT", AuditEntry.OK.equals(outcome) ? null
                        : "VM05 is already POWERED_OFF");
    }

    private static final AuditQuery ALL = new AuditQuery(null, null, null, Integer.MAX_VALUE);

    @Test
    void writesOneJsonLinePerEntryStampedWithTheClock() throws Exception {
        AuditFile log = log(AuditFile.DEFAULT_MAX_FILE_BYTES, 3);
        log.record(entry("operator", "power-off", AuditEntry.OK));
        clock.advance(Duration.ofSeconds(5));
        log.record(entry("viewer", "power-off", AuditEntry.ERROR));

        List<String> lines = Files.readAllLines(dir.resolve(AuditFile.CURRENT));
        assertThat(lines).containsExactly(
                "{\"time\":\"2026-12-02T14:00:00Z\",\"user\":\"operator\",\"channel\":\"amqp\",\"command\":\"power-off\","
                        + "\"kind\":\"change\",\"outcome\":\"ok\",\"args\":{\"vm\":\"VM05\"}}",
                "{\"time\":\"2026-12-02T14:00:05Z\",\"user\":\"viewer\",\"channel\":\"amqp\",\"command\":\"power-off\","
                        + "\"kind\":\"change\",\"outcome\":\"error\",\"code\":\"CONFLICT\",\"message\":\"VM05 is already "
                        + "POWERED_OFF\",\"args\":{\"vm\":\"VM05\"}}");
        assertThat(log.query(ALL)).extracting(AuditEntry::user, AuditEntry::time, AuditEntry::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("operator", T0, "ok"),
                org.assertj.core.groups.Tuple.tuple("viewer", T0.plusSeconds(5), "error"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void keepsItsTimeWhenAnEntryHasOne() {
        AuditFile log = log(AuditFile.DEFAULT_MAX_FILE_BYTES, 3);
        log.record(entry("operator", "status", AuditEntry.OK).at(T0.minusSeconds(60)));
        assertThat(log.query(ALL)).singleElement().satisfies(e -> {
            assertThat(e.time()).isEqualTo(T0.minusSeconds(60));
            assertThat(e.kind()).isEqualTo(AuditEntry.READ);
            assertThat(e.args()).containsExactly(Map.entry("vm", "VM05"));
        });
    }

    @Test
    void rotatesAtTheSizeAndKeepsAtMostMaxFilesOnDisk() throws Exception {
        AuditFile log = log(1024, 3);
        for (int i = 0; i < 200; i++) {
            clock.advance(Duration.ofSeconds(1));
            log.record(entry("u" + i, "power-on", AuditEntry.OK));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("audit.jsonl",
                    "audit.jsonl.1", "audit.jsonl.2");
        }
        for (Path f : log.files()) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(1024);
        }
        List<AuditEntry> kept = log.query(ALL);
        // the newest survive, oldest first, without a gap
        assertThat(kept).isNotEmpty().last().extracting(AuditEntry::user).isEqualTo("u199");
        int first = Integer.parseInt(kept.get(0).user().substring(1));
        assertThat(kept).extracting(AuditEntry::user).containsExactlyElementsOf(
                java.util.stream.IntStream.range(first, 200).mapToObj(i -> "u" + i).toList());
        assertThat(kept.size()).isGreaterThan(10);
    }

    @Test
    void aSingleFileIsStartedAfreshWhenFull() throws Exception {
        AuditFile log = log(1024, 1);
        for (int i = 0; i < 50; i++) {
            log.record(entry("u" + i, "set", AuditEntry.OK));
        }
        assertThat(log.files()).containsExactly(dir.resolve(AuditFile.CURRENT));
        assertThat(Files.size(dir.resolve(AuditFile.CURRENT))).isLessThanOrEqualTo(1024);
        assertThat(log.query(ALL)).last().extracting(AuditEntry::user).isEqualTo("u49");
    }

    @Test
    void readsBackEverythingAfterARestart() {
        AuditFile before = log(2048, 4);
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMinutes(1));
            before.record(entry("u" + i, i % 2 == 0 ? "migrate" : "maintenance", AuditEntry.OK));
        }
        List<AuditEntry> written = before.query(ALL);

        AuditFile after = log(2048, 4);
        assertThat(after.query(ALL)).isEqualTo(written);
        after.record(entry("later", "host-add", AuditEntry.OK));
        assertThat(after.query(ALL)).hasSize(written.size() + 1).last().extracting(AuditEntry::user).isEqualTo("later");
    }

    @Test
    void skipsAnUnreadableLineWithOneWarningNamingFileAndLineAndLosesNothingElse() throws Exception {
        AuditFile log = log(AuditFile.DEFAULT_MAX_FILE_BYTES, 3);
        log.record(entry("a", "power-on", AuditEntry.OK));
        Files.writeString(dir.resolve(AuditFile.CURRENT), "{\"time\":\"yesterday\", garbage\n", StandardOpenOption.APPEND);
        log.record(entry("b", "power-on", AuditEntry.OK));

        assertThat(log.query(ALL)).extracting(AuditEntry::user).containsExactly("a", "b");
        assertThat(log.query(ALL)).extracting(AuditEntry::user).containsExactly("a", "b");
        assertThat(warnings).singleElement().asString().contains("line 2").contains(dir.resolve(AuditFile.CURRENT)
                .toString());
    }

    @Test
    void endsALineCutShortByACrashBeforeWritingTheNext() throws Exception {
        AuditFile log = log(AuditFile.DEFAULT_MAX_FILE_BYTES, 3);
        log.record(entry("a", "power-off", AuditEntry.OK));
        Files.write(dir.resolve(AuditFile.CURRENT), "{\"time\":\"2026-12-02T14:00:00Z\",\"us".getBytes(
                StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        AuditFile restarted = log(AuditFile.DEFAULT_MAX_FILE_BYTES, 3);
        restarted.record(entry("b", "power-off", AuditEntry.OK));

        assertThat(restarted.query(ALL)).extracting(AuditEntry::user).containsExactly("a", "b");
        assertThat(warnings).singleElement().asString().contains("line 2");
    }

    @Test
    void filtersBySinceCommandAndUserAndKeepsTheNewestN() {
        AuditFile log = log(AuditFile.DEFAULT_MAX_FILE_BYTES, 3);
        String[] commands = {"power-off", "status", "power-off", "migrate", "power-off"};
        String[] users = {"alice", "bob", "bob", "alice", "alice"};
        for (int i = 0; i < commands.length; i++) {
            log.record(entry(users[i], commands[i], AuditEntry.OK).at(T0.plusSeconds(60L * i)));
        }
        assertThat(log.query(new AuditQuery(null, "power-off", null, 10))).extracting(AuditEntry::time)
                .containsExactly(T0, T0.plusSeconds(120), T0.plusSeconds(240));
        assertThat(log.query(new AuditQuery(null, null, "alice", 10))).extracting(AuditEntry::command)
                .containsExactly("power-off", "migrate", "power-off");
        assertThat(log.query(new AuditQuery(T0.plusSeconds(60), "power-off", "alice", 10))).extracting(
                AuditEntry::time).containsExactly(T0.plusSeconds(240));
        assertThat(log.query(new AuditQuery(null, null, null, 2))).extracting(AuditEntry::command)
                .containsExactly("migrate", "power-off");
        assertThat(log.query(new AuditQuery(null, null, null, 0))).isEmpty();
        assertThat(log.query(new AuditQuery(null, "no-such", null, 10))).isEmpty();
    }

    @Test
    void cutsLongArgumentsAndMessages() {
        AuditFile log = log(AuditFile.DEFAULT_MAX_FILE_BYTES, 3);
        log.record(new AuditEntry(null, "u", "core", "what-if", null, Map.of("hosts", "H".repeat(5000)),
                AuditEntry.REFUSED, "BAD_REQUEST", "m".repeat(2000)));
        AuditEntry e = log.query(ALL).get(0);
        assertThat(e.args()).containsOnlyKeys("truncated");
        assertThat((String) e.args().get("truncated")).hasSize(200);
        assertThat(e.message()).hasSize(AuditFile.MAX_MESSAGE_CHARS + 1);
        assertThat(e.kind()).isEqualTo(AuditEntry.READ);
    }

    @Test
    void aFailureToWriteIsWarnedAndNeverThrown() throws Exception {
        Path file = dir.resolve("not-a-directory");
        Files.writeString(file, "x");
        AuditFile log = new AuditFile(file, 1024, 2, clock, warnings::add);
        log.record(entry("a", "power-off", AuditEntry.OK));
        assertThat(warnings).singleElement().asString().startsWith("Cannot write the audit log").contains("power-off");
        assertThat(log.query(ALL)).isEmpty();
    }

    @Test
    void refusesBoundsThatCannotWork() {
        assertThatThrownBy(() -> log(10, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(
                "maxFileBytes");
        assertThatThrownBy(() -> log(2048, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(
                "maxFiles");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
