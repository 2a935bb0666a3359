/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * File arguments of the ha commands. A relative path is resolved against KARAF_BASE, like Karaf's own. The commands
 * run with the rights of the Karaf process, so a file is read only if it lies under the distribution's own directories
 * ({@code karaf.home}, {@code karaf.base}, {@code karaf.data}), after resolving {@code ..} and symbolic links; and an
 * error never shows what a file contains ({@link #redact(String)}).
 *
 * @author vmha - Initial contribution
 */
final class Paths {

    static final String ROOTS = "karaf.home, karaf.base, karaf.data";

    private static final Pattern QUOTED = Pattern.compile("'[^'\\n]*'|\"[^\"\\n]*\"");
    private static final Pattern WAS_VALUE = Pattern.compile("\\b(was|got|value) .*$");

    private Paths() {
    }

    static Path resolve(String name) {
        Path path = Path.of(name);
        String base = System.getProperty("karaf.base");
        return path.isAbsolute() || base == null ? path : Path.of(base).resolve(path);
    }

    /**
     * @param name the argument as typed
     * @param what what the file is, for the messages ("inventory", "scenario")
     * @return the file, which exists and lies under one of the distribution's directories
     * @throws IllegalArgumentException naming the argument, never the file's content
     */
    static Path readable(String name, String what) {
        Path path = resolve(name).toAbsolutePath().normalize();
        List<Path> roots = roots();
        // decided on the name first: a file outside is refused without looking at it (no existence probe)
        if (roots.stream().noneMatch(path::startsWith)) {
            throw outside(name, what);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + name + ": no such file");
        }
        if (roots.stream().map(Paths::real).noneMatch(real::startsWith)) {
            throw outside(name, what);
        }
        if (!java.nio.file.Files.isRegularFile(real)) {
            throw new IllegalArgumentException("cannot read " + what + " " + name + ": not a regular file");
        }
        return real;
    }

    private static IllegalArgumentException outside(String name, String what) {
        return new IllegalArgumentException("refused to read " + what + " " + name + ": it is outside the "
                + "distribution's directories (" + ROOTS + "); copy it there (for example into examples/) or run the "
                + "offline tool in bin/");
    }

    static List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        for (String p : List.of("karaf.home", "karaf.base", "karaf.data")) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) {
                roots.add(Path.of(v).toAbsolutePath().normalize());
            }
        }
        return roots;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /**
     * @param message an error about a file (a parser's, a validator's)
     * @return the message without anything it quotes from the file: the first line, quoted text and trailing
     *         values replaced by "…", at most 200 characters
     */
    static String redact(String message) {
        if (message == null) {
            return "";
        }
        String first = message.lines().findFirst().orElse("");
        String r = WAS_VALUE.matcher(QUOTED.matcher(first).replaceAll("'…'")).replaceAll("$1 …");
        return r.length() > 200 ? r.substring(0, 200) + "…" : r;
    }
}
