/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;

class AgentSettingsTest {

    @Test
    void acceptsTheCapacityAsOneCommaSeparatedStringAsCfgFilesGiveIt() {
        AgentSettings s = AgentSettings.from(config("H1", new String[] {"cpuMhz=8000,memoryMb=4096"}, 1000, 3000,
                "power-off", 8));
        assertThat(s.problems()).isEmpty();
        assertThat(s.host()).isEqualTo("H1");
        assertThat(s.capacity()).isEqualTo(ResourceVector.of(8000, 4096));
        assertThat(s.peers()).containsExactly("H2", "H3");
        assertThat(s.agent().isolationResponse()).isEqualTo(IsolationResponse.POWER_OFF);
        assertThat(s.agent().maxConcurrentRestarts()).isEqualTo(8);
        assertThat(s.hypervisorType()).isEqualTo("sim");
    }

    @Test
    void acceptsTheCapacityAsSeveralValues() {
        AgentSettings s = AgentSettings.from(config("H1", new String[] {"cpuMhz=8000", " memoryMb = 4096 "}, 1000,
                3000, "shutdown", 8));
        assertThat(s.problems()).isEmpty();
        assertThat(s.capacity()).isEqualTo(ResourceVector.of(8000, 4096));
    }

    @Test
    void badValuesAreNamedAndReplacedByDefaults() {
        AgentSettings s = AgentSettings.from(config("H1", new String[] {"cpuMhz=lots,memoryMb=4096"}, 0, 3000,
                "reboot", 0));
        assertThat(s.problems()).anyMatch(p -> p.contains("capacity") && p.contains("cpuMhz 'lots' is not an integer"))
                .anyMatch(p -> p.contains("heartbeatIntervalMs 0"))
                .anyMatch(p -> p.contains("isolationResponse 'reboot'"))
                .anyMatch(p -> p.contains("maxConcurrentRestarts 0"));
        assertThat(s.capacity()).isEqualTo(ResourceVector.of(16000, 16384));
        assertThat(s.agent().heartbeatIntervalMillis()).isEqualTo(1000);
        assertThat(s.agent().isolationResponse()).isEqualTo(IsolationResponse.LEAVE_POWERED_ON);
        assertThat(s.agent().maxConcurrentRestarts()).isEqualTo(32);
    }

    @Test
    void aFailureTimeoutNotAboveTheIntervalIsRejected() {
        AgentSettings s = AgentSettings.from(config("H1", new String[] {"cpuMhz=1"}, 2000, 2000, "power-off", 4));
        assertThat(s.problems()).anyMatch(p -> p.contains("failureTimeoutMs 2000 is outside 2001..600000"));
        assertThat(s.agent().failureTimeoutMillis()).isGreaterThan(2000);
    }

    @Test
    void aMissingHostNameIsFatalAndSaysSo() {
        AgentSettings s = AgentSettings.from(config(" ", new String[] {"cpuMhz=1"}, 1000, 3000, "power-off", 4));
        assertThat(s.host()).isNull();
        assertThat(s.problems()).anyMatch(p -> p.contains("host") && p.contains("cannot start without a host name"));
    }

    static AgentConfiguration config(String host, String[] capacity, long interval, long timeout, String response,
            int restarts) {
        return new AgentConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AgentConfiguration.class;
            }

            @Override
            public String host() {
                return host;
            }

            @Override
            public String[] capacity() {
                return capacity;
            }

            @Override
            public String[] peers() {
                return new String[] {"H1,H2", "H3"};
            }

            @Override
            public long heartbeatIntervalMs() {
                return interval;
            }

            @Override
            public long failureTimeoutMs() {
                return timeout;
            }

            @Override
            public String isolationResponse() {
                return response;
            }

            @Override
            public long isolationDelayMs() {
                return 30_000;
            }

            @Override
            public int maxConcurrentRestarts() {
                return restarts;
            }

            @Override
            public String hypervisorType() {
                return "sim";
            }

            @Override
            public long adapterTimeoutMs() {
                return 10_000;
            }
        };
    }
}
