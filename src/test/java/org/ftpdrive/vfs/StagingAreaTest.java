package org.ftpdrive.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder of staging copies: private, one per process, cleaned up after itself and after dead mounts. */
class StagingAreaTest {
    @TempDir
    Path base;

    @Test
    void aPrivateFolderPerProcessRemovedAtClose() throws IOException {
        StagingArea area = StagingArea.create(base);
        Path dir = area.dir();
        assertEquals(base.resolve("staging-" + ProcessHandle.current().pid()), dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Path file = area.newFile();
        assertTrue(Files.isRegularFile(file));
        assertEquals(dir, file.getParent());
        area.close();
        assertFalse(Files.exists(dir));
    }

    @Test
    void foldersOfDeadMountsAreRemovedAndThoseOfLiveOnesKept() throws IOException {
        Path dead = Files.createDirectories(base.resolve("staging-999999999"));
        Files.write(dead.resolve("open-1.part"), new byte[10]);
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        Path live = Files.createDirectories(base.resolve("staging-" + parent));
        Path other = Files.createDirectories(base.resolve("staging-notapid"));
        Path unrelated = Files.createDirectories(base.resolve("blocks"));

        StagingArea area = StagingArea.create(base);
        try {
            assertFalse(Files.exists(dead));
            assertTrue(Files.exists(live));
            assertTrue(Files.exists(other));
            assertTrue(Files.exists(unrelated));
        } finally {
            area.close();
        }
    }

    @Test
    void leftoversOfThisProcessAreClearedAtCreate() throws IOException {
        Path own = Files.createDirectories(base.resolve("staging-" + ProcessHandle.current().pid()));
        Files.write(own.resolve("open-old.part"), new byte[1]);
        StagingArea area = StagingArea.create(base);
        try (var files = Files.list(area.dir())) {
            assertEquals(0, files.count());
        } finally {
            area.close();
        }
    }
}
