package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.demo.EmbeddedFtpServer;
import org.ftpdrive.testing.JsonReader;
import org.ftpdrive.testing.MountProcess;
import org.ftpdrive.testing.TestRequirements;
import org.ftpdrive.testing.VsftpdServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ftpdrive doctor} as users run it: the packaged jar against MINA set up to misbehave, and vsftpd. */
class DoctorIT {
    private static final String PASSWORD = "d0ctor-Secret";

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Result doctor(String password, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(MountProcess.javaCommand(), "-jar", MountProcess.jar(), "doctor",
                "--data-connect-timeout", "3"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("FTPDRIVE_PASSWORD", password);
        pb.environment().put("HOME", dir.toString());
        pb.redirectOutput(dir.resolve("out.txt").toFile());
        pb.redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ftpdrive doctor did not finish within 90 s");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    private EmbeddedFtpServer.Builder mina() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("a.txt"), "data");
        return EmbeddedFtpServer.builder(root).user("doc", PASSWORD);
    }

    private static String url(EmbeddedFtpServer server) {
        return "ftp://doc@127.0.0.1:" + server.port() + "/";
    }

    private static String line(Result r, String command) {
        return r.out().lines().filter(l -> l.strip().startsWith(command + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + command + " line in\n" + r.out()));
    }

    @Test
    void everythingWorks() throws Exception {
        try (EmbeddedFtpServer server = mina().start()) {
            Result r = doctor(PASSWORD, url(server));
            assertEquals(0, r.exit(), r.all());
            for (String c : List.of("EPSV", "PASV", "EPRT", "PORT")) {
                assertTrue(line(r, c).matches(" *" + c + " +ok +1 entry \\(\\d+ ms\\)"), line(r, c));
            }
            assertTrue(r.out().contains("220 "), r.out());
            assertTrue(r.out().contains("Recommendation: --mode passive"), r.out());
            assertEquals("", r.err());
            assertFalse(r.all().contains(PASSWORD));
        }
    }

    @Test
    void passiveRefusedRecommendsActive() throws Exception {
        try (EmbeddedFtpServer server = mina().refuse("EPSV").refuse("PASV").start()) {
            Result r = doctor(PASSWORD, url(server));
            assertEquals(0, r.exit(), r.all());
            assertTrue(line(r, "EPSV").contains("refused EPSV"), r.out());
            assertTrue(line(r, "PASV").contains("refused PASV"), r.out());
            assertTrue(line(r, "EPRT").contains(" ok "), r.out());
            assertTrue(r.out().contains("Recommendation: --mode active"), r.out());
            assertTrue(r.out().contains("refuses passive mode"), r.out());
        }
    }

    @Test
    void activeRefusedRecommendsPassive() throws Exception {
        try (EmbeddedFtpServer server = mina().refuse("PORT").refuse("EPRT").start()) {
            Result r = doctor(PASSWORD, url(server));
            assertEquals(0, r.exit(), r.all());
            assertTrue(line(r, "EPRT").contains("refused EPRT"), r.out());
            assertTrue(line(r, "PORT").contains("refused PORT"), r.out());
            assertEquals(1, server.refusals("EPRT"), "EPRT is really sent on IPv4");
            assertTrue(r.out().contains("Recommendation: --mode passive"), r.out());
        }
    }

    @Test
    void substitutedPasvAddressIsReportedAndPassiveStillWorks() throws Exception {
        try (EmbeddedFtpServer server = mina().passiveAdvertisedAddress("127.0.0.9").start()) {
            Result r = doctor(PASSWORD, url(server));
            assertEquals(0, r.exit(), r.all());
            assertTrue(line(r, "PASV").contains(" ok ") && line(r, "PASV").contains("replied with address 127.0.0.9, "
                    + "which is not the server's; connected to the server's address instead"), r.out());
            assertTrue(r.out().contains("Recommendation: --mode passive"), r.out());
            assertTrue(r.out().contains("--trust-pasv-address would break"), r.out());
        }
    }

    @Test
    void nothingWorksIsAConnectionError() throws Exception {
        try (EmbeddedFtpServer server = mina().refuse("EPSV").refuse("PASV").refuse("PORT").refuse("EPRT").start()) {
            Result r = doctor(PASSWORD, url(server));
            assertEquals(ExitCodes.CONNECTION, r.exit(), r.all());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.out().contains("refuses passive mode") && r.out().contains("refuses active mode"), r.out());
        }
    }

