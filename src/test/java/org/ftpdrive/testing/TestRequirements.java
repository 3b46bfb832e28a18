package org.ftpdrive.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Environment requirements of tests: a missing requirement skips the test with a reason, or
 * fails it when the environment variable {@code FTPDRIVE_REQUIRE_ALL=1} (so that CI on a fully
 * equipped machine cannot silently skip).
 */
public final class TestRequirements {
    /** Set to "1" to turn every unmet requirement into a test failure. */
    public static final String REQUIRE_ALL_ENV = "FTPDRIVE_REQUIRE_ALL";

    private TestRequirements() {}

    /** Whether unmet requirements fail tests instead of skipping them. */
    public static boolean requireAll() {
        return "1".equals(System.getenv(REQUIRE_ALL_ENV));
    }

    /**
     * Does nothing when {@code condition} holds; otherwise fails the test (with
     * FTPDRIVE_REQUIRE_ALL=1) or aborts it as skipped, with {@code reason}.
     */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (requireAll()) {
            Assertions.fail(reason + " (" + REQUIRE_ALL_ENV + "=1 turns this skip into a failure)");
        }
        Assumptions.assumeTrue(false, reason);
    }

    /**
     * Starts vsftpd (see {@link VsftpdServer#start}); when this machine cannot run it (not root,
     * not Linux, vsftpd not installable), goes through {@link #require} (skip, or fail with
     * FTPDRIVE_REQUIRE_ALL=1). Any other start failure is an error of the test.
     */
    public static VsftpdServer startVsftpdOrSkip(Path stateDir, VsftpdServer.Options options) {
        try {
            return VsftpdServer.start(stateDir, options);
        } catch (ScriptedFtpServer.UnavailableException e) {
            require(false, "vsftpd cannot run here: " + e.getMessage());
            throw new AssertionError("unreachable", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Starts ProFTPD (see {@link ProftpdServer#start}); when this machine cannot run it (not root,
     * not Linux, ProFTPD not downloadable), goes through {@link #require} (skip, or fail with
     * FTPDRIVE_REQUIRE_ALL=1). Any other start failure is an error of the test.
     */
    public static ProftpdServer startProftpdOrSkip(Path stateDir, ProftpdServer.Options options) {
        try {
            return ProftpdServer.start(stateDir, options);
        } catch (ScriptedFtpServer.UnavailableException e) {
            require(false, "ProFTPD cannot run here: " + e.getMessage());
            throw new AssertionError("unreachable", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
