/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Tests of {@link ConfigGuard}: each malformed value is one problem line naming key, value and default, and the
 * default is what the component sees; good values of every supported type come through.
 *
 * @author vmha - Initial contribution
 */
class ConfigGuardTest {

    @Retention(RetentionPolicy.RUNTIME)
    @interface Sample {
        int hostFailures() default 1;

        long intervalMs() default 1000;

        boolean enabled() default true;

        double ratio() default 0.5;

        String type() default "slot";

        String[] minSlot() default {"cpuMhz=32"};

        long[] sizes() default {};

        String broker_url() default "";

        String max__bytes() default "";

        String node$_$name() default "";
    }

    private final List<String> problems = new ArrayList<>();

    private Sample read(Map<String, ?> props) {
        return ConfigGuard.read(Sample.class, props, problems::add);
    }

    @Test
    void missingKeysGetTheirDefaultsSilently() {
        Sample s = read(Map.of());
        assertThat(s.hostFailures()).isEqualTo(1);
        assertThat(s.intervalMs()).isEqualTo(1000);
        assertThat(s.enabled()).isTrue();
        assertThat(s.minSlot()).containsExactly("cpuMhz=32");
        assertThat(problems).isEmpty();
        assertThat(read(null).type()).isEqualTo("slot");
    }

    @Test
    void aWordForAWholeNumberIsOneLineAndTheDefault() {
        Sample s = read(Map.of("hostFailures", "abc"));
        assertThat(s.hostFailures()).isEqualTo(1);
        assertThat(problems).containsExactly("hostFailures = 'abc' is not a whole number; using the default 1");
    }

    @Test
    void everyMalformedValueIsReportedOnceWithKeyValueAndDefault() {
        Map<String, Object> props = new HashMap<>();
        props.put("hostFailures", "2.5");
        props.put("intervalMs", "soon");
        props.put("enabled", "yes");
        props.put("ratio", "NaN");
        props.put("sizes", "1,x");
        Sample s = read(props);
        s.hostFailures();
        s.hostFailures();
        assertThat(s.hostFailures()).isEqualTo(1);
        assertThat(s.intervalMs()).isEqualTo(1000);
        assertThat(s.enabled()).isTrue();
        assertThat(s.ratio()).isEqualTo(0.5);
        assertThat(s.sizes()).isEmpty();
        assertThat(problems).containsExactlyInAnyOrder(
                "hostFailures = '2.5' is not a whole number; using the default 1",
                "intervalMs = 'soon' is not a whole number; using the default 1000",
                "enabled = 'yes' is not true or false; using the default true",
                "ratio = 'NaN' is not a finite number; using the default 0.5",
                "sizes = '1,x' is not a whole number; using the default []");
    }

    @Test
    void anIntBeyondItsRangeIsRefusedNotWrapped() {
        assertThat(read(Map.of("hostFailures", "4294967297")).hostFailures()).isEqualTo(1);
        assertThat(problems).singleElement().asString().startsWith("hostFailures = '4294967297' is beyond the range");
    }

    @Test
    void typedValuesOfTheWebConsoleAndTextOfACfgFileBothWork() {
        Sample typed = read(Map.of("hostFailures", 3, "intervalMs", 250L, "enabled", false, "ratio", 0.25,
                "minSlot", new String[] {"cpuMhz=64", "memoryMb=128"}, "sizes", List.of(1L, 2L)));
        assertThat(typed.hostFailures()).isEqualTo(3);
        assertThat(typed.intervalMs()).isEqualTo(250);
        assertThat(typed.enabled()).isFalse();
        assertThat(typed.ratio()).isEqualTo(0.25);
        assertThat(typed.minSlot()).containsExactly("cpuMhz=64", "memoryMb=128");
        assertThat(typed.sizes()).containsExactly(1L, 2L);
        Sample text = read(Map.of("hostFailures", " 2 ", "enabled", "FALSE", "minSlot", "cpuMhz=8"));
        assertThat(text.hostFailures()).isEqualTo(2);
        assertThat(text.enabled()).isFalse();
        assertThat(text.minSlot()).containsExactly("cpuMhz=8");
        assertThat(problems).isEmpty();
    }

    @Test
    void aListWhereOneValueIsExpectedIsRefused() {
        assertThat(read(Map.of("type", new String[] {"slot", "percentage"})).type()).isEqualTo("slot");
        assertThat(problems).containsExactly("type = ['slot', 'percentage'] is a list of 2 values, one is expected; "
                + "using the default 'slot'");
    }

    @Test
    void keysFollowTheDsNameMapping() {
        Sample s = read(Map.of("broker.url", "tcp://a:1", "max_bytes", "7", "node-name", "n1"));
        assertThat(s.broker_url()).isEqualTo("tcp://a:1");
        assertThat(s.max__bytes()).isEqualTo("7");
        assertThat(s.node$_$name()).isEqualTo("n1");
        assertThat(ConfigGuard.propertyName("a$$b$c")).isEqualTo("a$bc");
    }

    @Test
    void theProblemLineEscapesWhatTheFileHolds() {
        read(Map.of("hostFailures", "1\n2"));
        assertThat(problems).singleElement().asString().doesNotContain("\n").contains("hostFailures = '1");
    }

    @Test
    void arraysHandedOutAreCopies() {
        Sample s = read(Map.of());
        s.minSlot()[0] = "changed";
        assertThat(s.minSlot()).containsExactly("cpuMhz=32");
        assertThat(s.annotationType()).isEqualTo(Sample.class);
        assertThat(s.toString()).contains("hostFailures=1");
    }

    @Property
    void anyTextNeverThrowsAndAlwaysGivesAValueOfTheType(@ForAll String text) {
        Map<String, Object> props = new HashMap<>();
        for (String k : List.of("hostFailures", "intervalMs", "enabled", "ratio", "type", "minSlot", "sizes")) {
            props.put(k, text);
        }
        List<String> seen = new ArrayList<>();
        Sample s = ConfigGuard.read(Sample.class, props, seen::add);
        assertThat(s.type()).isEqualTo(text);
        assertThat(s.minSlot()).containsExactly(text);
        s.hostFailures();
        s.intervalMs();
        s.enabled();
        s.ratio();
        s.sizes();
        assertThat(seen).allSatisfy(line -> assertThat(line).doesNotContain("\n").contains("; using the default "));
    }
}
