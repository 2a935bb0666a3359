/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

import java.util.regex.Pattern;

/**
 * The {@link StorageNames} is responsible for the naming rules shared by every storage adapter:
 * LUN ids, VM ids, host names, snapshot and disk names all match {@link #NAME_PATTERN}, so they are
 * safe as file names on any datastore and sort the same way everywhere.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class StorageNames {

    /** Allowed names: a letter or digit, then up to 99 letters, digits, dots, dashes or underscores. */
    public static final String NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

    /** Compiled {@link #NAME_REGEX}. */
    public static final Pattern NAME_PATTERN = Pattern.compile(NAME_REGEX);

    /** Prefix of every LUN id; the rest is the VM id. */
    public static final String LUN_PREFIX = "lun-";

    private StorageNames() {
    }

    /**
     * Checks a name against {@link #NAME_PATTERN}.
     *
     * @param field what the name is (for the message), e.g. "lun"
     * @param value the name
     * @return the name
     * @throws IllegalArgumentException naming the field and value when the name is not allowed
     */
    public static String require(String field, String value) {
        if (value == null || !isValid(value)) {
            throw new IllegalArgumentException(field + " '" + value + "' is not a valid name: expected "
                    + NAME_REGEX);
        }
        return value;
    }

    /**
     * Checks a name against {@link #NAME_REGEX} without a regex engine (it runs on every datastore call).
     *
     * @param value the name
     * @return true if it matches {@link #NAME_REGEX}
     */
    public static boolean isValid(String value) {
        int n = value.length();
        if (n < 1 || n > 100) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The LUN id of the volume provisioned for a VM.
     *
     * @param vmId the VM id
     * @return {@code "lun-" + vmId}
     */
    public static String lunFor(String vmId) {
        return LUN_PREFIX + require("vmId", vmId);
    }
}
