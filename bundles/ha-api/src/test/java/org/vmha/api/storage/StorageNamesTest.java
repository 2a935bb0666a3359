/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The {@link StorageNamesTest} is responsible for showing that the regex-free name check agrees with
 * {@link StorageNames#NAME_REGEX}.
 *
 * @author vmha - Initial contribution
 */
class StorageNamesTest {

    @Test
    void handWrittenCheckAgreesWithTheRegex() {
        List<String> samples = new java.util.ArrayList<>(List.of("", "a", "A9", "lun-vm1", "-x", ".x", "_x", "x-._",
                "é", "a b", "a/b", "0", "H001", "x".repeat(100), "x".repeat(101), "a\u0000"));
        for (char c = 0; c < 200; c++) {
            samples.add("a" + c);
            samples.add(c + "a");
        }
        for (String s : samples) {
            assertThat(StorageNames.isValid(s)).as("'%s'", s).isEqualTo(StorageNames.NAME_PATTERN.matcher(s).matches());
        }
    }
}
