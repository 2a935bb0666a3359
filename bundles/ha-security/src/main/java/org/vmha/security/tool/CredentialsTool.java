/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.security.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.security.crypto.bcrypt.BCrypt;
import org.vmha.core.io.AtomicFiles;

/**
 * The credentials of a vmha node, made before Karaf boots (no Karaf class is used): {@code bin/vmha-credentials},
 * which {@code bin/setenv} runs on the first start of {@code bin/karaf} or {@code bin/start}.
 *
 * <ul>
 * <li>{@code init ETC}: if {@code ETC/vmha-credentials.properties} does not exist yet, gives every built-in user of
 * {@code ETC/users.properties} whose password is the marker {@value #UNSET} a random password, adds this node's agent
 * account {@code agent-<karaf.name>} (role {@code ha-agent}), generates the broker cluster password, and writes
 * <ul>
 * <li>{@code users.properties}: bcrypt hashes only ({@code {CRYPT}$2a$10$…{CRYPT}}, what Karaf's spring-security-crypto
 * encryption service checks);</li>
 * <li>{@code vmha-credentials.properties}: the plain values, {@code user=password} one a line, mode 0600;</li>
 * <li>{@code org.vmha.messaging.cfg}: this node's agent user and password (the routes and agents log in with them);</li>
 * <li>{@code org.vmha.commands.cfg}: the management account's password (the NOC command route logs in with it);</li>
 * <li>{@code custom.system.properties}: {@code vmha.cluster.password} (the broker's cluster password).</li>
 * </ul>
 * Nothing is changed when the credentials file exists: init runs on every start and is a no-op after the first.</li>
 * <li>{@code rotate ETC USER}: a new random password for one user (or {@value #CLUSTER_USER}), in the same files.</li>
 * <li>{@code add ETC USER ROLES}: a new user with a random password (another node's agent, a second NOC account).</li>
 * </ul>
 * Every file it writes is written whole to a temporary file (0600), fsynced and moved into place
 * ({@link AtomicFiles#replace}), so a crash leaves the old or the new file, never half of one. {@link AtomicFiles} is
 * ha-core's: {@code bin/vmha-credentials} runs the tool with this jar, the ha-core jar and bcrypt, and the bundle
 * imports {@code org.vmha.core.io} optionally (it never loads the tool).
 *
 * @author vmha - Initial contribution
 */
public final class CredentialsTool {

    /** The password marker of the shipped users.properties: no password matches it (not a bcrypt hash). */
    public static final String UNSET = "{CRYPT}GENERATED-AT-FIRST-START{CRYPT}";

    public static final String CREDENTIALS_FILE = "vmha-credentials.properties";

    /** The name under which the broker's cluster password is listed in the credentials file. */
    public static final String CLUSTER_USER = "vmha-cluster";

    static final String CLUSTER_PASSWORD_PROPERTY = "vmha.cluster.password";

    static final String AGENT_PREFIX = "agent-";

    /** The management service's account, which the NOC command route ({@value #COMMANDS_CFG}) logs in with. */
    static final String MANAGEMENT_USER = "management";

    static final String COMMANDS_CFG = "org.vmha.commands.cfg";

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /** 24 characters of a 57-letter alphabet: 140 bits. Only letters and digits: safe in shells, URLs, properties. */
    static final int PASSWORD_LENGTH = 24;

    static final int BCRYPT_COST = 10;

    private static final Pattern KEY_VALUE = Pattern.compile("^(\\s*)((?:\\\\.|[^\\\\=:\\s])+)(\\s*[=:]\\s*)(.*)$");

    private static final Set<PosixFilePermission> OWNER_ONLY = AtomicFiles.OWNER_ONLY;

    private final Path etc;
    private final PrintStream out;
    private final SecureRandom random;

