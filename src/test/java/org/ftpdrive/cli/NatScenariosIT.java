package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ftpdrive.fuse.MountTable;
import org.ftpdrive.testing.MountProcess;
import org.ftpdrive.testing.NetworkNamespace;
import org.ftpdrive.testing.Shell;
import org.ftpdrive.testing.TestRequirements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Firewall and NAT scenarios, built for real: each test gets its own network namespace (only its
 * loopback, so nothing leaves it) holding a vsftpd and the client under test (the packaged jar),
 * with nftables rules in that namespace dropping the packets a firewall or NAT would drop.
 * Everything runs with {@code --data-connect-timeout 2}, so every scenario is bounded.
 *
 * <p>{@code ip netns exec} gives the client its own mount namespace, so most scenarios use {@code
 * ls}, {@code doctor} and {@code mount}'s refusal (which happens before mounting); the live mount
 * enters the namespace's network only.
 */
class NatScenariosIT {
    /** The namespace is private, so fixed ports cannot collide; all below its ephemeral range. */
    private static final int CONTROL_PORT = 2121;
    private static final String PASV_RANGE = "30000-30009";
    private static final String ACTIVE_ALLOWED = "31000-31009";
    private static final String ACTIVE_BLOCKED = "31500-31509";
    private static final String UNREACHABLE_PASV_ADDRESS = "127.0.0.9";
    private static final String FILE = "hello-nat.txt";
    /** A log line on stderr (HH:mm:ss.SSS [thread] LEVEL logger - message), as opposed to the error line. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[[^]]*\\] [A-Z]+ ");

    /** Loose upper bound for any one client run (data timeout 2 s, JVM start, a few fallbacks). */
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Duration CLIENT_KILL = Duration.ofSeconds(90);
    private static final Duration SERVER_START = Duration.ofSeconds(180);
    private static final Duration SERVER_STOP = Duration.ofSeconds(30);

    private Path dir;
    private NetworkNamespace ns;
    private Path serverState;
    private Path serverRoot;
    private Path liveMount;
    private String password;
    private String url;

    record Result(List<String> command, int exit, String out, String err, Duration elapsed) {
        String all() {
            return "$ " + String.join(" ", command) + "\nexit " + exit + " after " + elapsed.toMillis() + " ms\n"
                    + "--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("ftpdrive-nat-");
        // vsftpd enters its root as the FTP user: the path must be traversable by others.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ns = NetworkNamespace.create();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (liveMount != null && MountTable.find(liveMount).isPresent()) {
            // Only when the test failed before unmounting: the namespace's deletion kills the mount process.
            Shell.run(Duration.ofSeconds(10), "fusermount", "-u", "-z", liveMount.toString());
        }
        try {
            if (serverState != null && ns != null) {
                Shell.Result stop = ns.exec(SERVER_STOP, "bash", script().toString(), "vsftpd", "stop",
                        serverState.toString());
                if (stop.exit() != 0) {
                    System.err.println("NatScenariosIT: ftp-server stop failed: " + stop.err());
                }
            }
        } finally {
            try {
                if (ns != null) {
                    ns.close();
                }
            } finally {
                deleteTree(dir);
            }
        }
    }

    // ------------------------------------------------------------------------------ scenarios ---

    /** Scenario 1: the server's firewall drops connections to its passive port range. */
    @Test
    void serverFirewallDropsPassivePorts() throws Exception {
        startServer();
        ns.firewall(dir, "tcp dport " + PASV_RANGE + " drop");

        Result passive = client("ls", "--mode", "passive", url);
        assertCleanFailure(passive);
        assertTrue(passive.err().contains("timed out after 2 s"), passive.all());
        assertWithinDataTimeout(passive);

        Result auto = client("ls", "-v", "--mode", "auto", url);
        assertListed(auto);
        assertWithinDataTimeout(auto);
        assertTrue(auto.err().contains("switching to active mode"), "auto mode logs the switch:\n" + auto.all());
        assertTrue(auto.err().contains("using active mode (passive data connections failed"), auto.all());

        Result doctor = client("doctor", url);
        assertEquals(0, doctor.exit(), doctor.all());
        assertBounded(doctor);
        assertTrue(line(doctor, "EPSV").contains("timed out"), doctor.all());
        assertTrue(line(doctor, "PASV").contains("timed out"), doctor.all());
        assertTrue(line(doctor, "EPRT").contains(" ok "), doctor.all());
        assertTrue(doctor.out().contains("Recommendation: --mode active"), doctor.all());
        assertTrue(doctor.out().contains("passive ports are not reachable"), doctor.all());
    }

