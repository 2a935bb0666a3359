/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.model.Vmx;

/**
 * The {@link QemuProcess} is responsible for one QEMU process started from a {@link QemuCommandLine}:
 * it starts it with its output in {@code qemu.log} in the VM's directory, connects QMP (bounded by a
 * timeout; a QEMU that dies first is reported with its log), and ends it: {@link #quit} through QMP,
 * {@link #kill} by its pid.
 * <p>
 * <b>Threading:</b> thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class QemuProcess implements AutoCloseable {

    private final Process process;
    private final QmpClient qmp;
    private final Path dir;
    private final List<String> command;

    private QemuProcess(Process process, QmpClient qmp, Path dir, List<String> command) {
        this.process = process;
        this.qmp = qmp;
        this.dir = dir;
        this.command = command;
    }

    /**
     * Starts QEMU for a VM and connects QMP.
     *
     * @param line the command line builder
     * @param vmx the hardware description
     * @param bootDisk the raw boot disk
     * @param dir the VM's working directory (serial log, QMP socket, QEMU's own log)
     * @param incomingDefer true to wait for {@code migrate-incoming} (a restore)
     * @param timeout the bound on QEMU coming up and on every QMP wait
     * @param events receives QMP events, may be {@code null}
     * @return the running process
     * @throws HypervisorException if QEMU cannot be started or does not answer QMP in time, with its log
     */
    public static QemuProcess start(QemuCommandLine line, Vmx vmx, Path bootDisk, Path dir, boolean incomingDefer,
            Duration timeout, Consumer<QmpEvent> events) {
        Path sock = dir.resolve("qmp.sock");
        List<String> cmd = line.build(vmx, bootDisk, dir.resolve("serial.log"), sock, incomingDefer);
        Process p;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(sock);
            p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        } catch (IOException e) {
            throw new HypervisorException("cannot start QEMU (" + line.binary() + ") in " + dir + ": " + e, e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(sock) && p.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                p.waitFor(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new HypervisorException("interrupted while starting QEMU in " + dir, e);
            }
        }
        if (!p.isAlive()) {
            throw new HypervisorException("QEMU exited with " + p.exitValue() + " before answering QMP in " + dir
                    + ": " + log(dir) + " (command: " + String.join(" ", cmd) + ")");
        }
        try {
            QmpClient qmp = QmpClient.connect(sock, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), events);
            return new QemuProcess(p, qmp, dir, cmd);
        } catch (QmpException e) {
            p.destroyForcibly();
            throw new HypervisorException("QEMU in " + dir + " (pid " + p.pid() + ") did not answer QMP: "
                    + e.getMessage() + "; its log: " + log(dir), e);
        }
    }

    private static String log(Path dir) {
        try {
            String s = Files.readString(dir.resolve("qemu.log")).strip();
            return s.isEmpty() ? "(empty)" : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** @return QEMU's pid */
    public long pid() {
        return process.pid();
    }

    /** @return the QMP connection */
    public QmpClient qmp() {
        return qmp;
    }

    /** @return the VM's working directory */
    public Path dir() {
        return dir;
    }

    /** @return the serial log */
    public Path serialLog() {
        return dir.resolve("serial.log");
    }

    /** @return the command line it was started with */
    public List<String> command() {
        return command;
    }

    /** @return true while the process runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Powers the VM off through QMP {@code quit} and waits for the process to end.
     *
     * @param timeout the bound on the reply and on the exit
     * @return true if it exited in time (otherwise it is still running: kill it)
     */
    public boolean quit(Duration timeout) {
        try {
            qmp.execute("quit", null, timeout);
        } catch (QmpException e) {
            // QEMU may close the socket before its reply arrives: the exit below decides
        }
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            qmp.close();
        }
    }

    /** Kills the process by its pid (SIGKILL) and waits for it; idempotent. */
    public void kill() {
        qmp.close();
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Same as {@link #kill()}. */
    @Override
    public void close() {
        kill();
    }
}
