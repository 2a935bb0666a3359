/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The unpacked distribution works the way the README says: {@code bin/start}, {@code bin/client},
 * {@code bin/stop}; the ha features are listed; the boot reaches the ClusterStarted announcement with every
 * bundle active. Ports are chosen at random; the boot time and RSS are printed for BENCHMARKS.md.
 */
public class DistributionScriptsIT {

    private static final Duration BOOT = Duration.ofSeconds(120);

    private static Path home;
    private static int sshPort;
    private static long startedAt;

    @BeforeClass
    public static void start() throws Exception {
        Path unpacked = Path.of(System.getProperty("vmha.dist.dir", "target/dist"));
        try (Stream<Path> dirs = Files.list(unpacked)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("vmha-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no unpacked distribution under " + unpacked));
        }
        // a previous run leaves its log and pid behind: start from the state of the tarball
        deleteRecursively(home.resolve("data"));
        Files.deleteIfExists(home.resolve("karaf.pid"));
        Files.deleteIfExists(home.resolve("lock"));
        // the first start generates the credentials from the shipped users.properties: a previous run's are stale
        Files.deleteIfExists(home.resolve("etc/" + Credentials.FILE));
        for (File script : home.resolve("bin").toFile().listFiles()) {
            script.setExecutable(true);
        }
        List<Integer> ports = VmhaTestSupport.freePorts(8);
        sshPort = ports.get(0);
        Files.writeString(home.resolve("etc/custom.system.properties"), String.join("\n",
                "vmha.broker.host = 127.0.0.1",
                "vmha.broker.port = " + ports.get(1),
                "vmha.broker.amqp.port = " + ports.get(2),
                "vmha.broker.mqtt.port = " + ports.get(3),
                "vmha.broker.stomp.port = " + ports.get(4), ""));
        setProperty(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", sshPort);
        setProperty(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", ports.get(5));
        setProperty(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", ports.get(6));

        startedAt = System.nanoTime();
        assertEquals(0, run(Duration.ofSeconds(30), null, null, "bin/start"));
        await().atMost(BOOT.toSeconds(), TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> log().contains("Announced org.vmha.cluster.started"));
        double bootSeconds = (System.nanoTime() - startedAt) / 1e9;
        String pid = Files.readString(home.resolve("karaf.pid")).trim();
        String rss = Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
        System.out.printf("MEASURED boot to ClusterStarted: %.1f s, %s%n", bootSeconds, rss.replaceAll("\\s+", " "));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (home == null) {
            return;
        }
        run(Duration.ofSeconds(60), null, null, "bin/stop");
        Path pidFile = home.resolve("karaf.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            await().atMost(60, TimeUnit.SECONDS)
                    .until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
    }

    @Test
    public void clientListsTheHaFeatures() throws Exception {
        String out = client("feature:list -i --no-format");
        for (String feature : List.of("ha-api", "ha-core", "ha-broker", "ha-routes", "ha")) {
            assertTrue("bin/client feature:list -i does not list " + feature + ":\n" + out,
                    Pattern.compile("(?m)^" + Pattern.quote(feature) + " *\\t").matcher(out).find());
        }
    }

    @Test
    public void everyBundleIsActive() throws Exception {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).untilAsserted(() -> {
            String out = client("bundle:list -t 0 --no-format");
            // id, state, start level, version, name; a fragment stays Resolved and says what it is attached to
            List<String[]> rows = out.lines().map(l -> l.split("\t")).filter(c -> c.length >= 5 && c[0].trim().matches("\\d+"))
                    .toList();
            List<String> notActive = rows.stream().filter(c -> !c[1].trim().equals("Active"))
                    .filter(c -> !c[4].contains("Hosts:")).map(c -> String.join(" ", c)).toList();
            assertTrue("bundles not active:\n" + String.join("\n", notActive), notActive.isEmpty());
            assertTrue("suspiciously few bundles:\n" + out, rows.size() > 90);
        });
    }

    @Test
    public void haPlanRunsFromTheDistribution() throws Exception {
        Path inventory = Files.createTempFile("inventory", ".json");
        Path bad = Files.createTempFile("bad-inventory", ".json");
        File out = File.createTempFile("ha-plan", ".out");
        try {
            Files.writeString(inventory, "{\"hosts\":["
                    + "{\"name\":\"H1\",\"capacity\":{\"cpuMhz\":9000,\"memoryMb\":9216}},"
                    + "{\"name\":\"H2\",\"capacity\":{\"cpuMhz\":9000,\"memoryMb\":9216}}],"
                    + "\"vms\":[{\"name\":\"VM1\",\"reservation\":{\"cpuMhz\":2000,\"memoryMb\":1024},"
                    + "\"host\":\"H1\",\"poweredOn\":true}],"
                    + "\"policy\":{\"type\":\"slot\",\"hostFailures\":1}}");
            assertEquals(0, run(Duration.ofSeconds(60), out, null, "bin/ha-plan", inventory.toString()));
            String report = Files.readString(out.toPath());
            assertTrue(report, report.contains("\"slotSize\"") && report.contains("\"plans\""));

            Files.writeString(bad, "{\"hosts\":[{\"name\":\"H1\",\"capacity\":{\"cpuMhz\":-5}}],\"vms\":[]}");
            assertEquals(2, run(Duration.ofSeconds(60), out, null, "bin/ha-plan", bad.toString()));
            assertTrue(Files.readString(out.toPath()), Files.readString(out.toPath()).contains("cpuMhz"));
        } finally {
            Files.deleteIfExists(inventory);
            Files.deleteIfExists(bad);
            out.delete();
        }
    }

    /**
     * The broker's configuration is in the tarball's etc/ and the first boot leaves it as shipped: the feature writes
     * it only where it is missing, never truncating the file under fileinstall (which could save an empty
     * configuration back over it, and the broker would never start).
     */
    @Test
    public void brokerConfigurationIsShippedNotWrittenAtBoot() throws IOException {
        Path source = Path.of(System.getProperty("vmha.features.resources", "../../features/src/main/resources"));
        assertEquals(Files.readString(source.resolve("vmha-broker.cfg")),
                Files.readString(home.resolve("etc/org.apache.activemq.artemis.cfg")));
        assertEquals(Files.readString(source.resolve("vmha-broker.xml")),
                Files.readString(home.resolve("etc/vmha-broker.xml")));
        try (Stream<Path> files = Files.walk(home.resolve("system/org/vmha/ha-features"))) {
            for (Path features : files.filter(p -> p.toString().endsWith("-features.xml")).toList()) {
                String xml = Files.readString(features);
                assertFalse(features + " overrides a broker file at install",
                        Pattern.compile("<configfile[^>]*artemis[^>]*override=\"true\"").matcher(xml).find());
            }
        }
    }

    @Test
    public void bootLogHasNoErrors() throws IOException {
        List<String> errors = log().lines().filter(l -> l.contains("| ERROR |")).toList();
        assertTrue("errors in karaf.log:\n" + String.join("\n", errors), errors.isEmpty());
        assertFalse(log().contains("Error installing boot features"));
    }

    private static String client(String command) throws Exception {
        File out = File.createTempFile("client", ".out");
        try {
            int exit = run(Duration.ofSeconds(60), out, command, "bin/client", "-a", Integer.toString(sshPort), "-u", "karaf",
                    "-p", Credentials.of(home.resolve("etc")).karaf(), "-r", "30", "-d", "1", "-b");
            String text = Files.readString(out.toPath());
            assertEquals("bin/client failed:\n" + text, 0, exit);
            return text;
        } finally {
            out.delete();
        }
    }

    private static int run(Duration timeout, File output, String stdin, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output));
        Process process = builder.start();
        if (stdin != null) {
            // bin/client -b reads the command from standard input: bin/client "cmd" prints only "Closed" on 4.4.10
            process.getOutputStream().write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
        }
        return process.exitValue();
    }

    private static String log() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void setProperty(Path file, String key, int value) throws IOException {
        String text = Files.readString(file);
        String replaced = text.replaceAll("(?m)^\\s*" + Pattern.quote(key) + "\\s*=.*$", key + " = " + value);
        if (replaced.equals(text)) {
            replaced = text + "\n" + key + " = " + value + "\n";
        }
        Files.writeString(file, replaced);
    }
}