    /** Scenario 2: the client's firewall (or NAT) drops incoming connections: active mode cannot work. */
    @Test
    void clientFirewallDropsIncomingConnections() throws Exception {
        startServer();
        ns.firewall(dir, "ct state new tcp dport != { " + CONTROL_PORT + ", " + PASV_RANGE + " } drop");

        Result active = client("ls", "--mode", "active", url);
        assertCleanFailure(active);
        assertTrue(active.err().contains("the server did not connect back within 2 s"), active.all());
        assertWithinDataTimeout(active);

        Result auto = client("ls", "-v", "--mode", "auto", url);
        assertListed(auto);
        assertFalse(auto.err().contains("switching"), "passive works, auto must not switch:\n" + auto.all());
        assertTrue(auto.err().contains("using passive mode (passive data connections work)"), auto.all());

        Result doctor = client("doctor", url);
        assertEquals(0, doctor.exit(), doctor.all());
        assertBounded(doctor);
        assertTrue(line(doctor, "EPSV").contains(" ok "), doctor.all());
        assertFalse(line(doctor, "EPRT").contains(" ok "), doctor.all());
        assertFalse(line(doctor, "PORT").contains(" ok "), doctor.all());
        assertTrue(doctor.out().contains("Recommendation: --mode passive"), doctor.all());
        assertTrue(doctor.out().contains("active mode cannot work from here"), doctor.all());
    }

    /** Scenario 3: the server names an unreachable address in its PASV replies (a NAT'd server). */
    @Test
    void serverAdvertisesUnreachablePasvAddress() throws Exception {
        startServer("--pasv-address", UNREACHABLE_PASV_ADDRESS);
        // Like a private address behind the server's NAT: packets to it go nowhere.
        ns.firewall(dir, "ip daddr " + UNREACHABLE_PASV_ADDRESS + " drop");

        Result workaround = client("ls", "--no-epsv", url);
        assertListed(workaround);

        Result trusting = client("ls", "--no-epsv", "--trust-pasv-address", url);
        assertCleanFailure(trusting);
        assertTrue(trusting.err().contains(UNREACHABLE_PASV_ADDRESS), trusting.all());

        Result doctor = client("doctor", url);
        assertEquals(0, doctor.exit(), doctor.all());
        assertBounded(doctor);
        assertTrue(line(doctor, "PASV").contains(" ok ")
                && line(doctor, "PASV").contains("replied with address " + UNREACHABLE_PASV_ADDRESS), doctor.all());
        assertTrue(doctor.out().contains("Recommendation: --mode passive"), doctor.all());
        assertTrue(doctor.out().contains("--trust-pasv-address would break"), doctor.all());

        Result doctorTrusting = client("doctor", "--trust-pasv-address", url);
        assertEquals(0, doctorTrusting.exit(), "EPSV still works:\n" + doctorTrusting.all());
        assertBounded(doctorTrusting);
        assertFalse(line(doctorTrusting, "PASV").contains(" ok "), doctorTrusting.all());
        assertTrue(line(doctorTrusting, "PASV").contains("connected to it as told"), doctorTrusting.all());
        assertTrue(doctorTrusting.out().contains("drop --trust-pasv-address"), doctorTrusting.all());
    }

    /** Scenario 4: the client's firewall lets in only its active port range. */
    @Test
    void activePortRangeThroughClientFirewall() throws Exception {
        startServer();
        ns.firewall(dir, "ct state new tcp dport != { " + CONTROL_PORT + ", " + PASV_RANGE + ", " + ACTIVE_ALLOWED
                + " } drop");

        Result inside = client("ls", "--mode", "active", "--active-port-range", ACTIVE_ALLOWED, url);
        assertListed(inside);

        Result outside = client("ls", "--mode", "active", "--active-port-range", ACTIVE_BLOCKED, url);
        assertCleanFailure(outside);
        assertTrue(outside.err().contains("the server did not connect back within 2 s"), outside.all());
    }

