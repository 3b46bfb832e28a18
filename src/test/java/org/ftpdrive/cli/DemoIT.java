package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ftpdrive.testing.MountProcess;
import org.ftpdrive.testing.Shell;
import org.junit.jupiter.api.Test;

/** The README's first command: the tour mounts the demo server, uses it and cleans up after itself. */
class DemoIT {
    @Test
    void theDemoMountsCopiesReadsBackAndUnmounts() throws Exception {
        MountProcess.requireFuse();
        Path project = Path.of(System.getProperty("ftpdrive.projectDir", "."));
        Shell.Result r = Shell.run(Duration.ofMinutes(3), Map.of(), project,
                List.of("scripts/demo", "--no-wait"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("grüße.txt"), r.out());
        assertTrue(r.out().contains("identical to /etc/os-release"), r.out());
        assertTrue(r.out().contains("== unmounting"), r.out());
        assertFalse(java.nio.file.Files.readString(Path.of("/proc/self/mountinfo")).contains("ftpdrive-demo"),
                "the demo's mount is gone");
    }
}
