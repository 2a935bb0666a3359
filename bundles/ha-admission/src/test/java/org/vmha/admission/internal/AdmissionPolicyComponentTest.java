/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.admission.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vmha.api.admission.AdmissionRequest;
import org.vmha.api.admission.ClusterSnapshot;
import org.vmha.api.model.FailoverTable;
import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.Host;
import org.vmha.api.model.HostState;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.VmState;
import org.vmha.core.admission.PolicySettings;
import org.vmha.core.admission.PolicyType;

/**
 * The {@link AdmissionPolicyComponentTest} is responsible for the component's configuration handling:
 * selection, live change and the guard's fallbacks.
 *
 * @author vmha - Initial contribution
 */
class AdmissionPolicyComponentTest {

    /** Implements the annotation the way DS does: given values, else the declared defaults. */
    static AdmissionConfiguration config(Map<String, Object> values) {
        return (AdmissionConfiguration) Proxy.newProxyInstance(AdmissionConfiguration.class.getClassLoader(),
                new Class<?>[] {AdmissionConfiguration.class }, (p, m, a) -> {
                    if (values.containsKey(m.getName())) {
                        return values.get(m.getName());
                    }
                    if (m.getDefaultValue() != null) {
                        return m.getDefaultValue();
                    }
                    if ("annotationType".equals(m.getName())) {
                        return AdmissionConfiguration.class;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static ClusterSnapshot cluster() {
        return new ClusterSnapshot(List.of(new Host("A", ResourceVector.of(1000, 1000), HostState.CONNECTED, false),
                new Host("Z", ResourceVector.of(1000, 1000), HostState.CONNECTED, false)),
                new FailoverTable(1, List.of(new FailoverTableEntry("v", "lun-v", "Z", null, RestartPriority.MEDIUM,
                        ResourceVector.of(100, 100), VmState.POWERED_OFF, 1))));
    }

    @Test
    void defaultsGiveTheSlotPolicy() {
        List<String> errors = new ArrayList<>();
        PolicySettings s = AdmissionSettingsGuard.toSettings(config(Map.of()), errors::add);
        assertThat(errors).isEmpty();
        assertThat(s).isEqualTo(PolicySettings.defaults(PolicyType.SLOT));
        assertThat(new AdmissionPolicyComponent(Map.of()).type()).isEqualTo("slot");
    }

    @Test
    void typeAndParametersAreApplied() {
        PolicySettings s = AdmissionSettingsGuard.toSettings(config(Map.of("type", "EXACT", "hostFailures", 2,
                "minSlot", new String[] {"cpuMhz=64", "memoryMb=128" }, "slotCap", new String[] {"memoryMb=4096" },
                "reservedPercent", new String[] {"cpuMhz=30" }, "failoverHosts", new String[] {"Z", " Y " },
                "maxConcurrentRestartsPerHost", 8)), e -> {
                    throw new AssertionError(e);
                });
        assertThat(s.type()).isEqualTo(PolicyType.EXACT);
        assertThat(s.hostFailures()).isEqualTo(2);
        assertThat(s.minSlot()).isEqualTo(ResourceVector.of(64, 128));
        assertThat(s.slotCap().get("memoryMb")).isEqualTo(4096);
        assertThat(s.reservedPercent().amounts()).containsExactly(Map.entry("cpuMhz", 30L));
        assertThat(s.failoverHosts()).containsExactly("Y", "Z");
        assertThat(s.maxConcurrentRestartsPerHost()).isEqualTo(8);
    }

    @Test
    void listsWrittenAsInACfgFileAreSplitOnCommasAndEmptyMeansNone() {
        // etc/org.vmha.admission.cfg gives "reservedPercent = cpuMhz=30, memoryMb=20" as one string
        PolicySettings s = AdmissionSettingsGuard.toSettings(config(Map.of("type", "percentage",
                "reservedPercent", new String[] {"cpuMhz=30, memoryMb=20" }, "slotCap", new String[] {"" },
                "failoverHosts", new String[] {"H3,H4" })), e -> {
                    throw new AssertionError(e);
                });
        assertThat(s.reservedPercent().amounts()).containsExactly(Map.entry("cpuMhz", 30L), Map.entry("memoryMb", 20L));
        assertThat(s.slotCap().amounts()).isEmpty();
        assertThat(s.failoverHosts()).containsExactly("H3", "H4");
    }

    @Test
    void badValuesAreLoggedClearlyAndFallBack() {
        List<String> errors = new ArrayList<>();
        PolicySettings s = AdmissionSettingsGuard.toSettings(config(Map.of("type", "magic", "hostFailures", 0,
                "minSlot", new String[] {"cpuMhz=abc" }, "slotCap", new String[] {"memoryMb=0" },
                "reservedPercent", new String[] {"cpuMhz=150" }, "maxConcurrentRestartsPerHost", -1)), errors::add);
        assertThat(s).isEqualTo(PolicySettings.defaults(PolicyType.SLOT));
        assertThat(errors).hasSize(6);
        assertThat(errors.get(0)).isEqualTo("configuration org.vmha.admission: type=magic is invalid (unknown policy "
                + "type 'magic', expected one of slot, percentage, dedicated, exact); using slot");
        assertThat(errors.get(1)).contains("hostFailures=0").contains("must be >= 1").endsWith("using 1");
        assertThat(errors.get(2)).contains("minSlot=[cpuMhz=abc]").contains("not an integer: 'abc'");
        assertThat(errors.get(3)).contains("slotCap=[memoryMb=0]").contains("must be in 1..");
        assertThat(errors.get(4)).contains("reservedPercent=[cpuMhz=150]").contains("must be in 0..100, was 150");
        assertThat(errors.get(5)).contains("maxConcurrentRestartsPerHost=-1").endsWith("using 32");
    }

    @Test
    void modifiedSwitchesThePolicyLive() {
        AdmissionPolicyComponent c = new AdmissionPolicyComponent(Map.of());
        ClusterSnapshot s = cluster();
        assertThat(c.admit(s, AdmissionRequest.PowerOn.of("v")).admitted()).isTrue();

        c.modified(Map.of("type", "dedicated", "failoverHosts", new String[] {"Z" }));

        assertThat(c.type()).isEqualTo("dedicated");
        assertThat(c.admit(s, AdmissionRequest.PowerOn.of("v")).reason()).contains("dedicated failover host");
        assertThat(c.report(s).policy()).isEqualTo("dedicated");
        assertThat(Set.of(c.hostFailures())).containsExactly(1);
    }

    @Test
    void aMalformedValueOfAnyKeyIsOneLineNamingPidKeyValueAndTheDefaultUsed() {
        List<String> errors = new ArrayList<>();
        PolicySettings s = AdmissionPolicyComponent.settings(Map.of("hostFailures", "abc"), errors::add);
        assertThat(s.hostFailures()).isEqualTo(AdmissionConfiguration.DEFAULT_HOST_FAILURES);
        assertThat(errors).containsExactly("configuration org.vmha.admission: hostFailures = 'abc' is not a whole "
                + "number; using the default 1");
        errors.clear();
        s = AdmissionPolicyComponent.settings(Map.of("hostFailures", "2", "maxConcurrentRestartsPerHost", "many",
                "type", "percentage"), errors::add);
        assertThat(s.hostFailures()).isEqualTo(2);
        assertThat(s.type()).isEqualTo(PolicyType.PERCENTAGE);
        assertThat(s.maxConcurrentRestartsPerHost()).isEqualTo(AdmissionConfiguration.DEFAULT_MAX_CONCURRENT_RESTARTS);
        assertThat(errors).singleElement().asString().startsWith("configuration org.vmha.admission: "
                + "maxConcurrentRestartsPerHost = 'many' is not a whole number; using the default");
    }

    @Test
    void aLiveChangeToAMalformedValueAppliesTheDefaultNotTheOldValue() {
        AdmissionPolicyComponent c = new AdmissionPolicyComponent(Map.of("hostFailures", "2"));
        assertThat(c.hostFailures()).isEqualTo(2);
        c.modified(Map.of("hostFailures", "abc"));
        assertThat(c.hostFailures()).isEqualTo(AdmissionConfiguration.DEFAULT_HOST_FAILURES);
    }
}