    /** Scenario 5: neither passive nor active works: mount refuses, with the diagnosis, before mounting. */
    @Test
    void mountRefusesWhenNoDataModeWorks() throws Exception {
        startServer();
        ns.firewall(dir, "tcp dport " + PASV_RANGE + " drop",
                "ct state new tcp dport != " + CONTROL_PORT + " drop");
        Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
        // A subdirectory: without MLST the check of the mounted directory itself needs a listing.
        Files.createDirectories(serverRoot.resolve("pub"));

        // In the background, as from fstab or a unit: the daemon must wait for the diagnosis and relay it.
        Result mount = client("mount", "--daemon", "--mode", "auto", url + "pub/", mountPoint.toString());
        assertCleanFailureUnbounded(mount);
        assertTrue(mount.err().contains("no data connection works from here"), "the diagnosis:\n" + mount.all());
        assertTrue(mount.err().contains("open its passive port range"), "names what to change:\n" + mount.all());
        assertTrue(mount.err().contains("(details: ftpdrive doctor " + url + "pub)"), mount.all());
        try (Stream<Path> entries = Files.list(mountPoint)) {
            assertEquals(0, entries.count(), "nothing appeared in the mount point");
        }

        Result auto = client("ls", "--mode", "auto", url);
        assertCleanFailureUnbounded(auto);

        Result doctor = client("doctor", url);
        assertEquals(ExitCodes.CONNECTION, doctor.exit(), doctor.all());
        assertTrue(doctor.out().contains("no data connection works from here"), doctor.all());

        // Last, so that a slow run still shows whether everything else is right.
        assertBounded(mount);
        assertBounded(auto);
        assertBounded(doctor);
    }

    /**
     * Auto mode learning on a live FUSE mount: the firewall changes under it, and each time the
     * file operation that meets the new rules still succeeds, in the other mode, and the log says
     * why. The mount process runs in the namespace's network only, so the mount is the test's.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void autoModeFollowsFirewallChangesOnALiveMount() throws Exception {
        MountProcess.requireFuse();
        startServer();
        Path root = serverRoot;
        for (String name : List.of("one.txt", "two.txt", "three.txt")) {
            Files.writeString(root.resolve(name), "content of " + name + "\n");
        }
        Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
        liveMount = mountPoint;
        try (MountProcess mount = MountProcess.start(ns.networkOnlyPrefix(), url, password, mountPoint, dir,
                "--mode", "auto", "--data-connect-timeout", "2")) {
            assertEquals("content of one.txt\n", Files.readString(mountPoint.resolve("one.txt")), mount.log());

            // The server's firewall now drops its passive ports: the next read switches to active.
            ns.firewall(dir, "tcp dport " + PASV_RANGE + " drop");
            long start = System.nanoTime();
            assertEquals("content of two.txt\n", Files.readString(mountPoint.resolve("two.txt")), mount.log());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(BOUND) < 0, mount.log());
            Files.writeString(mountPoint.resolve("written-in-active.txt"), "up\n");
            assertEquals("up\n", Files.readString(root.resolve("written-in-active.txt")), "on the server");
            assertTrue(mount.log().contains("switching to active mode"), mount.log());
            assertTrue(mount.log().contains("using active mode (passive data connections failed"), mount.log());

            // Now the client side drops incoming connections and the passive ports are open again.
            ns.firewall(dir, "ct state new tcp dport != { " + CONTROL_PORT + ", " + PASV_RANGE + " } drop");
            assertEquals("content of three.txt\n", Files.readString(mountPoint.resolve("three.txt")), mount.log());
            assertTrue(mount.log().contains("switching to passive mode"), mount.log());
            assertTrue(mount.log().contains("using passive mode (active data connections failed"), mount.log());
            assertTrue(mount.log().contains("(passive mode)"), "mounted in passive mode:\n" + mount.log());
            System.out.println("NatScenariosIT: the live mount's log:\n" + mount.log());
        }
        assertTrue(MountTable.find(mountPoint).isEmpty(), "unmounted");
    }

    // -------------------------------------------------------------------------------- helpers ---

    /** Starts vsftpd inside the namespace on its loopback, with a file in its root. */
    private void startServer(String... extra) throws Exception {
        Path state = dir.resolve("vsftpd");
        List<String> command = new ArrayList<>(List.of("bash", script().toString(), "vsftpd", "start",
                state.toString(), "--port", Integer.toString(CONTROL_PORT), "--pasv-ports", PASV_RANGE));
        command.addAll(List.of(extra));
        serverState = state; // from here on, tearDown stops it (stop is a no-op when it never ran)
        Shell.Result start = ns.exec(SERVER_START, Map.of(), command);
        TestRequirements.require(start.exit() != 3, "vsftpd cannot run here: " + start.err().strip());
        start.requireSuccess();
        Map<String, String> info = new HashMap<>();
        for (String line : start.out().split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                info.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        assertEquals(Integer.toString(CONTROL_PORT), info.get("port"), start.out());
        password = Files.readString(Paths.get(info.get("password_file"))).strip();
        Path root = Paths.get(info.get("root"));
        serverRoot = root;
        Files.writeString(root.resolve(FILE), "through the firewall\n");
        url = "ftp://" + info.get("user") + "@127.0.0.1:" + CONTROL_PORT + "/";
    }

    /** Runs the packaged jar inside the namespace with a 2 s data connection timeout. */
    private Result client(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(MountProcess.javaCommand(), "-jar",
                Paths.get(MountProcess.jar()).toAbsolutePath().toString(), args[0], "--data-connect-timeout", "2"));
        command.addAll(List.of(args).subList(1, args.length));
        Map<String, String> env = Map.of("FTPDRIVE_PASSWORD", password, "HOME", dir.toString());
        long start = System.nanoTime();
        Shell.Result r = ns.exec(CLIENT_KILL, env, command);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Result result = new Result(r.command(), r.exit(), r.out(), r.err(), elapsed);
        System.out.printf("NatScenariosIT: %s %s -> exit %d in %d ms%n", args[0], String.join(" ",
                List.of(args).subList(1, args.length)), r.exit(), elapsed.toMillis());
        if (args[0].equals("doctor")) {
            System.out.println(result.out().indent(4));
        }
        assertFalse(result.all().contains(password), "the password never appears");
        return result;
    }

