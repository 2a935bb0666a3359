/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vmha.api.model.Vmx;

/**
 * The {@link QemuCommandLine} is responsible for turning a {@link Vmx} into a pinned QEMU command
 * line. The line must be identical when saving and when restoring a checkpoint (a different
 * {@code -m} or machine type fails the restore with "Size mismatch" or a device mismatch), so
 * everything that shapes the guest's hardware comes from here and nothing from QEMU's defaults:
 * {@code -nodefaults -no-user-config}, a pinned machine type, no display, no NICs (yet), the serial
 * port to a file and QMP on a UNIX socket.
 * <p>
 * A VMX this adapter cannot run yet (NICs, HBAs, extra disks) is refused here with a message naming
 * what is unsupported, so that a caller can refuse it at registration rather than at failover.
 *
 * @param binary the QEMU binary, e.g. {@code qemu-system-x86_64}
 * @param machine the pinned machine type, e.g. {@code pc-i440fx-7.2}
 * @param accel the accelerator list, e.g. {@code kvm:tcg} or {@code tcg}
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record QemuCommandLine(String binary, String machine, String accel) {

    /** The machine type of QEMU 7.2, pinned so that a checkpoint restores on any host with 7.2+. */
    public static final String DEFAULT_MACHINE = "pc-i440fx-7.2";
    /** KVM where it exists, TCG otherwise. */
    public static final String DEFAULT_ACCEL = "kvm:tcg";

    public QemuCommandLine {
        Objects.requireNonNull(binary, "binary");
        machine = machine == null || machine.isBlank() ? DEFAULT_MACHINE : machine;
        accel = accel == null || accel.isBlank() ? DEFAULT_ACCEL : accel;
    }

    /**
     * Checks that this adapter can run a VMX.
     *
     * @param vmx the hardware description
     * @throws IllegalArgumentException naming what is not supported
     */
    public static void validate(Vmx vmx) {
        List<String> problems = new ArrayList<>();
        if (!vmx.nics().isEmpty()) {
            problems.add(vmx.nics().size() + " NIC(s) (not supported yet)");
        }
        if (!vmx.hbas().isEmpty()) {
            problems.add(vmx.hbas().size() + " HBA(s) (not supported)");
        }
        if (vmx.vcpus() > 255) {
            problems.add(vmx.vcpus() + " vCPUs (at most 255)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the QEMU adapter cannot run this VMX: " + String.join(", ", problems));
        }
    }

    /**
     * The arguments (binary first) for one VM.
     *
     * @param vmx the hardware description (memory, vCPUs)
     * @param bootDisk the raw boot disk image
     * @param serialLog the file the guest's COM1 is written to
     * @param qmpSocket the QMP socket path
     * @param incomingDefer true to start waiting for {@code migrate-incoming} (a restore)
     * @return the command line
     */
    public List<String> build(Vmx vmx, Path bootDisk, Path serialLog, Path qmpSocket, boolean incomingDefer) {
        validate(vmx);
        List<String> a = new ArrayList<>();
        a.add(binary);
        a.add("-machine");
        a.add(machine + ",accel=" + accel);
        a.add("-m");
        a.add(Long.toString(vmx.memoryMb()));
        a.add("-smp");
        a.add(Integer.toString(vmx.vcpus()));
        a.add("-nodefaults");
        a.add("-no-user-config");
        a.add("-display");
        a.add("none");
        a.add("-nic");
        a.add("none");
        a.add("-drive");
        a.add("file=" + escapeOption(bootDisk.toString()) + ",format=raw,if=ide");
        a.add("-serial");
        a.add("file:" + serialLog);
        a.add("-qmp");
        a.add("unix:" + escapeOption(qmpSocket.toString()) + ",server=on,wait=off");
        if (incomingDefer) {
            a.add("-incoming");
            a.add("defer");
        }
        return a;
    }

    /** QEMU option values escape a comma by doubling it. */
    static String escapeOption(String value) {
        return value.replace(",", ",,");
    }
}
