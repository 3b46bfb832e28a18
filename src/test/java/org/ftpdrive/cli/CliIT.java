package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.demo.EmbeddedFtpServer;
import org.ftpdrive.testing.MinaTestServer;
import org.ftpdrive.testing.MountProcess;
import org.ftpdrive.testing.TestRequirements;
import org.ftpdrive.testing.VsftpdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ftpdrive command as users run it: the packaged jar in a subprocess, against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {
    private Path dir;

    private MinaTestServer server;
    private String url;

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    void start(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        Files.createDirectories(dir.resolve("root/sub dir"));
        Files.writeString(dir.resolve("root/a.txt"), "12345");
        Files.write(dir.resolve("root/sub dir/big.bin"), new byte[70_000]);
        server = MinaTestServer.start(dir.resolve("root"));
        url = "ftp://" + server.user() + "@127.0.0.1:" + server.port() + "/";
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(MountProcess.javaCommand(), "-jar", MountProcess.jar()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("FTPDRIVE_PASSWORD");
        pb.environment().put("HOME", dir.toString());
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("out.txt").toFile());
        pb.redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ftpdrive " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    private Map<String, String> withPassword() {
        return Map.of("FTPDRIVE_PASSWORD", server.password());
    }

    @ParameterizedTest
    @ValueSource(strings = {"passive", "active", "auto"})
    void listsInEveryDataMode(String mode) throws Exception {
        Result r = run(withPassword(), "ls", "--mode", mode, url);
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("a.txt", "sub dir"), r.out().lines().toList());
        assertEquals("", r.err());
    }

    @Test
    void listsARealVsftpdInEveryDataMode(@TempDir Path state) throws Exception {
        try (VsftpdServer vsftpd = TestRequirements.startVsftpdOrSkip(state, VsftpdServer.Options.defaults())) {
            Files.createDirectories(vsftpd.root().resolve("dir one"));
            Files.writeString(vsftpd.root().resolve("dir one/f.txt"), "abc");
            vsftpd.handOver(vsftpd.root());
            String vsftpdUrl = "ftp://" + vsftpd.user() + "@127.0.0.1:" + vsftpd.port() + "/dir%20one";
            for (String mode : List.of("passive", "active", "auto")) {
                Result r = run(Map.of("FTPDRIVE_PASSWORD", vsftpd.password()), "ls", "-l", "--mode", mode, vsftpdUrl);
                assertEquals(0, r.exit(), mode + ": " + r.err());
                assertTrue(r.out().matches("-rw-r--r-- +3 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d f\\.txt\\n"), mode + ": " + r.out());
            }
        }
    }

    @Test
    void aDataModeTheServerRefusesIsAConnectionError(@TempDir Path root) throws Exception {
        try (EmbeddedFtpServer noPort = EmbeddedFtpServer.builder(root).anonymous().refuse("PORT").refuse("EPRT").start()) {
            Result r = run(Map.of(), "ls", "--mode", "active", "ftp://127.0.0.1:" + noPort.port() + "/");
            assertEquals(ExitCodes.CONNECTION, r.exit(), r.all());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("refused PORT"), r.err());
        }
    }

    @Test
    void longListingShowsTypeSizeAndDate() throws Exception {
        Result r = run(withPassword(), "ls", "-l", url + "sub%20dir");
        assertEquals(0, r.exit(), r.err());
        String line = r.out().strip();
        assertTrue(line.startsWith("-"), line);
        assertTrue(line.matches(".*\\s70000 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d big\\.bin"), line);
    }

    @Test
    void wrongPasswordIsAnAuthenticationError() throws Exception {
        Result r = run(Map.of("FTPDRIVE_PASSWORD", "not-the-password"), "ls", url);
        assertEquals(ExitCodes.AUTHENTICATION, r.exit(), r.all());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ftpdrive: login as 'tester' refused"), r.err());
        assertFalse(r.all().contains("not-the-password"));
    }

    @Test
    void refusedConnectionIsAConnectionError() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        Result r = run(Map.of(), "ls", "ftp://127.0.0.1:" + freePort + "/");
        assertEquals(ExitCodes.CONNECTION, r.exit(), r.all());
        assertEquals("ftpdrive: connection to 127.0.0.1:" + freePort + " refused\n", r.err());
    }

    @Test
    void missingPathIsARemotePathError() throws Exception {
        Result r = run(withPassword(), "ls", url + "no-such-dir");
        assertEquals(ExitCodes.REMOTE_PATH, r.exit(), r.all());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("no-such-dir"), r.err());
    }

    @Test
    void listingAFileShowsThatFile() throws Exception {
        Result r = run(withPassword(), "ls", url + "a.txt");
        assertEquals(0, r.exit(), r.all());
        assertEquals("a.txt\n", r.out());
    }

    @Test
    void badInputIsAUsageError() throws Exception {
        Result malformed = run(Map.of(), "ls", "http://example.invalid/");
        assertEquals(ExitCodes.USAGE, malformed.exit(), malformed.all());
        assertEquals(1, malformed.err().lines().count(), malformed.err());

        Result badMode = run(Map.of(), "ls", "--mode", "sideways", url);
        assertEquals(ExitCodes.USAGE, badMode.exit(), badMode.all());
        assertTrue(badMode.err().contains("sideways"), badMode.err());

        Result unknownOption = run(Map.of(), "ls", "--frobnicate", url);
        assertEquals(ExitCodes.USAGE, unknownOption.exit(), unknownOption.all());

        Result noCommand = run(Map.of());
        assertEquals(ExitCodes.USAGE, noCommand.exit(), noCommand.all());
        assertFalse(noCommand.all().contains("Exception"), noCommand.all());
    }

    @Test
    void debugLogsTheDialogueWithoutThePassword() throws Exception {
        Result r = run(withPassword(), "ls", "--debug", url);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("> USER tester"), r.err());
        assertTrue(r.err().contains("> PASS ****"), r.err());
        assertFalse(r.all().contains(server.password()), "the password never appears");
    }

    @Test
    void passwordInTheUrlWorksWithAWarning() throws Exception {
        String withPw = "ftp://" + server.user() + ":" + server.password().replace("!", "%21") + "@127.0.0.1:"
                + server.port() + "/";
        Result r = run(Map.of(), "ls", withPw);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning: a password in the URL is visible"), r.err());
        assertFalse(r.all().contains(server.password()));
    }

    @Test
    void aUsageErrorNeverShowsThePasswordFromTheUrl() throws Exception {
        String encoded = server.password().replace("!", "%21");
        String withPw = "ftp://" + server.user() + ":" + encoded + "@127.0.0.1:" + server.port() + "/";
        // picocli quotes the argument it could not place, or the value it could not convert.
        for (List<String> args : List.of(List.of("ls", withPw, withPw + "again"), List.of(withPw),
                List.of("ls", "--connections", withPw))) {
            Result r = run(Map.of(), args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, r.exit(), r.all());
            assertFalse(r.all().contains(server.password()), r.all());
            assertFalse(r.all().contains(encoded), r.all());
            assertFalse(r.all().contains("%21"), r.all());
            assertTrue(r.err().contains("ftp://" + server.user() + ":***@127.0.0.1:"), r.err());
        }
    }

    @Test
    void passwordFileAndNetrcAreRead() throws Exception {
        Path pw = dir.resolve("pw.txt");
        Files.writeString(pw, server.password() + "\n", StandardCharsets.UTF_8);
        Result r = run(Map.of(), "ls", "--password-file", pw.toString(), url);
        assertEquals(0, r.exit(), r.err());

        Path netrc = dir.resolve(".netrc");
        Files.writeString(netrc, "machine 127.0.0.1 login " + server.user() + " password " + server.password() + "\n");
        Files.setPosixFilePermissions(netrc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Result viaNetrc = run(Map.of(), "ls", "ftp://127.0.0.1:" + server.port() + "/");
        assertEquals(0, viaNetrc.exit(), viaNetrc.err());
        assertEquals(List.of("a.txt", "sub dir"), viaNetrc.out().lines().toList());
        Files.delete(netrc);
    }

    @Test
    void helpAndVersion() throws Exception {
        Result help = run(Map.of(), "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("ls") && help.out().contains("serve"), help.out());
        Result version = run(Map.of(), "--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("ftpdrive "), version.out());
    }
}
