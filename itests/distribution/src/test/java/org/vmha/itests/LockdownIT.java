/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;

/**
 * Issue 14's findings 1, 2, 6 and 7, tried as an attacker on the same host would, against the real distribution
 * started with {@code bin/start} from the tarball (one node for the class). Each test performs the attack with a real
 * client and asserts that it is refused; run against a tarball from before issue 14
 * ({@code -Dvmha.itest.tarball=OLD.tar.gz -Dit.test=LockdownIT}) the same tests fail, because the attacks succeed
 * there. The tests that change the node undo it (a VM's priority, the powered-off H2) or add what no other test
 * looks at (a viewer account), so they pass in any order ({@link TestOrder}).
 */
@RunWith(TestOrder.PlainRunner.class)
public class LockdownIT {

    private static ProcessNode node;
    private static Credentials credentials;

    @BeforeClass
    public static void start() throws Exception {
        node = ProcessNode.unpack("lockdown");
        node.start();
        credentials = node.credentials();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    // ------------------------------------------------------------------ credentials

    @Test
    public void a1_theFirstStartGeneratedEveryPasswordAndUsersPropertiesHoldsOnlyHashes() throws Exception {
        Path etc = node.home.resolve("etc");
        Map<String, String> all = credentials.all();
        assertEquals(all.toString(), Set.of("karaf", "management", "noc", "operator", "agent-root", "vmha-cluster"),
                all.keySet());
        assertEquals("passwords must differ", all.size(), new HashSet<>(all.values()).size());
        for (Map.Entry<String, String> e : all.entrySet()) {
            assertTrue(e.getKey() + " has a weak password", e.getValue().matches("[A-Za-z0-9]{24}"));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(etc.resolve(Credentials.FILE))));

        String users = Files.readString(etc.resolve("users.properties"));
        for (String user : List.of("karaf", "management", "noc", "operator", "agent-root")) {
            assertTrue(user + " is not stored as a bcrypt hash:\n" + users,
                    users.matches("(?s).*\\n" + user + " = \\{CRYPT\\}\\$2a\\$10\\$[./A-Za-z0-9]{53}\\{CRYPT\\},.*"));
        }
        for (String password : all.values()) {
            assertFalse("a plain password in users.properties", users.contains(password));
        }
        String messaging = Files.readString(etc.resolve("org.vmha.messaging.cfg"));
        assertTrue(messaging, messaging.contains("username = agent-root\n")
                && messaging.contains("password = " + credentials.agent() + "\n"));
        // printed once, where it is, never the values
        assertTrue(node.startOutput(), node.startOutput().contains(etc.resolve(Credentials.FILE).toString()));
        for (String password : all.values()) {
            assertFalse(node.startOutput().contains(password));
        }
    }

