/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.lenient;

import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.Subject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.audit.AuditEntry;
import org.vmha.api.audit.AuditLog;
import org.vmha.api.audit.AuditQuery;
import org.vmha.api.command.CommandException;
import org.vmha.core.audit.AuditFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tests of the audit of the {@code ha:*} commands ({@link HaCommandSupport#call}) and of {@code ha:audit}
 * ({@link AuditCommand}).
 *
 * @author vmha - Initial contribution
 */
class AuditCommandTest {

    private static final Instant T0 = Instant.parse("2026-12-02T14:00:00Z");

    @TempDir
    Path dir;

    private ShellFixture shell;
    private AuditFile log;

    /** Karaf's user principal, as the shell sees it (matched by its simple name). */
    record UserPrincipal(String getName) implements Principal {
    }

    /** Karaf's client principal: method and address. */
    record ClientPrincipal(String getName) implements Principal {
    }

    @BeforeEach
    void setUp() throws Exception {
        shell = new ShellFixture();
        log = new AuditFile(dir, 1 << 20, 3, Clock.fixed(T0, ZoneOffset.UTC), w -> {
            throw new AssertionError(w);
        });
        shell.register(AuditLog.class, log, null, null);
        login("operator", "ssh(10.0.0.7)");
    }

    private void login(String user, String client) {
        Subject subject = new Subject(false, Set.of(new UserPrincipal(user), new ClientPrincipal(client)), Set.of(),
                Set.of());
        lenient().when(shell.session.get(Subject.class.getName())).thenReturn(subject);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private AuditCommand audit() {
        AuditCommand a = shell.wire(new AuditCommand());
        a.clock = Clock.fixed(T0.plusSeconds(7200), ZoneOffset.UTC);
        a.noFormat = true;
        return a;
    }

    @Test
    void everyCallIsRecordedWithUserChannelArgumentsAndOutcome() throws Exception {
        shell.handler("power-off", map("vm", "VM05", "state", "POWERED_OFF", "host", "H1"));
        shell.handler("power-on", args -> {
            throw new CommandException(CommandException.NOT_FOUND, "unknown VM 'VM99'");
        });
        shell.handler("status", map());
        VmPowerOffCommand off = shell.wire(new VmPowerOffCommand());
        off.vm = "VM05";
        off.doExecute();
        VmPowerOnCommand on = shell.wire(new VmPowerOnCommand());
        on.vm = "VM99";
        on.host = "H2";
        assertThatThrownBy(on::doExecute).isInstanceOf(CommandException.class);
        login("karaf", "local(localhost)");
        VmSetCommand set = shell.wire(new VmSetCommand());
        set.vm = "VM05";
        set.ha = "maybe";
        assertThatThrownBy(set::doExecute).isInstanceOf(IllegalArgumentException.class).hasMessage(
                "--ha must be on or off, got 'maybe'");
        HostRemoveCommand remove = shell.wire(new HostRemoveCommand());
        remove.host = "H3";
        assertThatThrownBy(remove::doExecute).isInstanceOf(IllegalStateException.class);

        List<AuditEntry> entries = log.query(new AuditQuery(null, null, null, 10));
        assertThat(entries).extracting(e -> e.user() + " " + e.channel() + " " + e.command() + " " + e.kind() + " "
                + e.args() + " " + e.outcome() + " " + e.code()).containsExactly(
                        "operator ssh power-off change {vm=VM05} ok null",
                        "operator ssh power-on change {vm=VM99, host=H2} error NOT_FOUND",
                        "karaf shell set change {vm=VM05, ha=maybe} refused BAD_REQUEST",
                        "karaf shell host-remove change {host=H3} refused UNAVAILABLE");
        assertThat(entries.get(1).message()).isEqualTo("unknown VM 'VM99'");
        assertThat(entries.get(2).message()).isEqualTo("--ha must be on or off, got 'maybe'");
        assertThat(entries).allSatisfy(e -> assertThat(e.time()).isEqualTo(T0));
    }

    /** The table is the example of docs/security.md, "Operator audit". */
    @Test
    void printsTheEntriesAsATableNewestLast() throws Exception {
        seed();
        AuditCommand a = audit();
        a.noFormat = false;
        a.doExecute();
        assertThat(shell.out().lines().toList()).containsExactly(
                "Time                 | User  | Channel | Command   | Kind   | Arguments        | Outcome",
                "---------------------+-------+---------+-----------+--------+------------------+-------------------------"
                        + "--------------------------------",
                "2026-12-02T12:30:00Z | alice | amqp    | power-off | change | vm=VM05          | ok",
                "2026-12-02T13:10:00Z | bob   | ssh     | migrate   | change | vm=VM07 host=H3  | error ADMISSION_DENIED: H3 "
                        + "has no room",
                "2026-12-02T13:20:00Z | alice | stomp   | status    | read   | -                | ok",
                "2026-12-02T15:00:00Z | bob   | shell   | set       | change | vm=VM01 ha=maybe | refused BAD_REQUEST: --ha "
                        + "must be on or off, got 'maybe'");
    }

    @Test
    void filtersBySinceTypeAndUserAndKeepsTheNewestN() throws Exception {
        seed();
        AuditCommand a = audit();
        a.since = "165m";
        a.doExecute();
        assertThat(shell.out()).doesNotContain("power-off").doesNotContain("migrate").contains("status").contains("set");
        shell.resetOut();
        a = audit();
        a.type = "migrate";
        a.doExecute();
        assertThat(shell.out().lines()).hasSize(1).last().asString().contains("VM07");
        shell.resetOut();
        a = audit();
        a.user = "alice";
        a.since = "2026-12-02T13:00:00Z";
        a.doExecute();
        assertThat(shell.out().lines()).hasSize(1).last().asString().contains("status");
        shell.resetOut();
        a = audit();
        a.max = 1;
        a.doExecute();
        assertThat(shell.out().lines()).hasSize(1).last().asString().contains("\tset ");
        shell.resetOut();
        a = audit();
        a.user = "nobody";
        a.noFormat = false;
        a.doExecute();
        assertThat(shell.out()).contains("no audit entries by user nobody");
    }

    @Test
    void printsJsonAsTheFileHasIt() throws Exception {
        seed();
        AuditCommand a = audit();
        a.json = true;
        a.type = "migrate";
        a.doExecute();
        JsonNode rows = new ObjectMapper().readTree(shell.out());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).toString()).isEqualTo("{\"time\":\"2026-12-02T13:10:00Z\",\"user\":\"bob\",\"channel\":"
                + "\"ssh\",\"command\":\"migrate\",\"kind\":\"change\",\"outcome\":\"error\",\"code\":"
                + "\"ADMISSION_DENIED\",\"message\":\"H3 has no room\",\"args\":{\"vm\":\"VM07\",\"host\":\"H3\"}}");
    }

    @Test
    void refusesAnUnknownTypeABadTimeAndANegativeCount() {
        AuditCommand a = audit();
        a.type = "power-of";
        assertThatThrownBy(a::doExecute).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(
                "--type must be a command name (host-add, host-remove, maintenance, migrate, plan, power-off, ")
                .hasMessageEndingWith("got 'power-of'; did you mean power-off?");
        AuditCommand b = audit();
        b.since = "yesterday";
        assertThatThrownBy(b::doExecute).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(
                "--since must be an ISO time");
        AuditCommand c = audit();
        c.max = -1;
        assertThatThrownBy(c::doExecute).hasMessage("-n must be >= 0, got -1");
    }

    @Test
    void saysSoWhenTheNodeHasNoAuditLog() throws Exception {
        ShellFixture bare = new ShellFixture();
        AuditCommand a = bare.wire(new AuditCommand());
        assertThatThrownBy(a::doExecute).isInstanceOf(IllegalStateException.class).hasMessage(
                "no audit log on this node (feature ha-routes)");
    }

    private void seed() {
        log.record(new AuditEntry(T0.minusSeconds(5400), "alice", "amqp", "power-off", AuditEntry.CHANGE, map("vm",
                "VM05"), AuditEntry.OK, null, null));
        log.record(new AuditEntry(T0.minusSeconds(3000), "bob", "ssh", "migrate", AuditEntry.CHANGE, map("vm", "VM07",
                "host", "H3"), AuditEntry.ERROR, "ADMISSION_DENIED", "H3 has no room"));
        log.record(new AuditEntry(T0.minusSeconds(2400), "alice", "stomp", "status", AuditEntry.READ, Map.of(),
                AuditEntry.OK, null, null));
        log.record(new AuditEntry(T0.plusSeconds(3600), "bob", "shell", "set", AuditEntry.CHANGE, map("vm", "VM01",
                "ha", "maybe"), AuditEntry.REFUSED, "BAD_REQUEST", "--ha must be on or off, got 'maybe'"));
    }
}
