/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.OptionUtils.combine;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.karaf.itests.KarafTestSupport;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.KarafDistributionOption;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;
import org.osgi.framework.ServiceReference;
import org.vmha.agent.AgentStatus;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.security.tool.CredentialsTool;

/**
 * The {@link VmhaTestSupport} boots the built vmha distribution (not a stock Karaf plus bundles) with every
 * port chosen at random, the shipped users file, and a bounded heap. Tests talk to the real embedded broker.
 *
 * <p>Pax Exam starts the container's JVM itself, not through {@code bin/karaf}, so the distribution's first-start
 * step ({@code bin/vmha-credentials init}) does not run there. The same tool runs here instead, on copies of the
 * shipped {@code users.properties} and {@code org.vmha.messaging.cfg}, and its output replaces them in the
 * container, with {@code etc/vmha-credentials.properties}; tests read the passwords from that file
 * ({@link Credentials#ofThisContainer()}).
 *
 * @author vmha - Initial contribution
 */
public abstract class VmhaTestSupport extends KarafTestSupport {

    /**
     * The probe imports ha-core's packages the way vmha's bundles do: ha-core exports them only with the mandatory
     * attribute {@code vmha.internal} (a bundle that does not ask for it cannot wire to them).
     */
    @Override
    @org.ops4j.pax.exam.ProbeBuilder
    public org.ops4j.pax.exam.TestProbeBuilder probeConfiguration(org.ops4j.pax.exam.TestProbeBuilder probe) {
        probe.setHeader(org.osgi.framework.Constants.DYNAMICIMPORT_PACKAGE,
                "org.vmha.core.*;vmha.internal=true,*,org.apache.felix.service.*;status=provisional");
        return probe;
    }


    /** The etc files the distribution ships: the tests use its accounts, never a copy. */
    static final Path SHIPPED_ETC = Path.of("../../karaf-assembly/src/main/resources/assembly/etc");

    /** The output of the first-start step for this container: users.properties, the messaging config, credentials. */
    private Path staged;

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static final long BOOT_TIMEOUT_MS = 180_000;

    protected VmhaTestSupport() {
        // a failure must show, not be retried away
        retry = new Retry(false);
    }

    @Override
    public MavenArtifactUrlReference getKarafDistribution() {
        return maven("org.vmha", "vmha").type("tar.gz").versionAsInProject();
    }

    @Override
    public File getConfigFile(String path) {
        if ("/etc/users.properties".equals(path)) {
            return staged().resolve("users.properties").toFile();
        }
        return super.getConfigFile(path);
    }

