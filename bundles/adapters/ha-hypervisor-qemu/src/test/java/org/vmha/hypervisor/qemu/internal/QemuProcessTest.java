/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmha.hypervisor.qemu.internal.QemuTestSupport.banners;
import static org.vmha.hypervisor.qemu.internal.QemuTestSupport.seqs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.api.model.Vmx;

import com.fasterxml.jackson.databind.JsonNode;

/** Real QEMU with the test guest: boot, serial output, QMP status, power-off, RAM checkpoint and resume. */
class QemuProcessTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static final Vmx GUEST = new Vmx(1, 2, null, null, null);

    @TempDir
    Path dir;

    private QemuCommandLine line;
    private Path guest;
    private final List<QemuProcess> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Path qemu = QemuTestSupport.requireTool("qemu-system-x86_64", "qemu-system-x86");
        guest = QemuTestSupport.buildGuest(dir.resolve("guest"));
        line = new QemuCommandLine(qemu.toString(), null, QemuTestSupport.ACCEL);
    }

    @AfterEach
    void killEverythingStarted() {
        for (QemuProcess p : started) {
            p.kill(); // by its pid, also when the test failed
        }
    }

    private QemuProcess start(String name, boolean incoming) throws Exception {
        Path vmDir = dir.resolve(name);
        Files.createDirectories(vmDir);
        Path disk = Files.copy(guest, vmDir.resolve("disk.img"));
        QemuProcess p = QemuProcess.start(line, GUEST, disk, vmDir, incoming, T, null);
        started.add(p);
        return p;
    }

    @Test
    void bootsTheTestGuestCountsOnTheSerialPortAnswersQmpAndQuits() throws Exception {
        long t0 = System.nanoTime();
        QemuProcess vm = start("vm1", false);
        long qmpMs = (System.nanoTime() - t0) / 1_000_000;

        String log = QemuTestSupport.awaitFile(vm.serialLog(), s -> seqs(s).size() >= 5, "5 sequence numbers", T);

        assertThat(banners(log)).isEqualTo(1);
        assertThat(log).startsWith(QemuTestSupport.BANNER);
        List<Long> seq = seqs(log);
        for (int i = 0; i < seq.size(); i++) {
            assertThat(seq.get(i)).isEqualTo(i + 1L);
        }
        JsonNode status = vm.qmp().execute("query-status", null);
        assertThat(status.path("status").asText()).isEqualTo("running");
        JsonNode kvm = vm.qmp().execute("query-kvm", null);
        System.out.println("QEMU test guest: accel=" + line.accel() + " kvm.enabled=" + kvm.path("enabled")
                + ", spawn to QMP answering " + qmpMs + " ms, pid " + vm.pid());

        long pid = vm.pid();
        assertThat(vm.quit(T)).isTrue();
        assertThat(vm.isAlive()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aRamCheckpointResumesWhereItWasTakenNotFromBoot() throws Exception {
        QemuProcess src = start("src", false);
        QemuTestSupport.awaitFile(src.serialLog(), s -> seqs(s).size() >= 3, "3 sequence numbers", T);
        Path image = dir.resolve("checkpoint.state");
        Path tmp = dir.resolve("checkpoint.state.tmp");
        assertThat(tmp.toString()).doesNotContain("'");

        // stop -> migrate into a temporary file -> completed -> rename -> cont
        long t0 = System.nanoTime();
        src.qmp().execute("stop", null);
        String atStop = Files.readString(src.serialLog());
        src.qmp().execute("migrate", Map.of("uri", "exec:cat > '" + tmp + "'"));
        JsonNode mig = awaitMigration(src.qmp());
        Files.move(tmp, image, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        src.qmp().execute("cont", null);
        long pauseMs = (System.nanoTime() - t0) / 1_000_000;
        long cut = seqs(atStop).get(seqs(atStop).size() - 1);
        String partial = atStop.substring(atStop.lastIndexOf('\n') + 1); // a line the stop cut in half
        System.out.println("QEMU checkpoint (stop, migrate exec:cat, cont), accel=" + line.accel() + ", -m "
                + GUEST.memoryMb() + ": guest paused " + pauseMs + " ms (stop to cont answered), migrate total-time "
                + mig.path("total-time").asLong() + " ms, downtime " + mig.path("downtime").asLong() + " ms, image "
                + Files.size(image) + " bytes, at seq=" + cut);
        // the source runs on after the checkpoint
        QemuTestSupport.awaitFile(src.serialLog(), s -> seqs(s).contains(cut + 2), "seq=" + (cut + 2) + " after cont", T);
        src.kill();

        QemuProcess dst = start("dst", true);
        long r0 = System.nanoTime();
        dst.qmp().execute("migrate-incoming", Map.of("uri", "exec:cat '" + image + "'"));
        awaitStatusNot(dst.qmp(), "inmigrate");
        long loadMs = (System.nanoTime() - r0) / 1_000_000;
        dst.qmp().execute("cont", null);
        String after = QemuTestSupport.awaitFile(dst.serialLog(), s -> !seqs(partial + s).isEmpty(),
                "a sequence number after resume", T);
        System.out.println("QEMU resume: image loaded " + loadMs + " ms after migrate-incoming; first output '"
                + (partial + after).lines().findFirst().orElse("") + "'");

        assertThat(banners(after)).as("no boot banner after resume: %s", after).isZero();
        assertThat(seqs(partial + after).get(0)).as("first sequence after resume").isEqualTo(cut + 1);
        assertThat(dst.quit(T)).isTrue();
    }

    private static JsonNode awaitMigration(QmpClient qmp) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() - deadline < 0) {
            JsonNode m = qmp.execute("query-migrate", null);
            String st = m.path("status").asText();
            if ("completed".equals(st)) {
                return m;
            }
            assertThat(st).as("migration status: %s", m).isNotIn("failed", "cancelled");
            Thread.sleep(2);
        }
        throw new AssertionError("migration did not complete within " + T);
    }

    private static void awaitStatusNot(QmpClient qmp, String status) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!status.equals(qmp.execute("query-status", null).path("status").asText())) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("VM stayed " + status + " for " + T);
    }
}
