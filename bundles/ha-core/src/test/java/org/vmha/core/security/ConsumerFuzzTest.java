/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.vmha.api.command.CommandHandler;
import org.vmha.api.heartbeat.HostHeartbeat;
import org.vmha.api.model.ResourceVector;
import org.vmha.core.command.CommandDispatcher;
import org.vmha.core.event.CloudEventCodec;
import org.vmha.core.event.MalformedMessageException;
import org.vmha.core.transport.ClusterMessageCodec;

import com.fasterxml.jackson.databind.ObjectMapper;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of every consumer's decoder without Karaf (the broker-level fuzz is MessageFuzzIT): generated malformed,
 * oversized, deeply nested and adversarial inputs never make a decoder fail with anything but a
 * {@link MalformedMessageException} (the dispatcher never fails at all, and its reply is always JSON), never take long,
 * and a valid message among them still decodes.
 */
class ConsumerFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ClusterMessageCodec codec = new ClusterMessageCodec();
    private final CloudEventCodec events = new CloudEventCodec();
    private final CommandDispatcher dispatcher = new CommandDispatcher((c, e) -> {
    });

    ConsumerFuzzTest() {
        dispatcher.register(new CommandHandler<Echo, Object>() {
            @Override
            public String name() {
                return "echo";
            }

            @Override
            public Class<Echo> requestType() {
                return Echo.class;
            }

            @Override
            public Object handle(Echo args) {
                return Map.of("args", args);
            }
        });
    }

    static final String HEARTBEAT = "{\"host\":\"H1\",\"sequence\":7,\"timeMillis\":1000,\"load\":{\"cpuMhz\":10},"
            + "\"capacity\":{\"cpuMhz\":8000,\"memoryMb\":8192}}";
    static final String TABLE = "{\"source\":\"management\",\"full\":true,\"version\":3,\"hosts\":[\"H1\"],\"entries\":"
            + "[{\"vm\":\"VM1\",\"lun\":\"lun-VM1\",\"currentHost\":\"H1\",\"alternateHost\":null,\"priority\":\"medium\","
            + "\"reservation\":{\"cpuMhz\":1},\"state\":{\"kind\":\"RUNNING\"},\"generation\":1}]}";
    static final String EVENT = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"org.vmha.x\","
            + "\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"a\":1}}";
    static final String COMMAND = "{\"command\":\"echo\",\"id\":\"r1\",\"args\":{\"x\":[1,2,3]}}";

    /** Adversarial inputs: valid messages mutated, truncated, nested, padded, filled with control characters. */
    @Provide
    Arbitrary<String> adversarial() {
        Arbitrary<String> base = Arbitraries.of(HEARTBEAT, TABLE, EVENT, COMMAND);
        Arbitrary<String> mutated = Combinators.combine(base, Arbitraries.integers().between(0, 400),
                Arbitraries.strings().ofMaxLength(20)).as((b, at, ins) -> {
                    int i = Math.min(at, b.length());
                    return b.substring(0, i) + ins + b.substring(Math.min(b.length(), i + ins.length() % 5));
                });
        Arbitrary<String> truncated = Combinators.combine(base, Arbitraries.integers().between(0, 400))
                .as((b, n) -> b.substring(0, Math.min(n, b.length())));
        Arbitrary<String> nested = Combinators.combine(Arbitraries.integers().between(1, 50_000),
                Arbitraries.of("[", "{\"a\":", "{\"command\":\"echo\",\"args\":{\"x\":"))
                .as((n, open) -> open.repeat(n) + "1" + (open.startsWith("[") ? "]" : "}").repeat(n));
        Arbitrary<String> huge = Combinators.combine(base, Arbitraries.integers().between(1, 3_000_000),
                Arbitraries.of("x", "\u001b", "\\\"", "9", "\u202E"))
                .as((b, n, c) -> b.replace("H1", c.repeat(Math.max(1, n / c.length()))));
        Arbitrary<String> numbers = Arbitraries.of("1e999999999", "-" + "9".repeat(5_000), "0." + "0".repeat(100_000) + "1",
                "9223372036854775808", "NaN", "-Infinity").map(v -> HEARTBEAT.replace("7", v));
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(300);
        return Arbitraries.oneOf(mutated, truncated, nested, huge, numbers, junk);
    }

    @Property(tries = 400)
    void theClusterDecodersRefuseOnlyWithAMalformedMessageException(@ForAll("adversarial") String input) {
        long t0 = System.nanoTime();
        for (Runnable decode : List.<Runnable>of(() -> codec.decodeHeartbeat(input), () -> codec.decodeTable(input),
                () -> events.decode(input))) {
            try {
                decode.run();
            } catch (MalformedMessageException e) {
                assertThat(e.getMessage()).hasSizeLessThan(2_000).doesNotContain("\u001b").doesNotContain("\u202E");
            }
        }
        assertThat(System.nanoTime() - t0).as("decoding time").isLessThan(2_000_000_000L);
    }

    @Property(tries = 400)
    void theDispatcherAlwaysAnswersWithAShortJsonReply(@ForAll("adversarial") String input) throws Exception {
        String reply = dispatcher.dispatch(input);
        assertThat(MAPPER.readTree(reply).has("ok")).isTrue();
        if (!reply.startsWith("{\"ok\":true")) {
            assertThat(reply).hasSizeLessThan(2_000);
        }
    }

    @Property(tries = 100)
    void validMessagesAmongThemStillDecode(@ForAll("adversarial") String noise) {
        try {
            codec.decodeHeartbeat(noise);
        } catch (MalformedMessageException e) {
            // expected for most
        }
        HostHeartbeat hb = codec.decodeHeartbeat(HEARTBEAT);
        assertThat(hb.capacity()).isEqualTo(ResourceVector.of(8000, 8192));
        assertThat(codec.decodeTable(TABLE).hosts()).containsExactly("H1");
        assertThat(events.decode(EVENT).type()).isEqualTo("org.vmha.x");
        assertThat(dispatcher.dispatch(COMMAND)).startsWith("{\"ok\":true");
    }

    /** The arguments of the test's echo command. */
    record Echo(Object x) {
    }
}
