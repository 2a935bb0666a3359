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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * TLS on the broker's acceptors, exactly as docs/security.md tells an operator to enable it: a CA and a broker key
 * made with {@code keytool}, the MQTT and AMQP acceptors of {@code etc/vmha-broker.xml} switched to TLS, then real
 * clients: {@code mosquitto_sub --cafile} and the Qpid Proton client {@code examples/noc-command.py --cafile}.
 */
public class TlsIT {

    private static final String STORE_PASSWORD_CA = "ca-" + Long.toHexString(System.nanoTime());
    private static final String STORE_PASSWORD = "ks-" + Long.toHexString(System.nanoTime());

    private static ProcessNode node;
    private static Credentials credentials;
    private static Path pki;

    @BeforeClass
    public static void start() throws Exception {
        node = ProcessNode.unpack("tls");
        pki = Files.createDirectories(node.dir.resolve("pki"));
        Path etc = node.home.resolve("etc");
        // the recipe of docs/security.md, step by step
        keytool("-genkeypair", "-alias", "vmha-ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=vmha test CA",
                "-ext", "bc:c", "-validity", "30", "-keystore", pki.resolve("ca.p12").toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD_CA);
        keytool("-exportcert", "-rfc", "-alias", "vmha-ca", "-keystore", pki.resolve("ca.p12").toString(), "-storepass",
                STORE_PASSWORD_CA, "-file", pki.resolve("ca.pem").toString());
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-validity", "30", "-keystore", etc.resolve("vmha-broker.p12").toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD);
        keytool("-certreq", "-alias", "broker", "-keystore", etc.resolve("vmha-broker.p12").toString(), "-storepass",
                STORE_PASSWORD, "-file", pki.resolve("broker.csr").toString());
        keytool("-gencert", "-alias", "vmha-ca", "-keystore", pki.resolve("ca.p12").toString(), "-storepass",
                STORE_PASSWORD_CA, "-infile", pki.resolve("broker.csr").toString(), "-outfile",
                pki.resolve("broker.pem").toString(), "-rfc", "-validity", "30", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-ext", "KU=digitalSignature,keyEncipherment", "-ext", "EKU=serverAuth");
        keytool("-importcert", "-noprompt", "-alias", "vmha-ca", "-file", pki.resolve("ca.pem").toString(), "-keystore",
                etc.resolve("vmha-broker.p12").toString(), "-storepass", STORE_PASSWORD);
        keytool("-importcert", "-alias", "broker", "-file", pki.resolve("broker.pem").toString(), "-keystore",
                etc.resolve("vmha-broker.p12").toString(), "-storepass", STORE_PASSWORD);
        // an unrelated CA, for the negative case
        keytool("-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=another CA",
                "-ext", "bc:c", "-validity", "30", "-keystore", pki.resolve("other.p12").toString(), "-storetype",
                "PKCS12", "-storepass", STORE_PASSWORD_CA);
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", pki.resolve("other.p12").toString(), "-storepass",
                STORE_PASSWORD_CA, "-file", pki.resolve("other.pem").toString());

        // etc/vmha-broker.xml is what the first start writes from the ha-broker feature; before it, copy it there
        Path shipped;
        try (Stream<Path> s = Files.walk(node.home.resolve("system/org/vmha/ha-features"))) {
            shipped = s.filter(p -> p.getFileName().toString().endsWith("-broker.xml")).findFirst().orElseThrow();
        }
        String xml = Files.readString(shipped);
        String tls = ";sslEnabled=true;keyStorePath=${karaf.etc}/vmha-broker.p12;keyStoreType=PKCS12;keyStorePassword="
                + STORE_PASSWORD + ";enabledProtocols=TLSv1.3,TLSv1.2";
        for (String acceptor : List.of("amqp", "mqtt")) {
            String before = xml;
            xml = xml.replaceFirst("(<acceptor name=\"" + acceptor + "\">[^<]*?useEpoll=true)", "$1" + tls.replace("$", "\\$"));
            assertNotEquals("no acceptor " + acceptor + " to switch to TLS", before, xml);
        }
        Files.writeString(etc.resolve("vmha-broker.xml"), xml);
        node.start();
        credentials = node.credentials();
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "keytool";
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessNode.Result r = ProcessNode.run(pki, Duration.ofSeconds(60), command);
        assertEquals(String.join(" ", command) + "\n" + r.output(), 0, r.exit());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    public void mosquittoSubscribesOverTlsWithTheCaFile() throws Exception {
        try (ExternalProcess sub = ExternalProcess.start("stdbuf", "-oL", "mosquitto_sub", "-d", "--cafile",
                pki.resolve("ca.pem").toString(), "-h", "127.0.0.1", "-p", Integer.toString(node.mqttPort), "-u", "noc",
                "-P", credentials.noc(), "-t", "ha/events", "-C", "1", "-W", "60")) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> sub.output().contains("SUBACK"));
            ProcessNode.Shell set = node.ssh("karaf", credentials.karaf(), "ha:vm-set --priority highest VM04");
            assertFalse(set.output(), set.output().contains("Error"));
            assertEquals(sub.output(), 0, sub.waitFor(Duration.ofSeconds(70)));
            assertTrue(sub.output(), sub.output().contains("\"type\":\"org.vmha.configuration.changed\""));
        }
    }

    @Test
    public void mqttWithoutTlsOrWithAnotherCaIsRefused() throws Exception {
        try (ExternalProcess plain = ExternalProcess.start("mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(node.mqttPort), "-u", "noc", "-P", credentials.noc(), "-t", "ha/events", "-C", "1",
                "-W", "10")) {
            assertNotEquals(plain.output(), 0, plain.waitFor(Duration.ofSeconds(30)));
            assertFalse(plain.output(), plain.output().contains("specversion"));
        }
        try (ExternalProcess other = ExternalProcess.start("mosquitto_sub", "--cafile", pki.resolve("other.pem").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(node.mqttPort), "-u", "noc", "-P", credentials.noc(), "-t",
                "ha/events", "-C", "1", "-W", "10")) {
            assertNotEquals(other.output(), 0, other.waitFor(Duration.ofSeconds(30)));
            assertTrue(other.output(), other.output().toLowerCase().contains("certificate")
                    || other.output().toLowerCase().contains("tls") || other.output().contains("Error"));
        }
    }

    @Test
    public void theAmqpClientSendsACommandOverTls() throws Exception {
        // the management service that answers "status" may come up a moment after the routes announced the node
        await().atMost(90, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).untilAsserted(() -> {
            ProcessNode.Result ok = node.run(Duration.ofSeconds(90), "/usr/bin/python3", "examples/noc-command.py",
                    "--url", "amqps://127.0.0.1:" + node.amqpPort, "--cafile", pki.resolve("ca.pem").toString(), "--user",
                    "operator", "--timeout", "30", "status");
            assertEquals(ok.output(), 0, ok.exit());
            assertTrue(ok.output(), ok.output().contains("\"ok\": true") || ok.output().contains("\"ok\":true"));
        });

        ProcessNode.Result plain = node.run(Duration.ofSeconds(90), "/usr/bin/python3", "examples/noc-command.py", "--url",
                "amqp://127.0.0.1:" + node.amqpPort, "--user", "operator", "--timeout", "10", "status");
        assertNotEquals(plain.output(), 0, plain.exit());
        ProcessNode.Result other = node.run(Duration.ofSeconds(90), "/usr/bin/python3", "examples/noc-command.py", "--url",
                "amqps://127.0.0.1:" + node.amqpPort, "--cafile", pki.resolve("other.pem").toString(), "--user",
                "operator", "--timeout", "10", "status");
        assertEquals(other.output(), 2, other.exit());
    }
}
