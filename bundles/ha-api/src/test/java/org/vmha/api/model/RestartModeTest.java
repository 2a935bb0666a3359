/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RestartModeTest {

    @Test
    void parsesEitherSpellingInAnyCaseAndNamesABadValue() {
        assertThat(RestartMode.parse(" Cold ")).isEqualTo(RestartMode.COLD);
        assertThat(RestartMode.parse("resume")).isEqualTo(RestartMode.RESUME);
        assertThat(RestartMode.COLD.spelling()).isEqualTo("cold");
        assertThatThrownBy(() -> RestartMode.parse("warm")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("restart mode 'warm' is not one of resume, cold");
        assertThatThrownBy(() -> RestartMode.parse(null)).hasMessageContaining("'null'");
    }

    @Test
    void aVmxOverridesTheClusterModeAndAVmxWithoutOneKeepsIt() {
        Vmx plain = Vmx.builder().vcpus(1).memoryMb(2).build();
        Vmx cold = Vmx.builder().vcpus(1).memoryMb(2).property(RestartMode.VMX_PROPERTY, "cold").build();
        assertThat(RestartMode.of(plain, RestartMode.RESUME)).isEqualTo(RestartMode.RESUME);
        assertThat(RestartMode.of(null, RestartMode.COLD)).isEqualTo(RestartMode.COLD);
        assertThat(RestartMode.of(cold, RestartMode.RESUME)).isEqualTo(RestartMode.COLD);
    }
}
