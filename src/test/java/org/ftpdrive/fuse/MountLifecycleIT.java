package org.ftpdrive.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ftpdrive.demo.EmbeddedFtpServer;
import org.ftpdrive.testing.MinaTestServer;
import org.ftpdrive.testing.MountProcess;
import org.ftpdrive.testing.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mounting and unmounting as a user meets them: read-only, busy, daemon, bad input, a server that dies. */
class MountLifecycleIT {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private MinaTestServer server;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        MountProcess.requireFuse();
        Path root = Files.createDirectories(work.resolve("root"));
        Files.writeString(root.resolve("hello.txt"), "hello");
        server = MinaTestServer.start(root);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        if (server != null) {
            server.close();
        }
    }

    private MountProcess mount(Path mp, String... options) throws Exception {
        MountProcess m = MountProcess.start(server, mp, work, options);
        cleanup.add(m);
        return m;
    }

    private Shell.Result ftpdrive(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", MountProcess.jar()));
        cmd.addAll(List.of(args));
        return Shell.run(T, env, null, cmd);
    }

    private String url() {
        return "ftp://" + server.user() + "@127.0.0.1:" + server.port() + "/";
    }

    /**
     * Four uploads held open on a mount with four connections: three stream, the fourth waits for
     * one of them, and a listing still gets the session kept for it instead of waiting for a
     * transfer to end (a file manager browsing while it copies).
     */
    @Test
    void listingsKeepWorkingWhileTransfersHoldTheOtherSessions() throws Exception {
        Path mp = work.resolve("busy");
        MountProcess m = mount(mp, "--connections", "4", "--debug");
        try {
            uploadsAndAListing(mp);
        } catch (Throwable t) {
            throw new AssertionError("mount log:\n" + m.log(), t);
        }
    }

    private void uploadsAndAListing(Path mp) throws Exception {
        Files.createDirectories(server.root().resolve("later"));
        Files.writeString(server.root().resolve("later/inside.txt"), "x");
        byte[] chunk = new byte[1 << 20];
        List<OutputStream> streaming = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        cleanup.add(writers::shutdownNow);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path file = mp.resolve("up-" + i);
            done.add(writers.submit(() -> {
                OutputStream out = Files.newOutputStream(file);
                out.write(chunk);
                streaming.add(out);
                return null;
            }));
        }
        long deadline = System.nanoTime() + T.toNanos();
        while (streaming.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(3, streaming.size(), "three uploads stream");
        Thread.sleep(500);
        assertEquals(3, streaming.size(), "the fourth waits: one session is kept for listings");

        // Listed from this JVM: a child process would inherit the open files, and its closing
        // them (before exec) would flush them through the drive.
        try (java.util.stream.Stream<Path> listing = Files.list(mp.resolve("later"))) {
            assertEquals(List.of("inside.txt"), listing.map(p -> p.getFileName().toString()).toList());
        }

        for (OutputStream out : List.copyOf(streaming.subList(0, 3))) {
            out.close();
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get(T.toSeconds(), TimeUnit.SECONDS);
        }
        streaming.get(3).close();
        for (int i = 0; i < 4; i++) {
            assertEquals(chunk.length, Files.size(server.root().resolve("up-" + i)), "up-" + i + " on the server");
        }
    }

    @Test
    void readOnlyMountReadsButRefusesEveryChange() throws Exception {
        Path mp = work.resolve("ro");
        mount(mp, "--read-only");
        assertEquals("hello", Files.readString(mp.resolve("hello.txt")));
        for (String script : List.of("touch x", "echo x > hello.txt", "mkdir d", "rm hello.txt", "mv hello.txt y")) {
            Shell.Result r = Shell.run(T, Map.of(), mp, List.of("sh", "-c", script));
            assertNotEquals(0, r.exit(), script);
            assertTrue(r.err().contains("Read-only file system"), script + ": " + r.err());
        }
        assertEquals("hello", Files.readString(server.root().resolve("hello.txt")));
        assertEquals(List.of("hello.txt"), Files.list(server.root()).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void unmountOfABusyMountPointSaysSoAndLaterSucceeds() throws Exception {
        Path mp = work.resolve("busy");
        MountProcess m = mount(mp);
        Process user = new ProcessBuilder("sleep", "60").directory(mp.toFile()).start();
        try {
            Shell.Result busy = ftpdrive(Map.of(), "unmount", mp.toString());
            assertNotEquals(0, busy.exit());
            assertTrue(busy.err().contains("busy"), busy.err());
            assertEquals(1, busy.err().strip().lines().count(), "one line: " + busy.err());
            assertTrue(m.mounted());
        } finally {
            user.destroy();
            user.waitFor(10, TimeUnit.SECONDS);
        }
        Shell.Result ok = ftpdrive(Map.of(), "unmount", mp.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertFalse(m.mounted());
        assertTrue(m.process().waitFor(30, TimeUnit.SECONDS), "the mount process ends after unmount");
        assertEquals(0, m.process().exitValue(), m.log());

        Shell.Result notMounted = ftpdrive(Map.of(), "unmount", mp.toString());
        assertNotEquals(0, notMounted.exit());
        assertTrue(notMounted.err().contains("not mounted"), notMounted.err());
    }

    @Test
    void daemonReturnsOnceTheDriveWorksAndUnmountEndsIt() throws Exception {
        Path mp = Files.createDirectories(work.resolve("daemon"));
        Shell.Result r = ftpdrive(Map.of("FTPDRIVE_PASSWORD", server.password()), "mount", url(), mp.toString(),
                "--daemon", "--cache-dir", work.resolve("cache").toString());
        assertEquals(0, r.exit(), r.err());
        cleanup.add(() -> Shell.run(T, "fusermount", "-u", "-z", mp.toString()));
        // Working at the moment the command returned, not some time later.
        assertEquals("hello", Files.readString(mp.resolve("hello.txt")));
        Matcher pid = Pattern.compile("pid (\\d+)").matcher(r.err());
        assertTrue(pid.find(), r.err());
        ProcessHandle child = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
        assertFalse(child.info().commandLine().orElse("").contains(server.password()), "no password in ps");

        assertEquals(0, ftpdrive(Map.of(), "unmount", mp.toString()).exit());
        assertTrue(child.onExit().get(30, TimeUnit.SECONDS) != null, "the background process ends");
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Path mp = Files.createDirectories(work.resolve("bad"));
        Shell.Result wrongPassword = ftpdrive(Map.of("FTPDRIVE_PASSWORD", "wrong"), "mount", url(), mp.toString());
        assertEquals(4, wrongPassword.exit(), wrongPassword.err());
        assertEquals(1, wrongPassword.err().strip().lines().count(), wrongPassword.err());

        Shell.Result daemonWrongPassword = ftpdrive(Map.of("FTPDRIVE_PASSWORD", "wrong"), "mount", url(),
                mp.toString(), "--daemon", "--cache-dir", work.resolve("cache").toString());
        assertEquals(4, daemonWrongPassword.exit(), daemonWrongPassword.err());
        assertTrue(daemonWrongPassword.err().contains("login"), daemonWrongPassword.err());

        Files.writeString(mp.resolve("local-file"), "x");
        Shell.Result notEmpty = ftpdrive(Map.of("FTPDRIVE_PASSWORD", server.password()), "mount", url(),
                mp.toString());
        assertNotEquals(0, notEmpty.exit());
        assertTrue(notEmpty.err().contains("not empty"), notEmpty.err());

        Shell.Result missing = ftpdrive(Map.of("FTPDRIVE_PASSWORD", server.password()), "mount", url(),
                work.resolve("nowhere").toString());
        assertNotEquals(0, missing.exit());
        assertTrue(missing.err().contains("does not exist"), missing.err());

        Shell.Result notOurs = ftpdrive(Map.of(), "unmount", "/proc");
        assertNotEquals(0, notOurs.exit());
        assertTrue(notOurs.err().contains("not an ftpdrive mount"), notOurs.err());
    }

    @Test
    void aDataModeThatCannotWorkIsRefusedBeforeMountingWithTheDiagnosis() throws Exception {
        Path mp = Files.createDirectories(work.resolve("nodata"));
        try (EmbeddedFtpServer passiveRefused = EmbeddedFtpServer.builder(server.root()).user("u", "pw")
                .refuse("EPSV").refuse("PASV").start()) {
            String url = "ftp://u@127.0.0.1:" + passiveRefused.port() + "/";
            long start = System.nanoTime();
            Shell.Result r = ftpdrive(Map.of("FTPDRIVE_PASSWORD", "pw"), "mount", url, mp.toString(),
                    "--cache-dir", work.resolve("cache").toString());
            assertEquals(3, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains("--mode active"), r.err());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(45).toNanos(), "bounded");
            assertTrue(MountTable.find(mp).isEmpty(), "nothing mounted");

            Shell.Result auto = ftpdrive(Map.of("FTPDRIVE_PASSWORD", "pw"), "mount", url, mp.toString(), "--daemon",
                    "--mode", "auto", "--cache-dir", work.resolve("cache").toString());
            assertEquals(0, auto.exit(), auto.err());
            cleanup.add(() -> Shell.run(T, "fusermount", "-u", "-z", mp.toString()));
            assertEquals("hello", Files.readString(mp.resolve("hello.txt")), "auto mode works in active mode");
            assertEquals(0, ftpdrive(Map.of(), "unmount", mp.toString()).exit());
        }
    }

    @Test
    void aServerThatStopsDuringACopyMakesCpFail() throws Exception {
        Path mp = work.resolve("dies");
        mount(mp);
        Path big = work.resolve("big.bin");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 400; i++) {
                block[0] = (byte) i;
                out.write(block);
            }
        }
        Process cp = new ProcessBuilder("cp", big.toString(), mp.resolve("big.bin").toString())
                .redirectErrorStream(true).start();
        Path onServer = server.root().resolve("big.bin");
        long deadline = System.nanoTime() + T.toNanos();
        while (!(Files.exists(onServer) && Files.size(onServer) > (8 << 20))) {
            assertTrue(cp.isAlive(), "cp still running before the server stops");
            assertTrue(System.nanoTime() < deadline, "the upload started");
            Thread.sleep(5);
        }
        server.close();
        assertTrue(cp.waitFor(90, TimeUnit.SECONDS), "cp ended");
        String output = new String(cp.getInputStream().readAllBytes());
        assertNotEquals(0, cp.exitValue(), "cp must not report success: " + output);
        server = null;
    }
}
