package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.config.PortRange;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The ls command's options, parsed by picocli as on the command line, turned into settings. */
class ConnectionOptionsTest {
    private final StringWriter err = new StringWriter();

    private ConnectionSettings parse(String... args) {
        return parseWithEnv(Map.of(), args);
    }

    private ConnectionSettings parseWithEnv(Map<String, String> env, String... args) {
        LsCommand ls = new LsCommand();
        new CommandLine(ls).parseArgs(args);
        CredentialSource source = new CredentialSource(env, Path.of("/nonexistent-home"), prompt -> null);
        return ls.connection.toSettings(FtpUrl.parse(ls.url), source, new PrintWriter(err));
    }

    @Test
    void defaults() {
        ConnectionSettings s = parse("ftp://example.com/pub");
        assertEquals(DataMode.PASSIVE, s.dataMode());
        assertEquals(4, s.connections());
        assertEquals(Charset.forName("UTF-8"), s.encoding());
        assertTrue(s.useEpsv());
        assertFalse(s.usePasvAddress());
        assertNull(s.activePortRange());
        assertEquals(Duration.ofSeconds(5), s.dataConnectTimeout());
        assertEquals("anonymous", s.credentials().user());
        assertEquals("/pub", s.endpoint().path().toString());
    }

    @Test
    void everyConnectionOption() {
        ConnectionSettings s = parseWithEnv(Map.of(CredentialSource.PASSWORD_ENV, "pw"), "--mode", "ACTIVE", "--active-port-range", "40000-40100", "--active-address",
                "203.0.113.7", "--trust-pasv-address", "--no-epsv", "--encoding", "cp1251", "--connections", "2",
                "--timeout", "7", "--connect-timeout", "3", "--data-connect-timeout", "2", "--user", "bob",
                "ftp://alice@example.com:2121/");
        assertEquals(DataMode.ACTIVE, s.dataMode());
        assertEquals(new PortRange(40000, 40100), s.activePortRange());
        assertEquals("203.0.113.7", s.activeAddress());
        assertTrue(s.usePasvAddress());
        assertFalse(s.useEpsv());
        assertEquals(Charset.forName("windows-1251"), s.encoding());
        assertEquals(2, s.connections());
        assertEquals(Duration.ofSeconds(7), s.controlTimeout());
        assertEquals(Duration.ofSeconds(3), s.connectTimeout());
        assertEquals(Duration.ofSeconds(2), s.dataConnectTimeout());
        assertEquals(2121, s.endpoint().port());
        assertEquals("bob", s.credentials().user(), "--user wins over the URL");
        assertEquals("pw", s.credentials().revealPassword());
    }

    @Test
    void badValuesAreUsageErrorsNamingTheValue() {
        assertTrue(assertThrows(UsageException.class, () -> parse("--mode", "sideways", "ftp://h/"))
                .getMessage().contains("sideways"));
        assertTrue(assertThrows(UsageException.class, () -> parse("--active-port-range", "9-3", "ftp://h/"))
                .getMessage().contains("9-3"));
        assertTrue(assertThrows(UsageException.class, () -> parse("--active-port-range", "x", "ftp://h/"))
                .getMessage().contains("LOW-HIGH"));
        assertTrue(assertThrows(UsageException.class, () -> parse("--encoding", "klingon-8", "ftp://h/"))
                .getMessage().contains("klingon-8"));
        assertTrue(assertThrows(UsageException.class, () -> parse("--connections", "0", "ftp://h/"))
                .getMessage().contains("--connections"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--connections", "many", "ftp://h/"));
    }

    @Test
    void userWithoutAnyPasswordSourceAndNoConsoleIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> parse("ftp://bob@example.com/"));
        assertTrue(e.getMessage().contains("no password for bob@example.com"), e.getMessage());
    }
}
