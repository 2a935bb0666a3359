/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/** Shared by the tests that run real QEMU: tool checks, the test guest build, serial log polling. */
final class QemuTestSupport {

    static final String BANNER = "VMHA-TEST-GUEST booted";
    static final Pattern SEQ = Pattern.compile("seq=(\\d+)\r?\n");
    /** TCG unless -Dvmha.qemu.accel says otherwise: KVM on this kind of machine boots nothing (see docs). */
    static final String ACCEL = System.getProperty("vmha.qemu.accel", "tcg");

    private QemuTestSupport() {
    }

    /**
     * Finds a tool on the PATH. Missing outside CI: the test is skipped with a visible message. Missing
     * with CI=true: the test fails, because CI must run these tests.
     */
    static Path requireTool(String name, String debianPackage) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String msg = name + " is not installed (Debian package " + debianPackage + "): the QEMU tests cannot run";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(msg + ", and CI=true requires them (.ci/run installs it)");
        }
        System.err.println("SKIPPED: " + msg + " (apt-get install -y " + debianPackage + ")");
        Assumptions.abort(msg);
        return null;
    }

    /** Assembles the test guest (src/main/guest/test-guest.asm) into a 512-byte raw disk. */
    static Path buildGuest(Path outDir) throws IOException, InterruptedException {
        Path nasm = requireTool("nasm", "nasm");
        Path src = Path.of("src/main/guest/test-guest.asm").toAbsolutePath();
        Path img = outDir.resolve("test-guest.img");
        Files.createDirectories(outDir);
        Process p = new ProcessBuilder(nasm.toString(), "-f", "bin", "-o", img.toString(), src.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("nasm failed on " + src + ": " + out);
        }
        if (Files.size(img) != 512) {
            fail("test guest is " + Files.size(img) + " bytes, not a 512-byte boot sector");
        }
        return img;
    }

    /** Polls a file until its content satisfies a condition (never a blind sleep). */
    static String awaitFile(Path file, Predicate<String> condition, String what, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String s = "";
        while (System.nanoTime() - deadline < 0) {
            s = Files.exists(file) ? Files.readString(file) : "";
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(20);
        }
        return fail("timed out after " + timeout.toMillis() + " ms waiting for " + what + " in " + file
                + "; it holds: " + s);
    }

    /** @return the complete {@code seq=N} lines' numbers, in order */
    static List<Long> seqs(String log) {
        List<Long> out = new ArrayList<>();
        Matcher m = SEQ.matcher(log);
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    static int banners(String log) {
        int n = 0;
        for (int i = log.indexOf(BANNER); i >= 0; i = log.indexOf(BANNER, i + 1)) {
            n++;
        }
        return n;
    }
}
