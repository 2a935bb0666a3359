/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vmha.api.model.Vmx;

class QemuCommandLineTest {

    private final QemuCommandLine line = new QemuCommandLine("qemu-system-x86_64", null, null);

    @Test
    void pinsMachineAndDefaultsAndTakesMemoryAndCpusFromTheVmx() {
        List<String> a = line.build(new Vmx(2, 64, null, null, null), Path.of("/v/disk,1.img"), Path.of("/v/serial.log"),
                Path.of("/v/qmp.sock"), false);

        assertThat(String.join(" ", a)).isEqualTo("qemu-system-x86_64 -machine pc-i440fx-7.2,accel=kvm:tcg -m 64 -smp 2"
                + " -nodefaults -no-user-config -display none -nic none -drive file=/v/disk,,1.img,format=raw,if=ide"
                + " -serial file:/v/serial.log -qmp unix:/v/qmp.sock,server=on,wait=off");
    }

    @Test
    void aRestoreIsTheSameLinePlusIncomingDefer() {
        Vmx vmx = new Vmx(1, 2, null, null, null);
        List<String> save = line.build(vmx, Path.of("d"), Path.of("s"), Path.of("q"), false);
        List<String> restore = line.build(vmx, Path.of("d"), Path.of("s"), Path.of("q"), true);

        assertThat(restore).startsWith(save.toArray(String[]::new)).endsWith("-incoming", "defer")
                .hasSize(save.size() + 2);
    }

    @Test
    void aVmxWithANicOrAnHbaIsRefusedBeforeQemuStarts() {
        Vmx withNic = new Vmx(1, 2, List.of(new Vmx.Nic("prod", null)), List.of(new Vmx.Hba(null)), null);

        assertThatThrownBy(() -> QemuCommandLine.validate(withNic)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 NIC(s)").hasMessageContaining("1 HBA(s)");
    }
}
