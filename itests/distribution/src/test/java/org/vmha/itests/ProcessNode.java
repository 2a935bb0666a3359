/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * The real distribution as an operator runs it: the tarball unpacked with {@code tar} (so its file modes are the
 * tarball's), {@code bin/start} (so {@code bin/setenv} and the first-start step run), {@code bin/stop}; ports chosen at
 * random on loopback. Clients are real ones: Apache MINA SSHD for ssh, {@code javax.management.remote} for JMX, and the
 * broker clients of each test.
 *
 * @author vmha - Initial contribution
 */
final class ProcessNode implements AutoCloseable {

    static final Duration BOOT = Duration.ofSeconds(180);

    final Path dir;
    final Path home;
    final int sshPort;
    final int rmiRegistryPort;
    final int rmiServerPort;
    final int brokerPort;
    final int amqpPort;
    final int mqttPort;
    final int stompPort;
    private String startOutput = "";
    private long pid = -1;

    private static SshClient ssh;

    private ProcessNode(Path dir, Path home, List<Integer> ports) {
        this.dir = dir;
        this.home = home;
        this.sshPort = ports.get(0);
        this.rmiRegistryPort = ports.get(1);
        this.rmiServerPort = ports.get(2);
        this.brokerPort = ports.get(3);
        this.amqpPort = ports.get(4);
        this.mqttPort = ports.get(5);
        this.stompPort = ports.get(6);
    }

    /** @return the tarball under test: {@code vmha.itest.tarball}, else the one the build just made */
    static Path tarball() {
        return Path.of(System.getProperty("vmha.itest.tarball", "target/vmha.tar.gz"));
    }

    /**
     * Unpacks the tarball into a fresh {@code target/process/NAME} and gives it random loopback ports.
     *
     * @param name the directory name
     * @return the node, not started
     */
    static ProcessNode unpack(String name) throws Exception {
        Path dir = Path.of("target/process", name).toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        // traversable by other local users, so that a refusal seen by another user is the distribution's own modes
        for (Path p = dir; p != null && p.startsWith(Path.of("target").toAbsolutePath()); p = p.getParent()) {
            p.toFile().setExecutable(true, false);
            p.toFile().setReadable(true, false);
        }
        Result untar = run(dir, Duration.ofMinutes(2), "tar", "xzf", tarball().toAbsolutePath().toString(), "-C",
                dir.toString());
        if (untar.exit() != 0) {
            throw new IllegalStateException("tar xzf " + tarball() + " failed: " + untar.output());
        }
        Path home;
        try (Stream<Path> dirs = Files.list(dir)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("vmha-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no vmha-* in " + tarball()));
        }
        ProcessNode node = new ProcessNode(dir, home, VmhaTestSupport.freePorts(7));
        node.configurePorts();
        return node;
    }

    private void configurePorts() throws IOException {
        Path custom = home.resolve("etc/custom.system.properties");
        String text = Files.readString(custom);
        text = setKey(text, "vmha.broker.port", brokerPort);
        text = setKey(text, "vmha.broker.amqp.port", amqpPort);
        text = setKey(text, "vmha.broker.mqtt.port", mqttPort);
        text = setKey(text, "vmha.broker.stomp.port", stompPort);
        Files.writeString(custom, text);
        Path shell = home.resolve("etc/org.apache.karaf.shell.cfg");
        Files.writeString(shell, setKey(Files.readString(shell), "sshPort", sshPort));
        Path management = home.resolve("etc/org.apache.karaf.management.cfg");
        String m = Files.readString(management);
        m = setKey(m, "rmiRegistryPort", rmiRegistryPort);
        m = setKey(m, "rmiServerPort", rmiServerPort);
        Files.writeString(management, m);
    }

    private static String setKey(String text, String key, int value) {
        String replaced = text.replaceAll("(?m)^\\s*" + Pattern.quote(key) + "\\s*=.*$", key + " = " + value);
        return replaced.equals(text) ? text + "\n" + key + " = " + value + "\n" : replaced;
    }

    /** Runs {@code bin/start} and waits until the node announced itself and its ssh port answers. */
    void start() throws Exception {
        Path out = dir.resolve("start.out");
        int exit = runTo(home, Duration.ofSeconds(60), out, null, "bin/start");
        startOutput = Files.readString(out);
        if (exit != 0) {
            throw new IllegalStateException("bin/start exited with " + exit + ":\n" + startOutput);
        }
        Path pidFile = home.resolve("karaf.pid");
        await().atMost(60, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        pid = Long.parseLong(Files.readString(pidFile).trim());
        await().atMost(BOOT.toSeconds(), TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> log().contains("Announced org.vmha.cluster.started") && listening(sshPort));
    }

    /** @return what bin/start printed (the first start names the credentials file there) */
    String startOutput() {
        return startOutput;
    }

    long pid() {
        return pid;
    }

    /** Runs {@code bin/stop} and waits for the JVM to end; kills it (only this pid) if it does not. */
    void stop() throws Exception {
        if (pid < 0) {
            return;
        }
        runTo(home, Duration.ofSeconds(60), null, null, "bin/stop");
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle != null) {
            try {
                await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                        .until(() -> !handle.isAlive());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                handle.destroyForcibly();
            }
        }
        pid = -1;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    Credentials credentials() {
        return Credentials.of(home.resolve("etc"));
    }

    String log() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ ssh

    /** The outcome of one command over ssh. */
    record Shell(int exit, String output) {
    }

    static synchronized SshClient sshClient() {
        if (ssh == null) {
            ssh = SshClient.setUpDefaultClient();
            ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            ssh.start();
        }
        return ssh;
    }

    /**
     * @return an authenticated ssh session to the node's shell
     * @throws IOException when the server refuses the login (org.apache.sshd.common.SshException)
     */
    ClientSession sshSession(String user, String password) throws IOException {
        ClientSession session = sshClient().connect(user, "127.0.0.1", sshPort).verify(10, TimeUnit.SECONDS).getSession();
        try {
            session.addPasswordIdentity(password);
            session.auth().verify(20, TimeUnit.SECONDS);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    /** Runs one shell command as the user over ssh (an exec channel, as {@code ssh host cmd} does). */
    Shell ssh(String user, String password, String command) throws IOException {
        try (ClientSession session = sshSession(user, password)) {
            return exec(session, command);
        }
    }

    static Shell exec(ClientSession session, String command) throws IOException {
        try (ChannelExec channel = session.createExecChannel(command)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            channel.setOut(out);
            channel.setErr(out);
            channel.open().verify(10, TimeUnit.SECONDS);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TimeUnit.SECONDS.toMillis(60));
            Integer status = channel.getExitStatus();
            return new Shell(status == null ? -1 : status, out.toString(StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------ JMX

    String jmxUrl() {
        return "service:jmx:rmi://127.0.0.1:" + rmiServerPort + "/jndi/rmi://127.0.0.1:" + rmiRegistryPort + "/karaf-root";
    }

    /** @throws SecurityException when the login is refused */
    JMXConnector jmx(String user, String password) throws IOException {
        Map<String, Object> env = new HashMap<>();
        env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
        return JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl()), env);
    }

    // ------------------------------------------------------------------ processes

    /** The outcome of an external command. */
    record Result(int exit, String output) {
    }

    static Result run(Path directory, Duration timeout, String... command) throws Exception {
        File out = File.createTempFile("itest", ".out");
        try {
            int exit = runTo(directory, timeout, out.toPath(), null, command);
            return new Result(exit, Files.readString(out.toPath()));
        } finally {
            out.delete();
        }
    }

    Result run(Duration timeout, String... command) throws Exception {
        return run(home, timeout, command);
    }

    static int runTo(Path directory, Duration timeout, Path output, String stdin, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
        }
        return process.exitValue();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }
}
