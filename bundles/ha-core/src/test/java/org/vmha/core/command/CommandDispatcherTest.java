/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;
import org.vmha.api.command.request.StatusRequest;
import org.vmha.api.command.request.VmRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class CommandDispatcherTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> internal = new ArrayList<>();
    private CommandDispatcher dispatcher;

    @BeforeEach
    void setUp() {
        dispatcher = new CommandDispatcher((command, e) -> internal.add(command + ": " + e.getMessage()));
        dispatcher.register(handler("echo", EchoArgs.class, args -> Map.of("echo", args)));
        dispatcher.register(handler("find-vm", VmRequest.class, args -> {
            throw new CommandException(CommandException.NOT_FOUND, "unknown VM '" + args.vm() + "'");
        }));
        dispatcher.register(handler("broken", StatusRequest.class, args -> {
            throw new IllegalStateException("disk on fire");
        }));
    }

    @Test
    void okReplyCarriesResultCommandAndId() throws Exception {
        JsonNode reply = reply("{\"command\":\"echo\",\"id\":\"r-1\",\"args\":{\"n\":1,\"list\":[true]}}");
        assertThat(reply.path("ok").asBoolean()).isTrue();
        assertThat(reply.path("command").asText()).isEqualTo("echo");
        assertThat(reply.path("id").asText()).isEqualTo("r-1");
        assertThat(reply.path("result").path("echo").path("n").asInt()).isEqualTo(1);
    }

    /** The arguments of the test's echo command. */
    record EchoArgs(Integer n, List<Object> list) {
    }

    @Test
    void missingArgsBindAnEmptyRequest() throws Exception {
        JsonNode echo = reply("{\"command\":\"echo\"}").path("result").path("echo");
        assertThat(echo.path("n").isNull()).isTrue();
        assertThat(echo.path("list").isNull()).isTrue();
        assertThat(reply("{\"command\":\"echo\",\"args\":null}").path("ok").asBoolean()).isTrue();
    }

    @Test
    void everyBadInputGetsAnErrorNamingIt() throws Exception {
        assertError("{\"command\": ", "BAD_REQUEST", "invalid JSON at line 1");
        assertError("", "BAD_REQUEST", "got nothing");
        assertError("[1,2]", "BAD_REQUEST", "got ARRAY");
        assertError("{\"args\":{}}", "BAD_REQUEST", "field 'command' must be a non-empty string");
        assertError("{\"command\":42}", "BAD_REQUEST", "field 'command' must be a non-empty string");
        assertError("{\"command\":\"echo\",\"args\":[1]}", "BAD_REQUEST", "field 'args' must be a JSON object, got ARRAY");
        assertError("{\"command\":\"launch\"}", "UNKNOWN_COMMAND", "unknown command 'launch'; known: broken, echo, find-vm");
        assertError("{\"command\":\"find-vm\",\"args\":{\"vm\":7}}", "BAD_REQUEST",
                "argument 'vm' of command 'find-vm' must be a string, got integer 7");
        assertError("{\"command\":\"find-vm\",\"args\":{}}", "BAD_REQUEST", "command 'find-vm' needs argument 'vm' (a string)");
        assertError("{\"command\":\"find-vm\",\"args\":{\"vm\":\"VM1\",\"force\":true}}", "BAD_REQUEST",
                "command 'find-vm' has no argument 'force'; it takes vm");
        assertError("{\"command\":\"broken\",\"args\":{\"x\":1}}", "BAD_REQUEST",
                "command 'broken' has no argument 'x'; it takes none");
        assertError("{\"command\":\"find-vm\",\"args\":{\"vm\":\"VM9\"}}", "NOT_FOUND", "unknown VM 'VM9'");
    }

    @Test
    void anUnknownTopLevelFieldIsRefusedNamingIt() throws Exception {
        assertError("{\"command\":\"echo\",\"arg\":{\"vm\":\"VM01\"}}", "BAD_REQUEST",
                "unknown request field 'arg'; a request has only the fields command, id and args");
        JsonNode reply = reply("{\"command\":\"echo\",\"id\":5,\"verbose\":true}");
        assertThat(reply.path("command").asText()).isEqualTo("echo");
        assertThat(reply.path("id").isInt()).as("the id of a refused request comes back too").isTrue();
        assertError("{\"command\":\"echo\",\"\\u001b[2J\":1}", "BAD_REQUEST", "unknown request field '\\u001B[2J'");
    }

    @Test
    void theIdComesBackAsSentStringOrNumber() {
        assertThat(dispatcher.dispatch("{\"command\":\"echo\",\"id\":42}"))
                .startsWith("{\"ok\":true,\"command\":\"echo\",\"id\":42,");
        assertThat(dispatcher.dispatch("{\"command\":\"echo\",\"id\":\"42\"}"))
                .startsWith("{\"ok\":true,\"command\":\"echo\",\"id\":\"42\",");
        assertThat(dispatcher.dispatch("{\"command\":\"echo\",\"id\":-7.5}")).contains("\"id\":-7.5,");
        assertThat(dispatcher.dispatch("{\"command\":\"launch\",\"id\":9007199254740993}"))
                .contains("\"id\":9007199254740993,").contains("UNKNOWN_COMMAND");
        assertThat(dispatcher.dispatch("{\"command\":\"broken\",\"id\":3}")).contains("\"id\":3,");
        assertThat(dispatcher.dispatch("{\"command\":\"echo\",\"id\":null}")).doesNotContain("\"id\"");
    }

    @Test
    void anIdThatIsNeitherStringNorNumberIsRefused() throws Exception {
        assertError("{\"command\":\"echo\",\"id\":true}", "BAD_REQUEST",
                "field 'id' must be a string or a number, got the boolean true");
        assertError("{\"command\":\"echo\",\"id\":{\"a\":1}}", "BAD_REQUEST",
                "field 'id' must be a string or a number, got an object");
        assertError("{\"command\":\"echo\",\"id\":[1]}", "BAD_REQUEST",
                "field 'id' must be a string or a number, got an array");
    }

    @Test
    void invalidJsonIsOneLineWithoutTheParsersInternals() throws Exception {
        String[] bad = {"{\"command\": ", "{\"command\":\"echo\",\"args\":{\"a\":[1,2", "{\"command\":\"echo\"\n,\n\"args\":{x}}",
            "{\"command\":\"echo\" \"id\":1}", "{\"command\":tru}", "{\"command\":\"echo\",}", "\"unterminated",
            "{\"command\":\"echo\"}}", "{'command':'echo'}"};
        for (String request : bad) {
            JsonNode reply = reply(request);
            String message = reply.path("error").path("message").asText();
            assertThat(reply.path("error").path("code").asText()).as(request).isEqualTo("BAD_REQUEST");
            assertThat(message).as(request).startsWith("invalid JSON at line ").doesNotContain("[Source")
                    .doesNotContain("start marker").doesNotContain("(String)").doesNotContain("\n")
                    .doesNotContain("com.fasterxml").doesNotContain("REDACTED");
        }
        assertThat(reply("{\"command\": ").path("error").path("message").asText())
                .isEqualTo("invalid JSON at line 1, column 13: the text ends inside an object (a '}' is missing)");
    }

    @Test
    void aFailingHandlerIsReportedAndTheNextRequestWorks() throws Exception {
        assertError("{\"command\":\"broken\"}", "INTERNAL", "disk on fire");
        assertThat(internal).containsExactly("broken: disk on fire");
        assertThat(reply("{\"command\":\"echo\"}").path("ok").asBoolean()).isTrue();
    }

    @Test
    void handlersComeAndGo() throws Exception {
        CommandHandler<?, ?> echo = handler("echo", StatusRequest.class, args -> Map.of());
        dispatcher.register(echo);
        dispatcher.unregister(echo);
        assertThat(dispatcher.commands()).containsExactly("broken", "find-vm");
        assertError("{\"command\":\"echo\"}", "UNKNOWN_COMMAND", "unknown command 'echo'");
    }

    private void assertError(String request, String code, String message) throws Exception {
        JsonNode reply = reply(request);
        assertThat(reply.path("ok").asBoolean()).as(request).isFalse();
        assertThat(reply.path("error").path("code").asText()).as(request).isEqualTo(code);
        assertThat(reply.path("error").path("message").asText()).as(request).contains(message);
    }

    private JsonNode reply(String request) throws Exception {
        return mapper.readTree(dispatcher.dispatch(request));
    }

    private static <A extends Record> CommandHandler<A, Object> handler(String name, Class<A> type,
            java.util.function.Function<A, Object> f) {
        return new CommandHandler<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Class<A> requestType() {
                return type;
            }

            @Override
            public Object handle(A args) {
                return f.apply(args);
            }
        };
    }

    @Test
    void aKnownCommandWhoseProviderIsAwayIsUnavailableNotUnknown() throws Exception {
        dispatcher.expect(java.util.List.of("power-on"), "the management service");
        assertError("{\"command\":\"power-on\",\"args\":{\"vm\":\"VM1\"}}", "UNAVAILABLE",
                "command 'power-on' is provided by the management service, which does not run on this node now");
        assertError("{\"command\":\"power-onn\"}", "UNKNOWN_COMMAND", "unknown command 'power-onn'");
    }

    @Test
    void recordsEveryRequestInTheAuditLogWithUserChannelArgumentsAndOutcome() {
        List<org.vmha.api.audit.AuditEntry> audit = new ArrayList<>();
        dispatcher.audit(new org.vmha.api.audit.AuditLog() {
            @Override
            public void record(org.vmha.api.audit.AuditEntry entry) {
                audit.add(entry);
            }

            @Override
            public List<org.vmha.api.audit.AuditEntry> query(org.vmha.api.audit.AuditQuery query) {
                return List.of();
            }
        });
        dispatcher.dispatch("{\"command\":\"echo\",\"args\":{\"n\":1}}", "operator", "amqp");
        dispatcher.dispatch("{\"command\":\"find-vm\",\"args\":{\"vm\":\"VM9\"}}", "operator", "stomp");
        dispatcher.dispatch("{\"command\":\"find-vm\",\"args\":{\"vmm\":\"VM9\"}}", "viewer", "core");
        dispatcher.dispatch("{\"command\":\"launch\"}", "viewer", "mqtt");
        dispatcher.dispatch("not json", null, "noc");

        assertThat(audit).extracting(e -> e.user() + " " + e.channel() + " " + e.command() + " " + e.args() + " "
                + e.outcome() + " " + e.code()).containsExactly(
                        "operator amqp echo {n=1} ok null",
                        "operator stomp find-vm {vm=VM9} error NOT_FOUND",
                        "viewer core find-vm {vmm=VM9} refused BAD_REQUEST",
                        "viewer mqtt launch {} refused UNKNOWN_COMMAND",
                        "null noc null {} refused BAD_REQUEST");
        assertThat(audit.get(1).message()).isEqualTo("unknown VM 'VM9'");
        assertThat(audit).allSatisfy(e -> assertThat(e.time()).isNull());
        assertThat(audit.get(0).kind()).isEqualTo(org.vmha.api.audit.AuditEntry.CHANGE);
    }

    @Test
    void aFailingAuditLogNeverChangesTheReply() throws Exception {
        dispatcher.audit(new org.vmha.api.audit.AuditLog() {
            @Override
            public void record(org.vmha.api.audit.AuditEntry entry) {
                throw new IllegalStateException("audit disk gone");
            }

            @Override
            public List<org.vmha.api.audit.AuditEntry> query(org.vmha.api.audit.AuditQuery query) {
                return List.of();
            }
        });
        assertThat(mapper.readTree(dispatcher.dispatch("{\"command\":\"echo\"}", "u", "amqp")).path("ok")
                .asBoolean()).isTrue();
        assertThat(internal).containsExactly("echo: audit disk gone");
    }
}
