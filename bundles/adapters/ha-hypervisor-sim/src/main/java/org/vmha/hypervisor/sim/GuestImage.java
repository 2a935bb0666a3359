/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.hypervisor.sim;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link GuestImage} is responsible for the memory image of a simulated guest: its counter and
 * how many times it booted, as the bytes stored in a checkpoint. The format is text lines
 * {@code key=value} after the magic line {@code vmha-sim-guest 1}.
 *
 * @param vm the VM name
 * @param counter the guest counter
 * @param boots how many times the guest booted (1 after the first cold boot)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record GuestImage(String vm, long counter, long boots) {

    /** The first line of every image. */
    public static final String MAGIC = "vmha-sim-guest 1";

    /** @return the image bytes */
    public byte[] toBytes() {
        return (MAGIC + "\nvm=" + vm + "\ncounter=" + counter + "\nboots=" + boots + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param bytes image bytes
     * @param where names the checkpoint for error messages
     * @return the image
     * @throws IllegalArgumentException naming {@code where} and the problem
     */
    public static GuestImage parse(byte[] bytes, String where) {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        if (lines.length == 0 || !MAGIC.equals(lines[0])) {
            throw new IllegalArgumentException(where + " is not a simulated guest image (no '" + MAGIC + "' line)");
        }
        Map<String, String> kv = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int eq = lines[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(where + " line " + (i + 1) + " is not key=value: " + lines[i]);
            }
            kv.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
        }
        try {
            return new GuestImage(kv.get("vm"), Long.parseLong(kv.getOrDefault("counter", "")),
                    Long.parseLong(kv.getOrDefault("boots", "")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " has a bad counter or boots value: " + kv, e);
        }
    }
}
