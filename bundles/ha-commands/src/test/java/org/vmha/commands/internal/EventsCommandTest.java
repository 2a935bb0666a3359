/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.mockito.junit.jupiter.MockitoSettings;
import org.mockito.quality.Strictness;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventHistory;
import org.vmha.api.event.EventTypes;
import org.vmha.core.event.EventRing;

@ExtendWith(MockitoExtension.class)
@MockitoSettings(strictness = Strictness.LENIENT)
class EventsCommandTest {

    @Mock
    Session session;

    @Mock
    BundleContext context;

    @Mock
    ServiceReference<EventHistory> ref;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final EventRing ring = new EventRing(100, e -> {
    });
    private final EventsCommand command = new EventsCommand();

    @BeforeEach
    void setUp() throws Exception {
        when(session.getConsole()).thenReturn(new PrintStream(console, true, StandardCharsets.UTF_8));
        when(context.getServiceReferences(eq(EventHistory.class), any())).thenReturn(List.of(ref));
        when(context.getService(ref)).thenReturn(ring);
        command.session = session;
        command.bundleContext = context;
        ring.add(CloudEvent.of("/vmha/agent/H2", EventTypes.HOST_FAILED, Instant.parse("2026-11-27T10:00:00Z"), "H1",
                Map.of("host", "H1", "by", "H2")));
        ring.add(CloudEvent.of("/vmha/agent/H2", EventTypes.VM_RESTARTED, Instant.parse("2026-11-27T10:00:03Z"), "VM1",
                Map.of("vm", "VM1")));
    }

    private String out() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsTheHistoryFilteredByTypeAsTableOrJson() throws Exception {
        command.type = "host";
        command.noFormat = true;
        command.doExecute();
        assertThat(out()).contains("2026-11-27T10:00:00Z").contains(EventTypes.HOST_FAILED).doesNotContain("VM1");
        console.reset();
        command.type = null;
        command.json = true;
        command.doExecute();
        assertThat(out()).contains("\"type\" : \"org.vmha.vm.restarted\"").contains("\"subject\" : \"H1\"");
        command.max = -1;
        assertThatThrownBy(command::doExecute).hasMessage("-n must be >= 0, got -1");
    }

    @Test
    void followPrintsMatchingNewEventsUntilInterrupted() throws Exception {
        command.follow = true;
        command.type = "vm.restarted";
        command.max = 0;
        Thread t = new Thread(() -> {
            try {
                command.doExecute();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        // the follower is registered once the (empty) history is printed; publish until it shows up
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n = 0;
        while (!out().contains("VM-new") && System.nanoTime() < deadline) {
            ring.add(CloudEvent.of("/vmha/agent/H3", EventTypes.HOST_FAILED, Instant.now(), "H9", Map.of()));
            ring.add(CloudEvent.of("/vmha/agent/H3", EventTypes.VM_RESTARTED, Instant.now(), "VM-new" + n++, Map.of()));
            Thread.onSpinWait();
            t.join(20);
        }
        t.interrupt();
        t.join(5_000);
        assertThat(t.isAlive()).as("follow ends on interrupt").isFalse();
        assertThat(out()).contains("VM-new").doesNotContain("H9");
    }
}
