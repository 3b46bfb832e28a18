package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.NoSuchFileException;
import org.ftpdrive.remote.TransientNetworkException;
import org.junit.jupiter.api.Test;

class ErrorReporterTest {
    @Test
    void onlyUsageExceptionsAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, ErrorReporter.exitCode(new UsageException("--connections must be at least 1, not 0")));
        assertEquals(ExitCodes.USAGE, ErrorReporter.exitCode(
                new UsageException("unknown data mode 'x'", new IllegalArgumentException("unknown data mode 'x'"))));
        // An IllegalArgumentException from deep inside (a bug) is not the user's mistake.
        assertEquals(ExitCodes.FAILURE, ErrorReporter.exitCode(new IllegalArgumentException("pool size must be at least 1")));
    }

    @Test
    void otherFailuresKeepTheirCodes() {
        assertEquals(ExitCodes.CONNECTION, ErrorReporter.exitCode(new TransientNetworkException("timed out")));
        assertEquals(ExitCodes.REMOTE_PATH, ErrorReporter.exitCode(new NoSuchFileException("/x")));
        assertEquals(ExitCodes.FAILURE, ErrorReporter.exitCode(new IllegalStateException("bug")));
    }
}
