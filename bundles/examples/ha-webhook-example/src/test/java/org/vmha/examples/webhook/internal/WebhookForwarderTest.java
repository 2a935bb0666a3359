/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.examples.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WebhookForwarderTest {

    @Test
    void attemptsThatAreNoNumberAreOneErrorNamingPidKeyValueAndTheDefault() {
        List<String> errors = new ArrayList<>();
        assertThat(WebhookForwarder.attempts(Map.of("attempts", "many"), errors::add)).isEqualTo(5);
        assertThat(errors).containsExactly("Invalid configuration org.vmha.example.webhook: attempts = 'many' is not "
                + "a whole number; using the default 5");
    }

    @Test
    void attemptsOutOfRangeFallBackToTheDefault() {
        List<String> errors = new ArrayList<>();
        assertThat(WebhookForwarder.attempts(Map.of("attempts", -2), errors::add)).isEqualTo(5);
        assertThat(WebhookForwarder.attempts(Map.of("attempts", "7"), errors::add)).isEqualTo(7);
        assertThat(WebhookForwarder.attempts(Map.of(), errors::add)).isEqualTo(5);
        assertThat(errors).containsExactly("Invalid configuration org.vmha.example.webhook: attempts = -2 is outside "
                + "1..20; using the default 5");
    }

    @Test
    void aMalformedUrlIsOneErrorLineAndTheOutputStaysOff() {
        List<String> errors = new ArrayList<>();
        assertThat(WebhookForwarder.url(Map.of("url", "http://a b/"), errors::add)).isNull();
        assertThat(WebhookForwarder.url(Map.of("url", "ftp://noc/"), errors::add)).isNull();
        assertThat(WebhookForwarder.url(Map.of("url", " https://noc.example/hook "), errors::add))
                .isEqualTo("https://noc.example/hook");
        assertThat(errors).hasSize(2).allMatch(e -> e.startsWith("Invalid configuration org.vmha.example.webhook: url = ")
                && e.endsWith("the webhook output stays off") && !e.contains("\n"));
    }
}
