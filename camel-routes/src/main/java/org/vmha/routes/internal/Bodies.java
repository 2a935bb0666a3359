/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Message;

/**
 * The {@link Bodies} are responsible for reading a message body as text without trusting its size, and for naming
 * the broker-validated user who sent it.
 *
 * @author vmha - Initial contribution
 */
final class Bodies {

    private Bodies() {
    }

    /**
     * @param m a message (JMS text or bytes, MQTT publishes arrive as bytes)
     * @param maxChars the largest body accepted
     * @return the body as UTF-8 text, or null if it is larger than {@code maxChars} (before it is converted)
     */
    static String text(Message m, int maxChars) {
        Object raw = m.getBody();
        if (raw == null) {
            return "";
        }
        if (raw instanceof byte[] bytes) {
            return bytes.length > maxChars * 4L ? null : limit(new String(bytes, StandardCharsets.UTF_8), maxChars);
        }
        if (raw instanceof String s) {
            return limit(s, maxChars);
        }
        String s = m.getBody(String.class);
        return s == null ? "" : limit(s, maxChars);
    }

    private static String limit(String s, int maxChars) {
        return s.length() > maxChars ? null : s;
    }

    /** @return the size of the body as received: characters of a text, bytes of a binary body */
    static long size(Message m) {
        Object raw = m.getBody();
        if (raw instanceof byte[] bytes) {
            return bytes.length;
        }
        if (raw instanceof String s) {
            return s.length();
        }
        return raw == null ? 0 : -1;
    }

    /**
     * @param m a message consumed from the broker
     * @return the validated user the broker stamped on it ({@code populate-validated-user}), or null
     */
    static String user(Message m) {
        Object u = m.getHeader(Addresses.USER_HEADER);
        if (u == null) {
            u = m.getHeader(Addresses.VALIDATED_USER_HEADER);
        }
        return u == null ? null : u.toString();
    }
}
