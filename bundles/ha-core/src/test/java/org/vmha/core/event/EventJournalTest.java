/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;

/**
 * Tests {@link EventJournal}: what a node received is read back after a restart, the files stay within their bound,
 * a corrupt line costs only itself, and a journal that cannot be written keeps the node going.
 *
 * @author vmha - Initial contribution
 */
class EventJournalTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final CloudEventCodec codec = new CloudEventCodec();

    private static CloudEvent event(int n) {
        return new CloudEvent("H1-k2-" + n, "/vmha/agent/H1", EventTypes.VM_RESTARTED,
                Instant.parse("2026-12-02T10:00:00Z").plusSeconds(n), "VM" + n, Map.of("vm", "VM" + n));
    }

    private EventJournal journal(long maxFileBytes, int files) {
        return new EventJournal(dir, maxFileBytes, files, codec, warnings::add);
    }

    @Test
    void aNewJournalReadsWhatTheLastOneWrote() {
        EventJournal first = journal(1 << 20, 3);
        for (int i = 1; i <= 5; i++) {
            first.append(event(i));
        }
        first.close();

        List<CloudEvent> back = journal(1 << 20, 3).read(100);
        assertThat(back).extracting(CloudEvent::id).containsExactly("H1-k2-1", "H1-k2-2", "H1-k2-3", "H1-k2-4",
                "H1-k2-5");
        assertThat(back.get(2)).isEqualTo(event(3));
        assertThat(journal(1 << 20, 3).read(2)).extracting(CloudEvent::id).containsExactly("H1-k2-4", "H1-k2-5");
        assertThat(warnings).isEmpty();
    }

    @Test
    void rotationKeepsTheNewestWithinTheBound() throws IOException {
        EventJournal j = journal(1024, 3);
        for (int i = 1; i <= 200; i++) {
            j.append(event(i));
        }
        j.close();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> kept = files.toList();
            assertThat(kept).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("events.jsonl", "events.jsonl.1", "events.jsonl.2");
            for (Path p : kept) {
                assertThat(Files.size(p)).isLessThanOrEqualTo(1024);
            }
        }
        List<CloudEvent> back = journal(1024, 3).read(10_000);
        assertThat(back).isNotEmpty();
        // the newest survive, in order, and nothing between the oldest kept and the newest is missing
        assertThat(back.get(back.size() - 1).id()).isEqualTo("H1-k2-200");
        int first = Integer.parseInt(back.get(0).id().substring("H1-k2-".length()));
        assertThat(back).extracting(CloudEvent::id)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(first, 200)
                        .mapToObj(i -> "H1-k2-" + i).toList());
    }

    @Test
    void aCorruptLineIsSkippedWithOneWarningNamingFileAndLine() throws IOException {
        EventJournal j = journal(1 << 20, 2);
        j.append(event(1));
        j.close();
        Files.writeString(dir.resolve(EventJournal.FILE), "{\"specversion\":\"1.0\",\"id\":\"torn\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        EventJournal again = journal(1 << 20, 2);
        again.append(event(2));

        assertThat(again.read(10)).extracting(CloudEvent::id).containsExactly("H1-k2-1", "H1-k2-2");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("line 2").contains(dir.resolve(EventJournal.FILE).toString());
    }

    @Test
    void aJournalThatCannotBeWrittenWarnsOnceAndTheNodeGoesOn() throws IOException {
        Path blocked = dir.resolve("not-a-directory");
        Files.writeString(blocked, "a file where the journal's directory should be");
        EventJournal j = new EventJournal(blocked, 1 << 20, 2, codec, warnings::add);
        j.append(event(1));
        j.append(event(2));
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("Cannot write the event journal").contains("kept in memory");
        assertThat(j.read(10)).isEmpty();
    }

    @Test
    void settingsOutsideTheirRangeAreRefusedNamingThem() {
        assertThatThrownBy(() -> journal(10, 2)).hasMessageContaining("file size must be >= 1024");
        assertThatThrownBy(() -> journal(4096, 0)).hasMessageContaining("keep >= 1 file");
    }

    @Test
    void theRingTakesTheJournalBackBeforeThisRunsEvents() {
        EventRing ring = new EventRing(3, e -> {
        });
        ring.add(event(10));
        ring.restore(List.of(event(1), event(2), event(3)));
        assertThat(ring.recent(10, null)).extracting(CloudEvent::id).containsExactly("H1-k2-2", "H1-k2-3",
                "H1-k2-10");
        assertThat(ring.received()).isEqualTo(1);
    }
}
