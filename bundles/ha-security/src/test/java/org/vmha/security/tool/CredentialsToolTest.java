/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.security.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

class CredentialsToolTest {

    /** The users file the distribution ships. */
    private static final Path SHIPPED_USERS = Path.of("../../karaf-assembly/src/main/resources/assembly/etc/users.properties");
    private static final Path SHIPPED_MESSAGING = Path.of(
            "../../karaf-assembly/src/main/resources/assembly/etc/org.vmha.messaging.cfg");

    @TempDir
    Path etc;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private CredentialsTool tool;

    @BeforeEach
    void setUp() throws Exception {
        Files.copy(SHIPPED_USERS, etc.resolve("users.properties"));
        Files.copy(SHIPPED_MESSAGING, etc.resolve("org.vmha.messaging.cfg"));
        Files.writeString(etc.resolve("custom.system.properties"), "vmha.broker.host = 127.0.0.1\n");
        Files.writeString(etc.resolve("system.properties"), "# node\nkaraf.name = node7\n");
        tool = new CredentialsTool(etc, new PrintStream(out, true, StandardCharsets.UTF_8), new SecureRandom());
    }

    @Test
    void theShippedUsersFileHasNoUsablePassword() throws Exception {
        String users = Files.readString(SHIPPED_USERS);
        Matcher m = Pattern.compile("(?m)^([a-z][^=\\s]*)\\s*=\\s*([^,]*),").matcher(users);
        int count = 0;
        while (m.find()) {
            count++;
            assertThat(m.group(2)).as("password of " + m.group(1)).isEqualTo(CredentialsTool.UNSET);
        }
        assertThat(count).isEqualTo(4);
        assertThat(Files.readString(SHIPPED_MESSAGING)).doesNotContainPattern("(?m)^password[ \\t]*=[ \\t]*\\S");
    }

    @Test
    void initGeneratesEveryPasswordHashedAndWritesThePlainValuesOwnerOnly() throws Exception {
        assertThat(tool.init()).isTrue();

        Map<String, String> plain = tool.readCredentials();
        assertThat(plain).containsOnlyKeys("karaf", "management", "noc", "operator", "agent-node7", "vmha-cluster");
        assertThat(plain.values()).allMatch(p -> p.matches("[A-Za-z0-9]{24}")).doesNotHaveDuplicates();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tool.credentialsFile())))
                .isEqualTo("rw-------");

        String users = Files.readString(etc.resolve("users.properties"));
        assertThat(users).doesNotContain(CredentialsTool.UNSET + ",");
        for (Map.Entry<String, String> e : plain.entrySet()) {
            assertThat(users).doesNotContain(e.getValue());
            if (!e.getKey().equals("vmha-cluster")) {
                Matcher m = Pattern.compile("(?m)^" + Pattern.quote(e.getKey()) + " = \\{CRYPT\\}(\\$2a\\$10\\$[./A-Za-z0-9]{53})\\{CRYPT\\},")
                        .matcher(users);
                assertThat(m.find()).as(e.getKey() + " in\n" + users).isTrue();
                assertThat(BCrypt.checkpw(e.getValue(), m.group(1))).isTrue();
                assertThat(BCrypt.checkpw(e.getValue() + "x", m.group(1))).isFalse();
            }
        }
        assertThat(users).contains("agent-node7 = {CRYPT}$2a$10$").containsPattern("(?m)^agent-node7 = .*,ha-agent$");
        assertThat(users).contains("_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh,ha-operator");
        assertThat(users).containsPattern("(?m)^operator = \\{CRYPT\\}\\S+\\{CRYPT\\},ha-operator$");

        String messaging = Files.readString(etc.resolve("org.vmha.messaging.cfg"));
        assertThat(messaging).containsPattern("(?m)^username = agent-node7$")
                .containsPattern("(?m)^password = " + plain.get("agent-node7") + "$");
        assertThat(Files.readString(etc.resolve("custom.system.properties")))
                .contains("vmha.broker.host = 127.0.0.1").contains("vmha.cluster.password = " + plain.get("vmha-cluster"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(tool.credentialsFile().toAbsolutePath().toString())
                .doesNotContain(plain.get("karaf"));
    }

    @Test
    void initIsANoOpOnceTheCredentialsExist() throws Exception {
        tool.init();
        String users = Files.readString(etc.resolve("users.properties"));
        Map<String, String> plain = tool.readCredentials();

        assertThat(tool.init()).isFalse();
        assertThat(Files.readString(etc.resolve("users.properties"))).isEqualTo(users);
        assertThat(tool.readCredentials()).isEqualTo(plain);
    }

    @Test
    void rotateChangesOneUserAndTheMessagingPasswordOfThisNodesAgent() throws Exception {
        tool.init();
        Map<String, String> before = tool.readCredentials();

        tool.rotate("agent-node7");
        Map<String, String> after = tool.readCredentials();
        assertThat(after.get("agent-node7")).isNotEqualTo(before.get("agent-node7"));
        assertThat(after).containsEntry("noc", before.get("noc")).containsEntry("karaf", before.get("karaf"));
        assertThat(Files.readString(etc.resolve("org.vmha.messaging.cfg")))
                .containsPattern("(?m)^password = " + after.get("agent-node7") + "$");
        String users = Files.readString(etc.resolve("users.properties"));
        Matcher m = Pattern.compile("(?m)^agent-node7 = \\{CRYPT\\}(\\S+)\\{CRYPT\\},ha-agent$").matcher(users);
        assertThat(m.find()).isTrue();
        assertThat(BCrypt.checkpw(after.get("agent-node7"), m.group(1))).isTrue();

        tool.rotate("operator");
        assertThat(Files.readString(etc.resolve("org.vmha.messaging.cfg")))
                .containsPattern("(?m)^password = " + after.get("agent-node7") + "$");
        tool.rotate("vmha-cluster");
        assertThat(Files.readString(etc.resolve("custom.system.properties")))
                .contains("vmha.cluster.password = " + tool.readCredentials().get("vmha-cluster"));
        assertThatThrownBy(() -> tool.rotate("nobody")).hasMessageContaining("no user 'nobody'");
    }

    @Test
    void addCreatesAnotherNodesAgent() throws Exception {
        tool.init();
        tool.add("agent-node8", "ha-agent");
        assertThat(tool.readCredentials()).containsKey("agent-node8");
        assertThat(Files.readString(etc.resolve("users.properties"))).containsPattern("(?m)^agent-node8 = \\{CRYPT\\}.*,ha-agent$");
        assertThatThrownBy(() -> tool.add("agent-node8", "ha-agent")).hasMessageContaining("exists");
        assertThatThrownBy(() -> tool.add("x y", "ha-agent")).hasMessageContaining("invalid user name");
        assertThatThrownBy(() -> tool.add("z", "a b")).hasMessageContaining("invalid roles");
    }

    @Test
    void theCommandLineReportsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(CredentialsTool.run(new String[] {"init"}, System.out, e)).isEqualTo(2);
        assertThat(CredentialsTool.run(new String[] {"frobnicate", etc.toString()}, System.out, e)).isEqualTo(2);
        assertThat(CredentialsTool.run(new String[] {"rotate", etc.toString(), "nobody"}, System.out, e)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage").contains("unknown command").contains("no user");
    }
}