    /**
     * @param etc the node's etc directory
     * @param out where the one-line notices go
     * @param random the source of passwords and salts
     */
    public CredentialsTool(Path etc, PrintStream out, SecureRandom random) {
        this.etc = etc;
        this.out = out;
        this.random = random;
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.out, System.err));
        } catch (UncheckedIOException e) {
            System.err.println("vmha-credentials: " + e.getCause().getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println("usage: vmha-credentials init ETC | rotate ETC USER | add ETC USER ROLE[,ROLE...]");
            return 2;
        }
        CredentialsTool tool = new CredentialsTool(Path.of(args[1]), out, new SecureRandom());
        try {
            switch (args[0]) {
                case "init":
                    tool.init();
                    return 0;
                case "rotate":
                    if (args.length != 3) {
                        err.println("usage: vmha-credentials rotate ETC USER");
                        return 2;
                    }
                    tool.rotate(args[2]);
                    return 0;
                case "add":
                    if (args.length != 4) {
                        err.println("usage: vmha-credentials add ETC USER ROLE[,ROLE...]");
                        return 2;
                    }
                    tool.add(args[2], args[3]);
                    return 0;
                default:
                    err.println("vmha-credentials: unknown command '" + args[0] + "' (init, rotate, add)");
                    return 2;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("vmha-credentials: " + e.getMessage());
            return 1;
        }
    }

    /** @return the credentials file */
    public Path credentialsFile() {
        return etc.resolve(CREDENTIALS_FILE);
    }

    /**
     * The first-start step; a no-op when the credentials file exists.
     *
     * @return true if it generated credentials
     */
    public boolean init() {
        if (Files.exists(credentialsFile())) {
            return false;
        }
        Path usersFile = etc.resolve("users.properties");
        List<String> users = read(usersFile);
        Map<String, String> plain = new LinkedHashMap<>();
        List<String> updated = new ArrayList<>();
        for (String line : users) {
            Matcher m = KEY_VALUE.matcher(line);
            if (m.matches() && !line.trim().startsWith("#") && !m.group(2).startsWith("_g_")
                    && m.group(4).startsWith(UNSET)) {
                String password = newPassword();
                plain.put(unescape(m.group(2)), password);
                updated.add(m.group(1) + m.group(2) + " = " + hash(password) + m.group(4).substring(UNSET.length()));
            } else {
                updated.add(line);
            }
        }
        String agent = agentUser();
        if (!plain.containsKey(agent) && findUser(updated, agent) < 0) {
            String password = newPassword();
            plain.put(agent, password);
            updated.add(agent + " = " + hash(password) + ",ha-agent");
        }
        String agentPassword = plain.get(agent);
        String clusterPassword = newPassword();
        plain.put(CLUSTER_USER, clusterPassword);

        // the plain values first: if anything after this fails, the next start does not generate again, and the
        // values that were written are the ones in the file
        writeCredentials(plain);
        write(usersFile, updated);
        if (agentPassword != null) {
            setProperties(etc.resolve("org.vmha.messaging.cfg"), Map.of("username", agent, "password", agentPassword));
        }
        String managementPassword = plain.get(MANAGEMENT_USER);
        if (managementPassword != null && Files.exists(etc.resolve(COMMANDS_CFG))) {
            // the NOC command route logs in as the management account (role ha-management)
            setProperties(etc.resolve(COMMANDS_CFG), Map.of("username", MANAGEMENT_USER, "password",
                    managementPassword));
        }
        setProperties(etc.resolve("custom.system.properties"), Map.of(CLUSTER_PASSWORD_PROPERTY, clusterPassword));
        out.println("vmha: generated the passwords of " + String.join(", ", plain.keySet())
                + "; the plain values are in " + credentialsFile().toAbsolutePath()
                + " (readable by its owner only), users.properties holds bcrypt hashes");
        return true;
    }

    /**
     * A new random password for one user.
     *
     * @param user a user of users.properties, or {@value #CLUSTER_USER}
     */
    public void rotate(String user) {
        String password = newPassword();
        if (CLUSTER_USER.equals(user)) {
            setProperties(etc.resolve("custom.system.properties"), Map.of(CLUSTER_PASSWORD_PROPERTY, password));
        } else {
            Path usersFile = etc.resolve("users.properties");
            List<String> lines = new ArrayList<>(read(usersFile));
            int at = findUser(lines, user);
            if (at < 0) {
                throw new IllegalArgumentException("no user '" + user + "' in " + usersFile);
            }
            Matcher m = KEY_VALUE.matcher(lines.get(at));
            if (!m.matches()) {
                throw new IllegalStateException("cannot parse the line of user '" + user + "' in " + usersFile);
            }
            String value = m.group(4);
            int comma = value.indexOf(',');
            String roles = comma < 0 ? "" : value.substring(comma);
            lines.set(at, m.group(1) + m.group(2) + " = " + hash(password) + roles);
            write(usersFile, lines);
            for (String cfg : new String[] {"org.vmha.messaging.cfg", COMMANDS_CFG}) {
                Path file = etc.resolve(cfg);
                if (Files.exists(file) && user.equals(property(read(file), "username"))) {
                    setProperties(file, Map.of("password", password));
                }
            }
        }
        Map<String, String> plain = readCredentials();
        plain.put(user, password);
        writeCredentials(plain);
        out.println("vmha: new password of " + user + " in " + credentialsFile().toAbsolutePath()
                + (CLUSTER_USER.equals(user) ? " (the broker uses it after a restart)" : ""));
    }

    /**
     * A new user with a random password.
     *
     * @param user the name (letters, digits, '.', '_', '-')
     * @param roles comma separated roles or groups
     */
    public void add(String user, String roles) {
        if (!user.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || CLUSTER_USER.equals(user)) {
            throw new IllegalArgumentException("invalid user name '" + user + "'");
        }
        if (!roles.matches("[A-Za-z0-9_:.-]+(,[A-Za-z0-9_:.-]+)*")) {
            throw new IllegalArgumentException("invalid roles '" + roles + "' (comma separated, no spaces)");
        }
        Path usersFile = etc.resolve("users.properties");
        List<String> lines = new ArrayList<>(read(usersFile));
        if (findUser(lines, user) >= 0) {
            throw new IllegalArgumentException("user '" + user + "' exists; use rotate");
        }
        String password = newPassword();
        lines.add(user + " = " + hash(password) + "," + roles);
        write(usersFile, lines);
        Map<String, String> plain = readCredentials();
        plain.put(user, password);
        writeCredentials(plain);
        out.println("vmha: added " + user + " (" + roles + "); its password is in " + credentialsFile().toAbsolutePath());
    }

    /** @return {@code agent-<karaf.name>} of this node */
    String agentUser() {
        String name = null;
        Path system = etc.resolve("system.properties");
        if (Files.exists(system)) {
            name = property(read(system), "karaf.name");
        }
        if (name == null || name.isBlank()) {
            name = "root";
        }
        return AGENT_PREFIX + name.trim().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    String newPassword() {
        StringBuilder b = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    String hash(String password) {
        return "{CRYPT}" + BCrypt.hashpw(password, BCrypt.gensalt(BCRYPT_COST, random)) + "{CRYPT}";
    }

    /** @return the plain values of the credentials file, in file order */
    public Map<String, String> readCredentials() {
        Map<String, String> plain = new LinkedHashMap<>();
        if (!Files.exists(credentialsFile())) {
            return plain;
        }
        for (String line : read(credentialsFile())) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                plain.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return plain;
    }

    private void writeCredentials(Map<String, String> plain) {
        List<String> lines = new ArrayList<>();
        lines.add("# vmha: the plain passwords of this node's accounts (user=password), made by bin/vmha-credentials.");
        lines.add("# Readable by the user who runs Karaf only. etc/users.properties holds their bcrypt hashes.");
        lines.add("# Rotate one with: bin/vmha-credentials rotate USER (docs/security.md).");
        plain.forEach((k, v) -> lines.add(k + "=" + v));
        write(credentialsFile(), lines);
    }

    private static int findUser(List<String> lines, String user) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = KEY_VALUE.matcher(line);
            if (!line.trim().startsWith("#") && m.matches() && unescape(m.group(2)).equals(user)) {
                return i;
            }
        }
        return -1;
    }

    private static String property(List<String> lines, String key) {
        String value = null;
        for (String line : lines) {
            Matcher m = KEY_VALUE.matcher(line);
            if (!line.trim().startsWith("#") && m.matches() && unescape(m.group(2)).equals(key)) {
                value = m.group(4).trim();
            }
        }
        return value;
    }

    /** Sets keys of a properties/cfg file in place (the first line of each key), appending the missing ones. */
    private static void setProperties(Path file, Map<String, String> values) {
        List<String> lines = Files.exists(file) ? new ArrayList<>(read(file)) : new ArrayList<>();
        Map<String, String> missing = new LinkedHashMap<>(values);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = KEY_VALUE.matcher(line);
            if (!line.trim().startsWith("#") && m.matches()) {
                String key = unescape(m.group(2));
                if (missing.containsKey(key)) {
                    lines.set(i, m.group(1) + m.group(2) + " = " + missing.remove(key));
                }
            }
        }
        missing.forEach((k, v) -> lines.add(k + " = " + v));
        write(file, lines);
    }

    private static String unescape(String key) {
        return key.replaceAll("\\\\(.)", "$1");
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot read " + file + ": " + e, e));
        }
    }

    /**
     * Writes the file whole into a new 0600 temporary file beside it, fsynced, then moves it into place and fsyncs
     * the directory ({@link AtomicFiles#replace}).
     */
    static void write(Path file, List<String> lines) {
        try {
            AtomicFiles.replace(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write " + file + ": " + e.getMessage(), e));
        }
    }
}
