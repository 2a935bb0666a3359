/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.nio.file.Path;

/**
 * File arguments of the ha commands: a relative path is resolved against KARAF_BASE, like Karaf's own.
 *
 * @author vmha - Initial contribution
 */
final class Paths {

    private Paths() {
    }

    static Path resolve(String name) {
        Path path = Path.of(name);
        String base = System.getProperty("karaf.base");
        return path.isAbsolute() || base == null ? path : Path.of(base).resolve(path);
    }
}