    @Test
    public void a2_theOldDefaultPasswordsAreRefusedAndTheGeneratedOnesWork() throws Exception {
        for (String user : List.of("karaf", "operator", "noc", "agent")) {
            assertSshRefused(user, user);
            assertJmxRefused(user, user);
        }
        try (ExternalProcess sub = ExternalProcess.start("mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(node.mqttPort), "-u", "noc", "-P", "noc", "-t", "ha/events", "-C", "1", "-W", "20")) {
            assertNotEquals(0, sub.waitFor(Duration.ofSeconds(30)));
            assertTrue(sub.output(), sub.output().contains("not authorised"));
        }
        // the generated administrator password works; the four agents may still be joining when this test runs early
        String[] cluster = new String[1];
        await().atMost(120, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).untilAsserted(() -> {
            cluster[0] = node.ssh("karaf", credentials.karaf(), "ha:cluster").output();
            assertTrue(cluster[0], cluster[0].matches("(?s).*Hosts up\\s*\\|\\s*4.*"));
        });
        try (ExternalProcess sub = ExternalProcess.start("stdbuf", "-oL", "mosquitto_sub", "-d", "-h", "127.0.0.1", "-p",
                Integer.toString(node.mqttPort), "-u", "noc", "-P", credentials.noc(), "-t", "ha/events", "-C", "1",
                "-W", "60")) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> sub.output().contains("SUBACK"));
            // an event to receive: a VM's priority changes (org.vmha.configuration.changed), and back
            String priority = priorityOf("VM03");
            ProcessNode.Shell set = node.ssh("karaf", credentials.karaf(), "ha:vm-set --priority highest VM03");
            try {
                assertFalse(set.output(), set.output().contains("Error"));
                assertEquals(sub.output(), 0, sub.waitFor(Duration.ofSeconds(70)));
                assertTrue(sub.output(), sub.output().contains("\"specversion\":\"1.0\""));
            } finally {
                node.ssh("karaf", credentials.karaf(), "ha:vm-set --priority " + priority + " VM03");
            }
        }
    }

    /** @return the VM's restart priority as ha:vms lists it */
    private static String priorityOf(String vm) throws Exception {
        // the agents are rebuilt once at the first start (the generated broker login changes org.vmha.messaging):
        // wait until one of them lists the VM again
        String[] priority = new String[1];
        await().atMost(120, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).untilAsserted(() -> {
            String out = node.ssh("karaf", credentials.karaf(), "ha:vms --no-format").output();
            priority[0] = out.lines().map(l -> l.split("\t")).filter(c -> c.length == 10 && c[0].trim().equals(vm))
                    .map(c -> c[3].trim()).findFirst().orElseThrow(() -> new AssertionError("ha:vms lists no " + vm
                            + ":\n" + out));
        });
        return priority[0];
    }

    // ------------------------------------------------------------------ finding 1: operator -> admin

    @Test
    public void b1_noAccountButTheAdministratorMayLogInToTheShell() throws Exception {
        // the attack: ssh as operator, then "cat etc/users.properties" and config:property-list --pid org.vmha.messaging
        for (String user : List.of("operator", "noc", credentials.agentUser(), "management")) {
            assertSshRefused(user, credentials.password(user));
        }
        ProcessNode.Shell admin = node.ssh("karaf", credentials.karaf(), "config:property-get --pid org.vmha.messaging username");
        assertTrue(admin.output(), admin.output().contains("agent-root"));
    }

    @Test
    public void b2_sftpIsOff() throws Exception {
        // the attack: SFTP upload of a users.properties into etc/, which Karaf reloads
        try (ClientSession session = node.sshSession("karaf", credentials.karaf());
                ChannelSubsystem sftp = session.createSubsystemChannel("sftp")) {
            sftp.open().verify(10, TimeUnit.SECONDS);
            Set<ClientChannelEvent> events = sftp.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 10_000);
            assertTrue("the sftp subsystem stayed open: " + events, events.contains(ClientChannelEvent.CLOSED));
        }
        String shell = Files.readString(node.home.resolve("etc/org.apache.karaf.shell.cfg"));
        assertTrue(shell.contains("\nsftpEnabled = false\n"));
    }

    @Test
    public void b3_theShellAclsGiveAViewerListingsOnly() throws Exception {
        // a shell account with viewer and ssh (not shipped; an administrator could add one) sees what the ACLs allow
        ProcessNode.Result added = node.run(Duration.ofSeconds(60), "bin/vmha-credentials", "add", "tester", "ssh,viewer");
        assertEquals(added.output(), 0, added.exit());
        String password = node.credentials().password("tester");
        ProcessNode.Shell listing = node.ssh("tester", password, "ha:hosts --no-format");
        assertTrue(listing.output(), listing.output().contains("H1"));
        for (String command : List.of("ha:simulate examples/scenario-host-crash.json", "ha:vm-power-off VM01",
                "ha:host-maintenance H1 on", "ha:vm-set --ha off VM01")) {
            ProcessNode.Shell refused = node.ssh("tester", password, command);
            assertTrue(command + ": " + refused.output(), refused.output().contains("Insufficient credentials")
                    || refused.output().contains("Command not found"));
        }
        ProcessNode.Result rotated = node.run(Duration.ofSeconds(60), "bin/vmha-credentials", "rotate", "tester");
        assertEquals(rotated.output(), 0, rotated.exit());
        assertSshRefused("tester", password);
        String rotatedPassword = node.credentials().password("tester");
        await().atMost(30, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).untilAsserted(() -> {
            String out = node.ssh("tester", rotatedPassword, "ha:hosts").output();
            assertTrue("the rotated password lists the hosts: " + out, out.contains("H1"));
        });
    }

    // ------------------------------------------------------------------ finding 2: JMX

    @Test
    public void c1_onlyTheAdministratorMayLogInToJmx() throws Exception {
        // the attack: JMX login as noc, then sendBody("jms:topic:ha.table", …) on the Camel context MBean, stopping
        // routes, browsing the DLQ as operator
        for (String user : List.of("noc", "operator", credentials.agentUser(), "management")) {
            assertJmxRefused(user, credentials.password(user));
        }
        try (JMXConnector jmx = node.jmx("karaf", credentials.karaf())) {
            MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            assertFalse("no Camel context MBean",
                    mbeans.queryNames(new ObjectName("org.apache.camel:type=context,*"), null).isEmpty());
        }
    }

    @Test
    public void c2_noJmxAclGrantsEveryRole() throws Exception {
        List<String> wildcards = new ArrayList<>();
        try (Stream<Path> files = Files.list(node.home.resolve("etc"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("jmx.acl")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String l = line.replaceAll("#.*", "").trim();
                    int eq = l.indexOf('=');
                    if (eq > 0 && l.substring(eq + 1).trim().equals("*")) {
                        wildcards.add(f.getFileName() + ": " + line);
                    }
                }
            }
        }
        assertTrue("ACL entries open to every role: " + wildcards, wildcards.isEmpty());
        assertTrue(Files.readString(node.home.resolve("etc/jmx.acl.org.apache.camel.cfg")).contains("\n* = admin"));
    }

    // ------------------------------------------------------------------ finding 6: local and network exposure

    @Test
    public void d1_everyListeningSocketIsOnLoopback() throws Exception {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(node.pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<String> listening = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] c = line.trim().split("\\s+");
                if (c.length > 9 && c[3].equals("0A") && inodes.contains(c[9])) {
                    String address = c[1].substring(0, c[1].indexOf(':'));
                    int port = Integer.parseInt(c[1].substring(c[1].indexOf(':') + 1), 16);
                    listening.add(address + ":" + port);
                    if (!isLoopback(address)) {
                        exposed.add(address + ":" + port);
                    }
                }
            }
        }
        assertTrue("listening beyond loopback: " + exposed + " (all: " + listening + ")", exposed.isEmpty());
        for (int port : List.of(node.sshPort, node.rmiRegistryPort, node.rmiServerPort, node.brokerPort,
                node.amqpPort, node.mqttPort, node.stompPort)) {
            assertTrue("port " + port + " not among " + listening, listening.stream().anyMatch(l -> l.endsWith(":" + port)));
        }
    }

    /** @param hex an address of /proc/net/tcp (IPv4, little-endian) or tcp6 (four little-endian words) */
    static boolean isLoopback(String hex) {
        if (hex.length() == 8) {
            return hex.endsWith("7F");
        }
        return hex.equals("00000000000000000000000001000000") // ::1
                || hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F"); // ::ffff:127.x.x.x
    }

    @Test
    public void d2_etcAndDataAreOwnerOnlyInTheTarballAndAfterTheFirstStart() throws Exception {
        ProcessNode.Result listing = ProcessNode.run(node.dir, Duration.ofMinutes(1), "tar", "tvzf",
                ProcessNode.tarball().toAbsolutePath().toString());
        assertEquals(0, listing.exit());
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String line : listing.output().lines().toList()) {
            String[] c = line.split("\\s+");
            String mode = c[0];
            String path = c[c.length - 1].replaceFirst("^[^/]+/", "");
            if (path.startsWith("etc/") || path.startsWith("data/")) {
                checked++;
                if (!mode.equals(path.endsWith("/") ? "drwx------" : "-rw-------")) {
                    wrong.add(mode + " " + path);
                }
            } else if (path.startsWith("bin/") && !path.endsWith("/") && !mode.equals("-rwxr-xr-x")) {
                wrong.add(mode + " " + path);
            }
        }
        assertTrue("the tarball has no etc/ or data/ entries", checked > 50);
        assertTrue("wrong modes in the tarball: " + wrong, wrong.isEmpty());

        Path etc = node.home.resolve("etc");
        Path data = node.home.resolve("data");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        try (Stream<Path> files = Files.walk(etc)) {
            for (Path f : files.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
                if (!mode.equals(Files.isDirectory(f) ? "rwx------" : "rw-------")) {
                    wrong.add(mode + " " + node.home.relativize(f));
                }
            }
        }
        // what Karaf wrote at start: the shutdown port, the log, the broker's journal
        for (String f : List.of("data/port", "data/log/karaf.log", "data/artemis")) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(node.home.resolve(f)));
            if (!mode.substring(3).equals("------")) {
                wrong.add(mode + " " + f);
            }
        }
        assertTrue("readable by others after the first start: " + wrong, wrong.isEmpty());
    }

    @Test
    public void d3_anotherLocalUserReadsNoSecretAndCannotStopKaraf() throws Exception {
        assumeTrue("needs root and runuser to act as another user", isRoot() && Files.isExecutable(Path.of("/usr/sbin/runuser")));
        // control: the same user reads what is meant to be public, so a refusal below is the distribution's own modes
        ProcessNode.Result control = asNobody("cat", node.home.resolve("bin/setenv").toString());
        // a build directory under a private parent (mktemp -d is 0700) hides everything from other users, so the test
        // cannot tell the distribution's own modes from it
        assumeTrue("the distribution's directory is not reachable by other users here (a private parent directory): "
                + control.output(), control.exit() == 0);
        for (String secret : List.of("etc/users.properties", "etc/" + Credentials.FILE, "etc/org.vmha.messaging.cfg",
                "etc/config.properties", "data/port", "data/log/karaf.log")) {
            ProcessNode.Result read = asNobody("cat", node.home.resolve(secret).toString());
            assertNotEquals(secret + " was readable by nobody:\n" + read.output(), 0, read.exit());
            assertTrue(read.output(), read.output().contains("Permission denied"));
        }
        // the attack: read the shutdown port and command, then stop Karaf
        ProcessNode.Result stop = asNobody(node.home.resolve("bin/stop").toString());
        assertTrue("Karaf is gone after another user's bin/stop:\n" + stop.output(),
                ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive).orElse(false));
        ProcessNode.Shell stillThere = node.ssh("karaf", credentials.karaf(), "ha:hosts");
        assertTrue(stillThere.output(), stillThere.output().contains("H1"));
    }

    private static ProcessNode.Result asNobody(String... command) throws Exception {
        List<String> c = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "nobody", "--"));
        c.addAll(List.of(command));
        return ProcessNode.run(Path.of("/"), Duration.ofSeconds(60), c.toArray(String[]::new));
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
    }

    @Test
    public void d4_haPlanReadsOnlyTheDistributionsFilesAndNeverEchoesThem() throws Exception {
        ProcessNode.Shell shadow = node.ssh("karaf", credentials.karaf(), "ha:plan /etc/shadow");
        assertTrue(shadow.output(), shadow.output().contains("refused to read inventory /etc/shadow: it is outside"));
        assertFalse(shadow.output(), shadow.output().contains("root:"));
        ProcessNode.Shell users = node.ssh("karaf", credentials.karaf(), "ha:plan etc/users.properties");
        assertTrue(users.output(), users.output().contains("not valid JSON at line"));
        assertFalse(users.output(), users.output().contains("CRYPT") || users.output().contains("admingroup"));
        ProcessNode.Shell escape = node.ssh("karaf", credentials.karaf(), "ha:simulate ../../../../../../etc/passwd");
        assertTrue(escape.output(), escape.output().contains("it is outside"));
        ProcessNode.Shell example = node.ssh("karaf", credentials.karaf(), "ha:plan --no-format examples/inventory.json");
        assertTrue(example.output(), example.output().contains("11/7/7/0"));
    }

    // ------------------------------------------------------------------ finding 7: the heap cap

    @Test
    public void e1_bin_start_appliesThe256MbHeap() throws Exception {
        String cmdline = Files.readString(Path.of("/proc", Long.toString(node.pid()), "cmdline")).replace('\0', ' ');
        assertTrue(cmdline, cmdline.contains(" -Xmx256M "));
        try (JMXConnector jmx = node.jmx("karaf", credentials.karaf())) {
            MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(jmx.getMBeanServerConnection(),
                    ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
            long max = memory.getHeapMemoryUsage().getMax();
            assertTrue("max heap " + max, max > 200L << 20 && max <= 256L << 20);
        }
    }

    @Test
    public void e2_theFailoverDemoRunsWithinTheHeapCap() throws Exception {
        waitForVms(null);
        Path h2 = node.home.resolve("etc/org.vmha.agent-H2.cfg");
        byte[] config = Files.readAllBytes(h2);
        Files.delete(h2);
        try {
            assertFailoverWithinTheHeapCap();
        } finally {
            // power H2 on again, with the file's own mode: its agent rejoins, empty
            Files.createFile(h2, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(h2, config);
            await().atMost(180, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).until(() -> node.ssh("karaf",
                    credentials.karaf(), "ha:hosts --no-format").output().lines()
                    .anyMatch(l -> l.startsWith("H2") && l.contains("CONNECTED")));
        }
    }

    private void assertFailoverWithinTheHeapCap() throws Exception {
        long powerOff = System.nanoTime();
        waitForVms("H2");
        double seconds = (System.nanoTime() - powerOff) / 1e9;
        String rss = Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
        try (JMXConnector jmx = node.jmx("karaf", credentials.karaf())) {
            MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(jmx.getMBeanServerConnection(),
                    ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
            System.out.printf("MEASURED failover of H2 under -Xmx256M: all 20 VMs running again %.1f s after the power-off;"
                    + " heap used %d MiB of max %d MiB, %s%n", seconds, memory.getHeapMemoryUsage().getUsed() >> 20,
                    memory.getHeapMemoryUsage().getMax() >> 20, rss);
        }
        assertFalse(node.log().contains("OutOfMemoryError"));
    }

    /** Waits until the 20 VMs run, once each, on their table host, none on the failed host (if any). */
    private static void waitForVms(String failed) {
        await().atMost(180, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).untilAsserted(() -> {
            String out = node.ssh("karaf", credentials.karaf(), "ha:vms --no-format").output();
            List<String[]> rows = out.lines().map(l -> l.split("\t")).filter(c -> c.length == 10)
                    .filter(c -> c[0].trim().matches("VM\\d+")).toList();
            assertEquals(out, 20, rows.size());
            for (String[] r : rows) {
                assertEquals(out, "RUNNING", r[4].trim());
                assertEquals(out, r[1].trim(), r[6].trim());
                if (failed != null) {
                    assertNotEquals(out, failed, r[1].trim());
                }
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private static void assertSshRefused(String user, String password) {
        try (ClientSession session = node.sshSession(user, password)) {
            ProcessNode.Shell shell = ProcessNode.exec(session, "cat etc/users.properties");
            fail("ssh as " + user + " was accepted and read etc/users.properties:\n" + shell.output());
        } catch (IOException e) {
            // org.apache.sshd.common.SshException: no more authentication methods available
            assertTrue(user + ": " + e, e.getMessage() != null);
        }
    }

    private static void assertJmxRefused(String user, String password) throws IOException {
        try (JMXConnector jmx = node.jmx(user, password)) {
            fail("JMX login as " + user + " was accepted: " + jmx.getConnectionId());
        } catch (SecurityException e) {
            assertTrue(user + ": " + e, e.getMessage() != null);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
