/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replaceWritesANewFileAndReplacesAnOldOneWhole() throws IOException {
        Path f = dir.resolve("table.json");

        AtomicFiles.replace(f, "one".getBytes(UTF_8));
        assertThat(Files.readString(f)).isEqualTo("one");

        AtomicFiles.replace(f, "two, longer".getBytes(UTF_8));
        assertThat(Files.readString(f)).isEqualTo("two, longer");
        AtomicFiles.replace(f, "3".getBytes(UTF_8));
        assertThat(Files.readString(f)).isEqualTo("3");
        assertThat(names()).containsExactly("table.json");
    }

    @Test
    void replaceDoesNotChangeTheFileItReplaces() throws IOException {
        Path f = dir.resolve("table.json");
        AtomicFiles.replace(f, "old".getBytes(UTF_8));
        Path link = dir.resolve("old-link");
        Files.createLink(link, f);

        AtomicFiles.replace(f, "new".getBytes(UTF_8));

        // a rename puts a new inode in place; a reader holding the old one still reads the old content whole
        assertThat(Files.readString(link)).isEqualTo("old");
        assertThat(Files.readString(f)).isEqualTo("new");
    }

    @Test
    void aModeIsTheFilesModeFromItsCreation() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path f = dir.resolve("secret");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFiles.replace(f, "s3cret".getBytes(UTF_8), AtomicFiles.OWNER_ONLY);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(Files.readString(f)).isEqualTo("s3cret");

        Path created = dir.resolve("key");
        AtomicFiles.create(created, "k".getBytes(UTF_8), AtomicFiles.OWNER_ONLY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).isEqualTo("rw-------");
    }

    @Test
    void createNeverReplacesAnExistingFile() throws IOException {
        Path f = dir.resolve("key");
        AtomicFiles.create(f, "first".getBytes(UTF_8), null);

        assertThatThrownBy(() -> AtomicFiles.create(f, "second".getBytes(UTF_8), null))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertThat(Files.readString(f)).isEqualTo("first");
        assertThat(names()).containsExactly("key");
    }

    @Test
    void aFailedMoveLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        // a directory in the target's place: the rename over it fails after the temporary file was written
        Path target = dir.resolve("busy");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");

        assertThatThrownBy(() -> AtomicFiles.replace(target, "new".getBytes(UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot move")
                .hasMessageContaining(target.toString());

        assertThat(names()).containsExactly("busy");
        assertThat(Files.readString(target.resolve("inside"))).isEqualTo("x");
    }

    @Test
    void aReadOnlyDirectoryIsAnErrorNamingIt() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
        try {
            assumeFalse(Files.isWritable(ro), "root writes into read-only directories");

            assertThatThrownBy(() -> AtomicFiles.replace(ro.resolve("table.json"), "x".getBytes(UTF_8)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("cannot create a temporary file in " + ro + ": permission denied");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aDirectoryThatCannotHoldFilesIsAnErrorNamingIt() throws IOException {
        // what every user, root too, gets when the directory is not there or not a directory
        Path notADir = Files.writeString(dir.resolve("plain"), "x");

        assertThatThrownBy(() -> AtomicFiles.replace(notADir.resolve("table.json"), "x".getBytes(UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot create a temporary file in " + notADir + ": ");
        assertThatThrownBy(() -> AtomicFiles.replace(dir.resolve("missing/table.json"), "x".getBytes(UTF_8)))
                .hasMessage("cannot create a temporary file in " + dir.resolve("missing")
                        + ": no such file or directory");
    }

    @Test
    void anEmptyContentIsAnEmptyFile() throws IOException {
        AtomicFiles.replace(dir.resolve("f"), "x".getBytes(UTF_8));
        AtomicFiles.replace(dir.resolve("f"), new byte[0]);
        assertThat(Files.size(dir.resolve("f"))).isZero();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
