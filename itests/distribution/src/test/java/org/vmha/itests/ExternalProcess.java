/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ExternalProcess} runs a client that is not ours (mosquitto_sub, mosquitto_pub) and collects its
 * merged output line by line while it runs, so tests can poll for what it printed.
 *
 * @author vmha - Initial contribution
 */
final class ExternalProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ExternalProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<output closed: " + e.getMessage() + ">");
            }
        }, "itest-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ExternalProcess start(String... command) {
        try {
            return new ExternalProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + " (is Debian's mosquitto-clients installed? "
                    + ".ci/run installs it): " + e.getMessage(), e);
        }
    }

    List<String> lines() {
        return lines;
    }

    String output() {
        return String.join("\n", lines);
    }

    /**
     * @param timeout how long to wait
     * @return the exit code
     * @throws IllegalStateException if it did not exit in time
     */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("process did not exit within " + timeout + "; output:\n" + output());
        }
        reader.join(timeout.toMillis());
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
