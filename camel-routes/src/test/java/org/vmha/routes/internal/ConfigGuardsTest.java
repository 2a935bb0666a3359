/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventTypes;
import org.vmha.core.event.EventJournal;

/**
 * The {@link ConfigGuardsTest} is responsible for the guards of the two PIDs the routes read
 * ({@value MessagingConfiguration#PID}, {@value NocCommandConfiguration#PID}): a malformed value of any key is one
 * line naming the PID, the key, the value and the default used, and never an exception.
 *
 * @author vmha - Initial contribution
 */
class ConfigGuardsTest {

    @Test
    void messagingMalformedValuesAreOneLineEachAndTheirDefaults() {
        List<String> errors = new ArrayList<>();
        MessagingConfiguration c = HaMessagingComponent.typed(Map.of("announceStart", "sometimes",
                "recoveryIntervalMs", "5s", "probeIntervalMs", "1e3", "username", "agent-root"), errors::add);
        assertThat(c.announceStart()).isTrue();
        assertThat(c.recoveryIntervalMs()).isEqualTo(MessagingConfiguration.DEFAULT_RECOVERY_INTERVAL_MS);
        assertThat(c.probeIntervalMs()).isEqualTo(1000);
        assertThat(c.username()).isEqualTo("agent-root");
        assertThat(errors).containsExactlyInAnyOrder(
                "Invalid configuration org.vmha.messaging: announceStart = 'sometimes' is not true or false; using the "
                        + "default true",
                "Invalid configuration org.vmha.messaging: recoveryIntervalMs = '5s' is not a whole number; using the "
                        + "default " + MessagingConfiguration.DEFAULT_RECOVERY_INTERVAL_MS,
                "Invalid configuration org.vmha.messaging: probeIntervalMs = '1e3' is not a whole number; using the "
                        + "default 1000");
        // and the settings built from it have no further complaint about those keys
        MessagingSettings s = MessagingSettings.from(c, k -> null);
        assertThat(s.problems()).noneMatch(p -> p.contains("recoveryIntervalMs"));
    }

    @Test
    void eventHistorySettingsOutOfRangeAreOneLineEachAndTheirDefaults(@TempDir Path data) {
        List<String> errors = new ArrayList<>();
        MessagingConfiguration c = HaMessagingComponent.typed(Map.of("eventHistoryFileBytes", "12",
                "eventHistoryFiles", "many"), errors::add);
        List<String> problems = new ArrayList<>();
        EventJournal journal = HaMessagingComponent.journal(c, data.toString(), problems, errors::add);
        assertThat(errors).containsExactly("Invalid configuration org.vmha.messaging: eventHistoryFiles = 'many' is "
                + "not a whole number; using the default 5");
        assertThat(problems).containsExactly("eventHistoryFileBytes 12 is outside 1024..1073741824; using 4194304");
        // the default directory is under karaf.data, made at the first event
        journal.append(new CloudEvent("H1-a-1", "/vmha/agent/H1", EventTypes.HOST_FAILED, Instant.EPOCH, "H2",
                Map.of("host", "H2")));
        journal.close();
        assertThat(data.resolve("vmha/events/" + EventJournal.FILE)).exists();
    }

    @Test
    void commandsMalformedValuesAreOneLineEachAndTheirDefaults() {
        List<String> errors = new ArrayList<>();
        NocCommandConfiguration c = NocCommandComponent.typed(Map.of("enabled", "yes", "maxRequestBytes", "64k",
                "slowThreads", "two", "slowTimeoutMs", "30000"), errors::add);
        assertThat(c.enabled()).isTrue();
        assertThat(c.maxRequestBytes()).isEqualTo(NocCommandConfiguration.DEFAULT_MAX_REQUEST_BYTES);
        assertThat(c.slowThreads()).isEqualTo(1);
        assertThat(c.slowTimeoutMs()).isEqualTo(30_000);
        assertThat(errors).containsExactlyInAnyOrder(
                "Invalid configuration org.vmha.commands: enabled = 'yes' is not true or false; using the default true",
                "Invalid configuration org.vmha.commands: maxRequestBytes = '64k' is not a whole number; using the "
                        + "default " + NocCommandConfiguration.DEFAULT_MAX_REQUEST_BYTES,
                "Invalid configuration org.vmha.commands: slowThreads = 'two' is not a whole number; using the default 1");
    }

    @Test
    void wellFormedFilesGiveNoComplaint() {
        List<String> errors = new ArrayList<>();
        NocCommandComponent.typed(Map.of("enabled", "false", "maxReplyBytes", "1048576"), errors::add);
        HaMessagingComponent.typed(Map.of("brokerUrl", "tcp://127.0.0.1:61616", "announceStart", "false"), errors::add);
        assertThat(errors).isEmpty();
    }
}
