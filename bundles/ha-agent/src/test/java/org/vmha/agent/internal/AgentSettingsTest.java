/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;
import org.vmha.failover.AgentConfig;

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

    @Test
    void aFailureTimeoutThatIsNoNumberIsOneProblemNamingKeyValueAndTheDefault() {
        AgentSettings s = AgentSettings.from(Map.of("host", "H1", "failureTimeoutMs", "abc"));
        assertThat(s.problems()).singleElement().asString().contains("failureTimeoutMs", "'abc'", "2500")
                .doesNotContain("\n");
        assertThat(s.agent().failureTimeoutMillis()).isEqualTo(2500);
        assertThat(s.host()).isEqualTo("H1");
    }

    @Test
    void malformedValuesOfEveryKindFallBackToTheirDefaultsOneProblemEach() {
        AgentSettings s = AgentSettings.from(Map.of("host", "H1", "capacity", "garbage", "heartbeatIntervalMs", "-5",
                "isolationResponse", "explode", "maxConcurrentRestarts", "2.5", "adapterTimeoutMs", "soon"));
        assertThat(s.problems()).hasSize(5)
                .anyMatch(p -> p.contains("capacity") && p.contains("'garbage'") && p.contains("cpuMhz=16000"))
                .anyMatch(p -> p.contains("heartbeatIntervalMs -5") && p.contains("using 1000"))
                .anyMatch(p -> p.contains("isolationResponse 'explode'") && p.contains("leave-powered-on"))
                .anyMatch(p -> p.contains("maxConcurrentRestarts") && p.contains("'2.5'") && p.contains("32"))
                .anyMatch(p -> p.contains("adapterTimeoutMs") && p.contains("'soon'") && p.contains("2000"));
        assertThat(s.capacity()).isEqualTo(ResourceVector.of(16000, 16384));
        assertThat(s.agent().heartbeatIntervalMillis()).isEqualTo(1000);
        assertThat(s.agent().maxConcurrentRestarts()).isEqualTo(32);
        assertThat(s.adapterTimeoutMillis()).isEqualTo(2000);
    }

    @Test
    void anEmptyConfigurationGivesTheDocumentedDefaultsWhichAreThoseOfAgentConfig() {
        AgentSettings s = AgentSettings.from(Map.of("host", "H1"));
        assertThat(s.problems()).isEmpty();
        AgentConfig d = AgentConfig.DEFAULTS;
        assertThat(s.agent().heartbeatIntervalMillis()).isEqualTo(d.heartbeatIntervalMillis())
                .isEqualTo(AgentConfiguration.DEFAULT_HEARTBEAT_INTERVAL_MS);
        assertThat(s.agent().failureTimeoutMillis()).isEqualTo(d.failureTimeoutMillis()).isEqualTo(2500);
        assertThat(s.agent().isolationResponse()).isEqualTo(d.isolationResponse());
        assertThat(s.agent().isolationDelayMillis()).isEqualTo(d.isolationDelayMillis());
        assertThat(s.agent().maxConcurrentRestarts()).isEqualTo(d.maxConcurrentRestarts());
        assertThat(s.hypervisorType()).isEqualTo(AgentConfiguration.DEFAULT_HYPERVISOR_TYPE);
        assertThat(s.adapterTimeoutMillis()).isEqualTo(AgentConfiguration.DEFAULT_ADAPTER_TIMEOUT_MS);
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