    /** The 2 s data connect timeout, plus JVM start, login and (in auto mode) the other mode's attempt. */
    private static void assertWithinDataTimeout(Result r) {
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(2 + 8)) < 0, "took " + r.elapsed().toMillis() + " ms:\n"
                + r.all());
    }

    private static void assertBounded(Result r) {
        assertTrue(r.elapsed().compareTo(BOUND) < 0, "took " + r.elapsed().toMillis() + " ms:\n" + r.all());
    }

    /** Exit 3 with one error line on stderr ("ftpdrive: ..."), no stack trace, within the bound. */
    private static void assertCleanFailure(Result r) {
        assertCleanFailureUnbounded(r);
        assertBounded(r);
    }

    /**
     * Exit 3, one error line ("ftpdrive: ...") on stderr and no stack trace. Log lines (auto mode
     * logs its switch as a warning even without -v) may come before it.
     */
    private static void assertCleanFailureUnbounded(Result r) {
        assertEquals(ExitCodes.CONNECTION, r.exit(), r.all());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank() && !LOG_LINE.matcher(l).find()).toList();
        assertEquals(1, lines.size(), "one error line on stderr:\n" + r.all());
        assertTrue(lines.get(0).startsWith("ftpdrive: "), r.all());
        assertFalse(r.all().contains("Exception") || r.all().contains("\tat "), "no stack trace:\n" + r.all());
    }

    private static void assertListed(Result r) {
        assertEquals(0, r.exit(), r.all());
        assertBounded(r);
        assertTrue(r.out().lines().anyMatch(l -> l.strip().equals(FILE) || l.endsWith(" " + FILE)), r.all());
    }

    private static String line(Result r, String command) {
        return r.out().lines().filter(l -> l.strip().startsWith(command + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + command + " line in\n" + r.all()));
    }

    private static Path script() {
        String project = System.getProperty("ftpdrive.projectDir");
        Path base = project == null || project.isBlank() ? Paths.get("") : Paths.get(project);
        return base.resolve("scripts/ftp-server").toAbsolutePath();
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