    @Test
    void aListenerThatNeverGreetsIsNamedAsSuch() throws Exception {
        // The kernel completes the TCP handshake for the backlog: connected, but no 220 ever comes.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Result r = doctor(PASSWORD, "--connect-timeout", "1", "ftp://doc@127.0.0.1:" + silent.getLocalPort() + "/");
            assertEquals(ExitCodes.CONNECTION, r.exit(), r.all());
            assertTrue(line(r, "TCP connection").contains(" ok "), r.out());
            assertTrue(line(r, "greeting").contains("no FTP greeting within 1 s"), r.out());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("did not greet as an FTP server should"), r.err());
        }
    }

    @Test
    void aMissingDirectoryIsNamedAndTheDataModesAreStillChecked() throws Exception {
        try (EmbeddedFtpServer server = mina().start()) {
            Result r = doctor(PASSWORD, "ftp://doc@127.0.0.1:" + server.port() + "/no-such-dir/");
            assertEquals(ExitCodes.REMOTE_PATH, r.exit(), r.all());
            assertTrue(line(r, "directory").contains("failed"), r.out());
            assertTrue(line(r, "EPSV").contains(" ok "), r.out());
            assertTrue(r.out().contains("the URL's directory cannot be used"), r.out());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("ftpdrive: the URL's directory cannot be used"), r.err());
        }
    }

    @Test
    void wrongPasswordIsAnAuthenticationError() throws Exception {
        try (EmbeddedFtpServer server = mina().start()) {
            Result r = doctor("wrong-" + PASSWORD, url(server));
            assertEquals(ExitCodes.AUTHENTICATION, r.exit(), r.all());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("ftpdrive: the server refused the login"), r.err());
            assertEquals(1, r.out().lines().filter(l -> l.contains("530")).count(), r.out());
            assertFalse(r.all().contains(PASSWORD), r.all());
            assertFalse(r.out().contains("EPSV"), "no data probes after a failed login");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonParsesAndHoldsNoPassword() throws Exception {
        try (EmbeddedFtpServer server = mina().refuse("EPSV").passiveAdvertisedAddress("127.0.0.9").start()) {
            Result r = doctor(PASSWORD, "--json", url(server));
            assertEquals(0, r.exit(), r.all());
            assertEquals(1, r.out().lines().count(), r.out());
            Map<String, Object> json = (Map<String, Object>) JsonReader.parse(r.out());
            assertTrue(json.keySet().containsAll(List.of("url", "host", "port", "user", "steps", "features",
                    "probes", "recommendation", "exitCode")), json.keySet().toString());
            List<Map<String, Object>> probes = (List<Map<String, Object>>) json.get("probes");
            assertEquals(List.of("EPSV", "PASV", "EPRT", "PORT"), probes.stream().map(p -> p.get("command")).toList());
            assertEquals("command_refused", probes.get(0).get("outcome"));
            assertEquals("127.0.0.9", probes.get(1).get("advertisedAddress"));
            assertEquals(true, probes.get(1).get("advertisedAddressReplaced"));
            assertEquals("ok", probes.get(1).get("outcome"));
            Map<String, Object> steps = (Map<String, Object>) json.get("steps");
            for (String step : List.of("resolution", "connection", "greeting", "login", "directory")) {
                assertEquals("ok", ((Map<String, Object>) steps.get(step)).get("status"), step + ": " + r.out());
            }
            assertTrue(((List<Object>) json.get("features")).contains("MLST"), r.out());
            Map<String, Object> recommendation = (Map<String, Object>) json.get("recommendation");
            assertEquals("passive", recommendation.get("mode"));
            assertEquals("--mode passive", recommendation.get("options"));
            assertFalse(r.all().contains(PASSWORD));
        }
    }

    @Test
    void vsftpd(@TempDir Path state) throws Exception {
        try (VsftpdServer vsftpd = TestRequirements.startVsftpdOrSkip(state,
                VsftpdServer.Options.defaults().withPasvAddress("127.0.0.9"))) {
            Result r = doctor(vsftpd.password(), "ftp://" + vsftpd.user() + "@127.0.0.1:" + vsftpd.port() + "/");
            assertEquals(0, r.exit(), r.all());
            for (String c : List.of("EPSV", "PASV", "EPRT", "PORT")) {
                assertTrue(line(r, c).contains(" ok "), r.out());
            }
            assertTrue(line(r, "PASV").contains("replied with address 127.0.0.9"), r.out());
            assertTrue(r.out().contains("not announced: MLSD"), r.out());
            assertFalse(r.all().contains(vsftpd.password()));
        }
    }
}
