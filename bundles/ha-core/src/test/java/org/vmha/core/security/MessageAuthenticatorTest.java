/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmha.core.security.MessageAuthenticator.Verdict;

/** The cluster key file and the HMAC of heartbeats and tables (finding 4 of issue 14). */
class MessageAuthenticatorTest {

    private static final byte[] K1 = "first cluster key, 32 bytes long".getBytes(StandardCharsets.UTF_8);
    private static final byte[] K2 = "second cluster key, also 32 byte".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aTagVerifiesOnlyForTheSameKindSourceAndBody() {
        MessageAuthenticator a = new MessageAuthenticator(ClusterKey.of(K1));
        String body = "{\"host\":\"H1\",\"sequence\":1}";
        String tag = a.sign("heartbeat", "H1", body);
        assertThat(tag).startsWith("v1:" + ClusterKey.id(K1) + ":");
        assertThat(a.verify("heartbeat", "H1", body, tag)).isEqualTo(Verdict.VALID);
        assertThat(a.verify("table", "H1", body, tag)).isEqualTo(Verdict.BAD);
        assertThat(a.verify("heartbeat", "H2", body, tag)).isEqualTo(Verdict.BAD);
        assertThat(a.verify("heartbeat", "H1", body + " ", tag)).isEqualTo(Verdict.BAD);
        assertThat(a.verify("heartbeat", "H1", body, null)).isEqualTo(Verdict.MISSING);
        assertThat(a.verify("heartbeat", "H1", body, "v2:x:y")).isEqualTo(Verdict.MALFORMED);
        assertThat(a.verify("heartbeat", "H1", body, "v1:" + ClusterKey.id(K1) + ":!!!")).isEqualTo(Verdict.MALFORMED);
        assertThat(new MessageAuthenticator(ClusterKey.of(K2)).verify("heartbeat", "H1", body, tag))
                .isEqualTo(Verdict.UNKNOWN_KEY);
    }

    @Test
    void rotationNewKeyAddedVerifiesThenSignsWhileTheOldOneStillVerifies() {
        MessageAuthenticator old = new MessageAuthenticator(ClusterKey.of(K1));
        MessageAuthenticator step1 = new MessageAuthenticator(new ClusterKey(List.of(K1, K2), "t", List.of()));
        MessageAuthenticator step2 = new MessageAuthenticator(new ClusterKey(List.of(K2, K1), "t", List.of()));
        String b = "{}";
        assertThat(step1.verify("table", "management", b, old.sign("table", "management", b))).isEqualTo(Verdict.VALID);
        assertThat(step2.verify("table", "management", b, step1.sign("table", "management", b))).isEqualTo(Verdict.VALID);
        assertThat(step1.verify("table", "management", b, step2.sign("table", "management", b))).isEqualTo(Verdict.VALID);
        assertThat(old.verify("table", "management", b, step2.sign("table", "management", b)))
                .isEqualTo(Verdict.UNKNOWN_KEY);
    }

    @Test
    void theKeyFileIsGeneratedOnceWithMode0600AndReadBack() throws Exception {
        Path file = dir.resolve("etc/vmha-cluster.key");
        ClusterKey k = ClusterKey.loadOrCreate(file, new SecureRandom());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(k.keys()).hasSize(1);
        assertThat(k.keys().get(0)).hasSize(ClusterKey.GENERATED_KEY_BYTES);
        assertThat(k.problems()).isEmpty();
        assertThat(ClusterKey.loadOrCreate(file, new SecureRandom()).signingKeyId()).isEqualTo(k.signingKeyId());
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void aLooseModeIsReportedAndABadFileRefusedNamingTheLine() throws Exception {
        Path file = dir.resolve("k");
        Files.writeString(file, "# comment\n" + Base64.getEncoder().encodeToString(K1) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ClusterKey.load(file).problems()).singleElement().asString().contains("chmod 600");
        Files.writeString(file, "# comment\nnot base64!\n");
        assertThatThrownBy(() -> ClusterKey.load(file)).hasMessageContaining("line 2 is not Base64");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[8]) + "\n");
        assertThatThrownBy(() -> ClusterKey.load(file)).hasMessageContaining("at least 16");
        Files.writeString(file, "# only comments\n");
        assertThatThrownBy(() -> ClusterKey.load(file)).hasMessageContaining("holds no key");
    }
}