    /** @return an etc directory on which the distribution's own first-start step ran (made once per container) */
    protected Path staged() {
        if (staged == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target/exam-credentials"));
                staged = Files.createTempDirectory(dir, "etc");
                for (String f : List.of("users.properties", "org.vmha.messaging.cfg", "org.vmha.commands.cfg",
                        "custom.system.properties")) {
                    Files.copy(SHIPPED_ETC.resolve(f), staged.resolve(f));
                }
                new CredentialsTool(staged, new PrintStream(System.out, true), new SecureRandom()).init();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return staged;
    }

    /** @return the first-start step's files for the container, and the broker's generated cluster password */
    protected Option[] generatedCredentials() {
        Path etc = staged();
        String cluster = new CredentialsTool(etc, System.out, new SecureRandom()).readCredentials()
                .get(CredentialsTool.CLUSTER_USER);
        return new Option[] {
            replaceConfigurationFile("etc/org.vmha.messaging.cfg", etc.resolve("org.vmha.messaging.cfg").toFile()),
            replaceConfigurationFile("etc/org.vmha.commands.cfg", etc.resolve("org.vmha.commands.cfg").toFile()),
            replaceConfigurationFile("etc/" + Credentials.FILE, etc.resolve(Credentials.FILE).toFile()),
            editConfigurationFilePut("etc/custom.system.properties", "vmha.cluster.password", cluster)};
    }

    @Override
    @Configuration
    public Option[] config() {
        List<Integer> ports = freePorts(4);
        // Karaf's support waits an hour for a container that failed to boot; two minutes tell us as much
        Option[] karaf = java.util.Arrays.stream(super.config())
                .filter(o -> !(o instanceof org.ops4j.pax.exam.options.TimeoutOption)
                        && !(o instanceof org.ops4j.pax.exam.container.remote.options.RBCLookupTimeoutOption))
                .toArray(Option[]::new);
        return combine(combine(karaf, generatedCredentials()),
                org.ops4j.pax.exam.CoreOptions.systemTimeout(BOOT_TIMEOUT_MS),
                org.ops4j.pax.exam.container.remote.RBCRemoteTargetOptions.waitForRBCFor((int) BOOT_TIMEOUT_MS),
                editConfigurationFilePut("etc/custom.system.properties", "vmha.broker.port", ports.get(0).toString()),
                editConfigurationFilePut("etc/custom.system.properties", "vmha.broker.amqp.port", ports.get(1).toString()),
                editConfigurationFilePut("etc/custom.system.properties", "vmha.broker.mqtt.port", ports.get(2).toString()),
                editConfigurationFilePut("etc/custom.system.properties", "vmha.broker.stomp.port", ports.get(3).toString()),
                KarafDistributionOption.logLevel(org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel.INFO),
                new org.ops4j.pax.exam.options.extra.VMOption("-Xmx512m"));
    }

    /**
     * @param count how many
     * @return distinct ports that were free a moment ago (the OS picks them, so parallel builds do not collide)
     */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // the port is released anyway when the process exits
                }
            }
        }
    }

    /** @return the core/AMQP port of the embedded broker, as configured in the container */
    protected static int brokerPort() {
        return Integer.parseInt(System.getProperty("vmha.broker.port"));
    }

    /** @return the MQTT port of the embedded broker, as configured in the container */
    protected static int amqpPort() {
        return Integer.parseInt(System.getProperty("vmha.broker.amqp.port"));
    }

    protected static int mqttPort() {
        return Integer.parseInt(System.getProperty("vmha.broker.mqtt.port"));
    }

    // ------------------------------------------------------------------ undoing what a test changed

    /**
     * @param c a configuration a test is about to delete
     * @return its properties without those Config Admin and File Install own, to create it again from
     */
    static Dictionary<String, Object> propertiesOf(org.osgi.service.cm.Configuration c) {
        Dictionary<String, Object> copy = new Hashtable<>();
        Dictionary<String, Object> p = c.getProperties();
        for (Enumeration<String> keys = p.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!List.of("service.pid", "service.factoryPid", "service.bundleLocation", "felix.fileinstall.filename")
                    .contains(key)) {
                copy.put(key, p.get(key));
            }
        }
        return copy;
    }

    /**
     * What gives a configuration back after a test deleted it: the file File Install made it from (File Install
     * deletes that file with the configuration), else its properties.
     *
     * @param c the configuration about to be deleted
     * @param filter the filter that finds it (or its replacement) in Config Admin
     * @return what {@link #restore} needs
     */
    protected static ConfigBackup backup(org.osgi.service.cm.Configuration c, String filter) throws IOException {
        Object name = c.getProperties().get("felix.fileinstall.filename");
        Path file = name == null ? null : Path.of(java.net.URI.create(name.toString()));
        return new ConfigBackup(filter, c.getFactoryPid(), c.getPid(), propertiesOf(c), file,
                file != null && Files.exists(file) ? Files.readAllBytes(file) : null);
    }

    /** A deleted configuration: how to find it, its pids, its properties, its File Install file and content. */
    protected record ConfigBackup(String filter, String factoryPid, String pid, Dictionary<String, Object> properties,
            Path file, byte[] content) {
    }

    /**
     * Creates a deleted configuration again, if it is missing, and waits until it exists: through its file when it
     * had one (one created through Config Admin would be deleted by File Install once it notices the file is gone,
     * and the file is what the distribution has), else through Config Admin.
     */
    protected void restore(ConfigBackup backup) throws Exception {
        if (configurationAdmin.listConfigurations(backup.filter()) != null) {
            return;
        }
        if (backup.content() == null) {
            org.osgi.service.cm.Configuration c = backup.factoryPid() != null
                    ? configurationAdmin.createFactoryConfiguration(backup.factoryPid(), null)
                    : configurationAdmin.getConfiguration(backup.pid(), null);
            c.update(backup.properties());
        } else {
            // File Install deletes the file after the configuration: write it only once that happened
            org.awaitility.Awaitility.await().atMost(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    .until(() -> !Files.exists(backup.file()));
            Path tmp = backup.file().resolveSibling(backup.file().getFileName() + ".tmp");
            Files.write(tmp, backup.content());
            Files.move(tmp, backup.file(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        org.awaitility.Awaitility.await().atMost(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .until(() -> configurationAdmin.listConfigurations(backup.filter()) != null);
    }

    /** @return the management service's configuration's backup, before a test deletes it */
    protected ConfigBackup managementBackup() throws Exception {
        return backup(configurationAdmin.getConfiguration("org.vmha.management", null), "(service.pid=org.vmha.management)");
    }

    // ------------------------------------------------------------------ this node's agents

    protected List<ServiceReference<AgentStatus>> agents() throws Exception {
        return new ArrayList<>(bundleContext.getServiceReferences(AgentStatus.class, null));
    }

    protected Set<String> agentHosts() throws Exception {
        Set<String> hosts = new TreeSet<>();
        for (ServiceReference<AgentStatus> r : agents()) {
            hosts.add((String) r.getProperty(AgentStatus.HOST_PROPERTY));
        }
        return hosts;
    }

    protected Map<String, List<String>> whereRunning() throws Exception {
        Map<String, List<String>> where = new TreeMap<>();
        for (ServiceReference<AgentStatus> r : agents()) {
            AgentStatus s = bundleContext.getService(r);
            if (s == null) {
                continue;
            }
            try {
                for (RunningVm vm : s.runningVms()) {
                    where.computeIfAbsent(vm.lun(), k -> new ArrayList<>()).add(s.host());
                }
            } finally {
                bundleContext.ungetService(r);
            }
        }
        return where;
    }

    protected Map<String, RunningVm> runningVms() throws Exception {
        Map<String, RunningVm> vms = new TreeMap<>();
        for (ServiceReference<AgentStatus> r : agents()) {
            AgentStatus s = bundleContext.getService(r);
            if (s == null) {
                continue;
            }
            try {
                for (RunningVm vm : s.runningVms()) {
                    vms.put(vm.lun(), vm);
                }
            } finally {
                bundleContext.ungetService(r);
            }
        }
        return vms;
    }
}
