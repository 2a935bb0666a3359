/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generated passwords of the distribution under test, as its first start wrote them into
 * {@code etc/vmha-credentials.properties} ({@code user=password} one a line). Tests never use passwords of their own.
 *
 * @author vmha - Initial contribution
 */
final class Credentials {

    static final String FILE = "vmha-credentials.properties";

    private final Map<String, String> passwords;

    private Credentials(Map<String, String> passwords) {
        this.passwords = passwords;
    }

    /** @return the credentials of the distribution this code runs in (inside a Pax Exam container) */
    static Credentials ofThisContainer() {
        return of(Path.of(System.getProperty("karaf.etc")));
    }

    /**
     * @param etc the etc directory of a distribution
     * @return its generated credentials; for a distribution from before they were generated (issue 14), which had
     *         plain passwords in users.properties, those (what an attacker reading the file got), so that the
     *         lockdown tests can show the attacks succeed there ({@code -Dvmha.itest.tarball=OLD.tar.gz})
     */
    static Credentials of(Path etc) {
        Path file = etc.resolve(FILE);
        Map<String, String> p = new LinkedHashMap<>();
        if (!Files.exists(file) && Files.exists(etc.resolve("users.properties"))) {
            try {
                for (String line : Files.readAllLines(etc.resolve("users.properties"), StandardCharsets.UTF_8)) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([a-z][\\w-]*)\\s*=\\s*([^,{\\s]+),").matcher(line);
                    if (m.find()) {
                        p.put(m.group(1), m.group(2));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!p.isEmpty()) {
                p.put("vmha-cluster", "");
                return new Credentials(p);
            }
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    p.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the distribution has no " + file + " (its first start writes it)", e);
        }
        return new Credentials(p);
    }

    String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalStateException("no password for " + user + " in " + FILE + "; it has " + passwords.keySet());
        }
        return password;
    }

    /** @return this node's agent account, agent-&lt;karaf.name&gt; */
    String agentUser() {
        return passwords.keySet().stream().filter(u -> u.startsWith("agent-") || u.equals("agent")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no agent-<node> account in " + FILE));
    }

    String karaf() {
        return password("karaf");
    }

    String operator() {
        return password("operator");
    }

    String noc() {
        return password("noc");
    }

    String agent() {
        return password(agentUser());
    }

    Map<String, String> all() {
        return Map.copyOf(passwords);
    }
}
