/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link SharedFsSettings} is responsible for turning untyped configuration (Config Admin
 * properties or the factory's map) into checked settings. Every value goes through a guard: a bad
 * value is reported to {@code onBadValue} with key, value and reason, and its default is used.
 *
 * @param root the datastore root directory
 * @param leaseDurationMillis lease duration
 * @param takeoverMarginMillis extra wait after a holder's expiry before a takeover (clock skew)
 * @param checkpointsRetained complete checkpoints kept per volume
 * @param snapshotMode "auto" (reflink, else copy) or "copy"
 * @param createRootDirectory whether a missing root is created
 * @author vmha - Initial contribution
 */
public record SharedFsSettings(Path root, long leaseDurationMillis, long takeoverMarginMillis,
        int checkpointsRetained, String snapshotMode, boolean createRootDirectory) {

    public static final String KEY_ROOT = "rootDirectory";
    public static final String KEY_LEASE = "leaseDurationMillis";
    public static final String KEY_MARGIN = "takeoverMarginMillis";
    public static final String KEY_RETAINED = "checkpointsRetained";
    public static final String KEY_SNAPSHOT_MODE = "snapshotMode";
    public static final String KEY_CREATE_ROOT = "createRootDirectory";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    /**
     * @param config the raw settings (missing keys take their defaults)
     * @param onBadValue receives one message per bad value
     * @return the settings
     */
    public static SharedFsSettings from(Map<String, ?> config, Consumer<String> onBadValue) {
        Path root = root(config.get(KEY_ROOT), onBadValue);
        long lease = guardLong(config, KEY_LEASE, SharedFsConfiguration.DEFAULT_LEASE_DURATION_MILLIS, 50,
                3_600_000, onBadValue);
        long margin = guardLong(config, KEY_MARGIN, SharedFsConfiguration.DEFAULT_TAKEOVER_MARGIN_MILLIS, 0,
                600_000, onBadValue);
        int retained = (int) guardLong(config, KEY_RETAINED, SharedFsConfiguration.DEFAULT_CHECKPOINTS_RETAINED, 1,
                100, onBadValue);
        Object rawMode = config.get(KEY_SNAPSHOT_MODE);
        String mode = (rawMode == null ? SharedFsConfiguration.DEFAULT_SNAPSHOT_MODE : String.valueOf(rawMode)).trim()
                .toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("copy")) {
            onBadValue.accept(KEY_SNAPSHOT_MODE + " = '" + mode + "' is not 'auto' or 'copy'; using '"
                    + SharedFsConfiguration.DEFAULT_SNAPSHOT_MODE + "'");
            mode = SharedFsConfiguration.DEFAULT_SNAPSHOT_MODE;
        }
        Object create = config.get(KEY_CREATE_ROOT);
        boolean createRoot = SharedFsConfiguration.DEFAULT_CREATE_ROOT_DIRECTORY;
        if (create != null) {
            String s = String.valueOf(create).trim();
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                createRoot = Boolean.parseBoolean(s);
            } else {
                onBadValue.accept(KEY_CREATE_ROOT + " = '" + s + "' is not true or false; using " + createRoot);
            }
        }
        return new SharedFsSettings(root, lease, margin, retained, mode, createRoot);
    }

    private static Path root(Object raw, Consumer<String> onBadValue) {
        String value = raw == null || String.valueOf(raw).isBlank() ? SharedFsConfiguration.DEFAULT_ROOT_DIRECTORY
                : String.valueOf(raw).trim();
        String resolved = resolvePlaceholders(value, onBadValue);
        try {
            return Paths.get(resolved).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            onBadValue.accept(KEY_ROOT + " = '" + value + "' is not a valid path (" + e.getMessage() + "); using "
                    + SharedFsConfiguration.DEFAULT_ROOT_DIRECTORY);
            return Paths.get(resolvePlaceholders(SharedFsConfiguration.DEFAULT_ROOT_DIRECTORY, onBadValue))
                    .toAbsolutePath().normalize();
        }
    }

    /**
     * Replaces {@code ${name}} with the system property {@code name}; {@code ${karaf.data}} falls back
     * to {@code <working directory>/data} outside Karaf.
     */
    static String resolvePlaceholders(String value, Consumer<String> onBadValue) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = System.getProperty(name);
            if (v == null && name.equals("karaf.data")) {
                v = Paths.get(System.getProperty("user.dir"), "data").toString();
            }
            if (v == null) {
                onBadValue.accept(KEY_ROOT + " = '" + value + "': system property '" + name
                        + "' is not set; replaced by the empty string");
                v = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static long guardLong(Map<String, ?> config, String key, long def, long min, long max,
            Consumer<String> onBadValue) {
        Object raw = config.get(key);
        if (raw == null) {
            return def;
        }
        long v;
        try {
            v = raw instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(raw).trim());
        } catch (NumberFormatException e) {
            onBadValue.accept(key + " = '" + raw + "' is not a number; using " + def);
            return def;
        }
        if (v < min || v > max) {
            onBadValue.accept(key + " = " + v + " is outside [" + min + ", " + max + "]; using " + def);
            return def;
        }
        return v;
    }
}
