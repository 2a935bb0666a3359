/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MessagingSettingsTest {

    @Test
    void emptyUrlIsDerivedFromSystemProperties() {
        MessagingSettings s = MessagingSettings.from(config("", "agent", 1000),
                Map.of("vmha.broker.host", "10.1.2.3", "vmha.broker.port", "61617", "karaf.name", "host-7")::get);

        assertThat(s.brokerUrl()).isEqualTo("tcp://10.1.2.3:61617");
        assertThat(s.nodeName()).isEqualTo("host-7");
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void badValuesFallBackToDefaultsAndAreNamed() {
        MessagingSettings s = MessagingSettings.from(config("amqp//nowhere", " ", 5),
                Map.of("vmha.broker.port", "sixty")::get);

        assertThat(s.brokerUrl()).isEqualTo("tcp://127.0.0.1:61616");
        assertThat(s.username()).isEqualTo("agent");
        assertThat(s.recoveryIntervalMs()).isEqualTo(1000);
        assertThat(s.nodeName()).isEqualTo("vmha");
        assertThat(s.problems()).hasSize(4)
                .anyMatch(p -> p.contains("vmha.broker.port='sixty'"))
                .anyMatch(p -> p.contains("brokerUrl 'amqp//nowhere'"))
                .anyMatch(p -> p.contains("username is empty"))
                .anyMatch(p -> p.contains("recoveryIntervalMs 5"));
    }

    private static MessagingConfiguration config(String url, String user, long recovery) {
        return new MessagingConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MessagingConfiguration.class;
            }

            @Override
            public String brokerUrl() {
                return url;
            }

            @Override
            public String username() {
                return user;
            }

            @Override
            public String password() {
                return "agent";
            }

            @Override
            public String nodeName() {
                return "";
            }

            @Override
            public boolean announceStart() {
                return true;
            }

            @Override
            public long recoveryIntervalMs() {
                return recovery;
            }

            @Override
            public String isolationAddress() {
                return "";
            }

            @Override
            public String clusterKeyFile() {
                return "";
            }

            @Override
            public long probeIntervalMs() {
                return 1000;
            }

            @Override
            public String eventHistoryDirectory() {
                return "";
            }

            @Override
            public long eventHistoryFileBytes() {
                return DEFAULT_EVENT_HISTORY_FILE_BYTES;
            }

            @Override
            public int eventHistoryFiles() {
                return DEFAULT_EVENT_HISTORY_FILES;
            }
        };
    }
}
