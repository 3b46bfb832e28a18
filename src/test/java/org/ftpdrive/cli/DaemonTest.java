package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonTest {
    @Test
    void thePasswordLeavesTheUrlAndNothingElseChanges() {
        assertEquals("ftp://bob@host/dir/", Daemon.withoutPassword("ftp://bob:pw@host/dir/"));
        assertEquals("ftp://bob@host:2121", Daemon.withoutPassword("ftp://bob:p%40w@host:2121"));
        assertEquals("ftp://bob@host/backups@2024/", Daemon.withoutPassword("ftp://bob:pw@host/backups@2024/"));
        assertEquals("ftp://host:2121/a@b/", Daemon.withoutPassword("ftp://host:2121/a@b/"));
        assertEquals("ftp://bob@host/a:b@c", Daemon.withoutPassword("ftp://bob@host/a:b@c"));
        assertEquals("ftp://host/", Daemon.withoutPassword("ftp://host/"));
    }

    @Test
    void theChildGetsTheSameArgumentsWithoutDaemonOrPassword() {
        assertEquals(List.of("mount", "ftp://u@h/x@y/", "/mnt", "--mode", "auto"),
                Daemon.childArgs(List.of("mount", "ftp://u:secret@h/x@y/", "/mnt", "--daemon", "--mode", "auto")));
    }
}
