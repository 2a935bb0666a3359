/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@link MessageAuthenticator} is responsible for the HMAC that every heartbeat and table update carries in the
 * message property {@value #HEADER}: HmacSHA256 under the cluster key ({@link ClusterKey}) over the canonical form
 * {@code vmha-mac-v1 LF kind LF source LF body}, where {@code kind} is {@code heartbeat} or {@code table},
 * {@code source} the sender's name (also in the property {@code vmha_source}) and {@code body} the UTF-8 JSON text
 * exactly as sent. The tag is {@code v1:<key id>:<Base64 of the MAC>}; the key id (8 hex digits of the key's
 * SHA-256) picks the verifying key, so keys can be rotated.
 * <p>
 * Binding kind and source to the body means a captured heartbeat cannot be replayed as a table update, nor a
 * message of H1 be re-labelled as one of H2. Replay of an identical message is not prevented here; the consumers
 * are idempotent for it (heartbeat sequences, table versions and entry revisions only move forward).
 * <p>
 * <b>Threading:</b> thread-safe (one {@link Mac} per call; HMAC of a few KB takes microseconds).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class MessageAuthenticator {

    /** The message property carrying the tag. */
    public static final String HEADER = "vmha_mac";

    private static final String ALGORITHM = "HmacSHA256";
    private static final String VERSION = "v1";

    private final List<SecretKeySpec> keys;
    private final List<String> ids;

    /**
     * @param key the cluster key
     */
    public MessageAuthenticator(ClusterKey key) {
        List<SecretKeySpec> k = new ArrayList<>();
        List<String> i = new ArrayList<>();
        for (byte[] bytes : key.keys()) {
            k.add(new SecretKeySpec(bytes, ALGORITHM));
            i.add(ClusterKey.id(bytes));
        }
        this.keys = List.copyOf(k);
        this.ids = List.copyOf(i);
    }

    /**
     * @param kind {@code heartbeat} or {@code table}
     * @param source the sender
     * @param body the JSON text
     * @return the tag for {@value #HEADER}
     */
    public String sign(String kind, String source, String body) {
        return VERSION + ":" + ids.get(0) + ":" + Base64.getEncoder().encodeToString(mac(keys.get(0), kind, source, body));
    }

    /** What a verification found. */
    public enum Verdict {
        /** the tag is right under one of the keys */
        VALID,
        /** no tag */
        MISSING,
        /** a tag not of the form {@code v1:<id>:<mac>} */
        MALFORMED,
        /** a tag under a key this node does not have */
        UNKNOWN_KEY,
        /** the tag does not match the message */
        BAD
    }

    /**
     * @param kind {@code heartbeat} or {@code table}
     * @param source the sender as the message names it
     * @param body the JSON text as received
     * @param tag the value of {@value #HEADER}, may be null
     * @return the verdict
     */
    public Verdict verify(String kind, String source, String body, String tag) {
        if (tag == null || tag.isEmpty()) {
            return Verdict.MISSING;
        }
        int a = tag.indexOf(':');
        int b = a < 0 ? -1 : tag.indexOf(':', a + 1);
        if (a < 0 || b < 0 || !VERSION.equals(tag.substring(0, a)) || tag.length() > 128) {
            return Verdict.MALFORMED;
        }
        String id = tag.substring(a + 1, b);
        int index = ids.indexOf(id);
        if (index < 0) {
            return Verdict.UNKNOWN_KEY;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(tag.substring(b + 1));
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        byte[] expected = mac(keys.get(index), kind, source, body);
        return MessageDigest.isEqual(expected, given) ? Verdict.VALID : Verdict.BAD;
    }

    private static byte[] mac(SecretKeySpec key, String kind, String source, String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(("vmha-mac-v1\n" + kind + "\n" + (source == null ? "" : source) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            mac.update((body == null ? "" : body).getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available: " + e.getMessage(), e);
        }
    }
}
