package org.ftpdrive.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real FTP server on loopback run by {@code scripts/ftp-server SERVER ...} (SERVER being
 * "vsftpd" or "proftpd"), as a {@link TestServer}: what {@link VsftpdServer} and {@link
 * ProftpdServer} share.
 *
 * <p>The server runs as root with a dedicated local user; its FTP root ({@link #root()}) is a
 * chrooted, writable directory under the state directory. Files a test creates directly on disk
 * under {@link #root()} belong to the JVM's user (root): call {@link #chownToFtpUser(Path)} (or
 * {@link #handOver(Path)}) before the FTP user is to overwrite or delete them.
 *
 * <p>The project directory (where {@code scripts/ftp-server} lives) comes from the system property
 * {@code ftpdrive.projectDir}, else the working directory or one of its parents.
 */
public abstract class ScriptedFtpServer implements TestServer {

    /**
     * Options of a server started by scripts/ftp-server (the same for vsftpd and ProFTPD).
     *
     * @param maxPerIp connections allowed per client address; 0 means unlimited. Beyond it vsftpd
     *     answers 421 at connect, ProFTPD 530 at PASS
     * @param pasvAddress IPv4 address announced in PASV replies, or null for the server's own
     * @param protocolLog whether the server logs every command and reply; off for benchmarks
     */
    public record Options(int maxPerIp, String pasvAddress, boolean protocolLog) {
        public Options {
            if (maxPerIp < 0) {
                throw new IllegalArgumentException("maxPerIp must be >= 0 (0 = unlimited): " + maxPerIp);
            }
        }

        public static Options defaults() {
            return new Options(0, null, true);
        }

        public Options withMaxPerIp(int n) {
            return new Options(n, pasvAddress, protocolLog);
        }

        public Options withPasvAddress(String address) {
            return new Options(maxPerIp, address, protocolLog);
        }

        public Options withProtocolLog(boolean on) {
            return new Options(maxPerIp, pasvAddress, on);
        }

        List<String> arguments() {
            List<String> args = new ArrayList<>();
            if (maxPerIp > 0) {
                args.add("--max-per-ip");
                args.add(Integer.toString(maxPerIp));
            }
            if (pasvAddress != null) {
                args.add("--pasv-address");
                args.add(pasvAddress);
            }
            if (!protocolLog) {
                args.add("--no-log");
            }
            return args;
        }
    }


    /** Bound for {@code start}: normally well under a second, but may install or download the server. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Exit code of scripts/ftp-server when this machine cannot run the server at all. */
    private static final int EXIT_UNAVAILABLE = 3;

    /** The server cannot run on this machine (not root, not Linux, not installable). */
    public static final class UnavailableException extends IOException {
        private static final long serialVersionUID = 1L;

        public UnavailableException(String message) {
            super(message);
        }
    }

    /** What {@code scripts/ftp-server SERVER start} printed, and the password it wrote. */
    protected static final class Started {
        private final String kind;
        private final Path script;
        private final Path stateDir;
        private final Map<String, String> info;
        private final String password;

        private Started(String kind, Path script, Path stateDir, Map<String, String> info, String password) {
            this.kind = kind;
            this.script = script;
            this.stateDir = stateDir;
            this.info = info;
            this.password = password;
        }
    }

    private final String kind;
    private final Path script;
    private final Path stateDir;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path root;
    private final long pid;
    private final Path logFile;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    /** Takes over a started server; from here on it is stopped by {@link #close()} or at JVM exit. */
    protected ScriptedFtpServer(Started started) {
        Map<String, String> info = started.info;
        this.kind = started.kind;
        this.script = started.script;
        this.stateDir = started.stateDir;
        this.host = info.getOrDefault("host", "127.0.0.1");
        this.port = Integer.parseInt(info.get("port"));
        this.user = info.get("user");
        this.password = started.password;
        this.root = Paths.get(info.get("root"));
        this.pid = Long.parseLong(info.get("pid"));
        this.logFile = Paths.get(info.getOrDefault("log", stateDir.resolve(kind + ".log").toString()));
        this.shutdownHook = new Thread(this::stopQuietly, kind + "-stop-" + pid);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Runs {@code scripts/ftp-server KIND start STATE_DIR OPTIONS...} and reads what it printed.
     * Pass the result to the constructor at once: until then nothing stops the server.
     *
     * @throws UnavailableException when this machine cannot run the server (exit code 3)
     * @throws IOException when starting failed; the message holds the script's stderr
     */
    protected static Started launch(String kind, Path stateDir, List<String> options) throws IOException {
        Objects.requireNonNull(stateDir, "stateDir");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new UnavailableException(kind + " fixture needs Linux, this is " + os);
        }
        Path script = findScript();
        Path state = stateDir.toAbsolutePath().normalize();
        Files.createDirectories(state);
        makeTraversable(state);

        List<String> command = new ArrayList<>(List.of("bash", script.toString(), kind, "start", state.toString()));
        command.addAll(options);
        Result result = run(command, state, START_TIMEOUT);
        if (result.timedOut) {
            stopQuietly(kind, script, state);
            throw new IOException("scripts/ftp-server " + kind + " start did not finish within "
                    + START_TIMEOUT.toSeconds() + " s; stderr:\n" + result.stderr);
        }
        if (result.exitCode == EXIT_UNAVAILABLE) {
            throw new UnavailableException(firstLine(result.stderr));
        }
        if (result.exitCode != 0) {
            throw new IOException("scripts/ftp-server " + kind + " start failed (exit " + result.exitCode + "):\n"
                    + result.stderr);
        }
        Map<String, String> info = parse(result.stdout);
        for (String key : List.of("port", "user", "password_file", "root", "pid")) {
            if (!info.containsKey(key)) {
                stopQuietly(kind, script, state);
                throw new IOException("scripts/ftp-server " + kind + " start printed no '" + key + "=': stdout:\n"
                        + result.stdout + "\nstderr:\n" + result.stderr);
            }
        }
        String password;
        try {
            password = Files.readString(Paths.get(info.get("password_file")), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            stopQuietly(kind, script, state);
            throw e;
        }
        return new Started(kind, script, state, info, password);
    }

    /** "vsftpd" or "proftpd": the script's SERVER argument. */
    @Override
    public String name() {
        return kind;
    }

    /** The address to connect to (the server listens on loopback). */
    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    /** The FTP root on disk: "/" on the server is this directory. */
    @Override
    public Path root() {
        return root;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** pid of the server's listening process. */
    public long pid() {
        return pid;
    }

    /** The server's protocol log (every command and reply, unless turned off for benchmarks). */
    public Path logFile() {
        return logFile;
    }

    /** The on-disk path of a server path such as {@code "/dir/file"}. */
    public Path onDisk(String serverPath) {
        String relative = serverPath.replaceFirst("^/+", "");
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("outside the FTP root: " + serverPath);
        }
        return p;
    }

    /**
     * Number of live processes the listener forked for sessions. A server counts a connection
     * against its per-address limit until that process exits, which happens shortly
     * <em>after</em> the client closed it.
     */
    public int sessionProcessCount() {
        return ProcessHandle.of(pid).map(h -> (int) h.children().filter(ScriptedFtpServer::running).count()).orElse(0);
    }

    /** Alive and not a zombie (ProcessHandle.isAlive() is true for zombies). */
    private static boolean running(ProcessHandle h) {
        try {
            String stat = Files.readString(Paths.get("/proc/" + h.pid() + "/stat"), StandardCharsets.UTF_8);
            String afterName = stat.substring(stat.lastIndexOf(')') + 1).strip();
            return !afterName.startsWith("Z") && !afterName.startsWith("X");
        } catch (IOException | RuntimeException e) {
            return h.isAlive();
        }
    }

    /**
     * Waits until the server has no session processes left, so that a connection limit test
     * starts from zero. Returns false on timeout.
     */
    public boolean awaitNoSessions(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sessionProcessCount() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * Gives {@code path} (and, for a directory, everything below it) to the FTP user and its
     * group, without following symbolic links, so that the FTP user can overwrite, rename and
     * delete what a test created directly on disk. {@code path} must be under {@link #root()}.
     */
    public void chownToFtpUser(Path path) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException(p + " is not under the FTP root " + root);
        }
        UserPrincipal owner = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        // The script gives the root directory to the user's primary group.
        GroupPrincipal group = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group();
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                setOwner(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                setOwner(file);
                return FileVisitResult.CONTINUE;
            }

            private void setOwner(Path f) throws IOException {
                PosixFileAttributeView view =
                        Files.getFileAttributeView(f, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setOwner(owner);
                view.setGroup(group);
            }
        });
    }

    /** Same as {@link #chownToFtpUser(Path)}. */
    @Override
    public void handOver(Path created) throws IOException {
        chownToFtpUser(created);
    }

    /**
     * Kills every session process of the server with SIGKILL, as a crash would: clients see
     * their connections closed or reset, without a last reply. The server keeps accepting new
     * connections. Returns when the session processes are gone.
     */
    @Override
    public void killSessions() throws IOException {
        if (closed.get()) {
            throw new IllegalStateException("closed: " + this);
        }
        Result result = run(List.of("bash", script.toString(), kind, "kill-sessions", stateDir.toString()),
                stateDir, STOP_TIMEOUT);
        if (result.timedOut || result.exitCode != 0) {
            throw new IOException("scripts/ftp-server " + kind + " kill-sessions failed ("
                    + (result.timedOut ? "timed out" : "exit " + result.exitCode) + "):\n" + result.stderr);
        }
    }

    /** Stops the server and every session process. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; stopping twice is harmless
        }
        Result result;
        try {
            result = run(List.of("bash", script.toString(), kind, "stop", stateDir.toString()), stateDir, STOP_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run scripts/ftp-server " + kind + " stop", e);
        }
        if (result.timedOut || result.exitCode != 0) {
            throw new UncheckedIOException(new IOException("scripts/ftp-server " + kind + " stop failed ("
                    + (result.timedOut ? "timed out" : "exit " + result.exitCode) + "):\n" + result.stderr));
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[ftp://" + user + "@" + host + ":" + port + "/ root=" + root + ", pid="
                + pid + "]";
    }

    // ------------------------------------------------------------------------------------------

    private void stopQuietly() {
        if (closed.compareAndSet(false, true)) {
            stopQuietly(kind, script, stateDir);
        }
    }

    private static void stopQuietly(String kind, Path script, Path state) {
        try {
            run(List.of("bash", script.toString(), kind, "stop", state.toString()), state, STOP_TIMEOUT);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    private record Result(int exitCode, boolean timedOut, String stdout, String stderr) {}

    /** Runs a command with stdout and stderr in files (no pipe can fill up), bounded in time. */
    private static Result run(List<String> command, Path workDir, Duration timeout) throws IOException {
        Path out = Files.createTempFile("ftp-server-", ".out");
        Path err = Files.createTempFile("ftp-server-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(Files.isDirectory(workDir) ? workDir.toFile() : null)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UnavailableException("cannot run " + command.get(0) + ": " + e.getMessage());
            }
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IOException("interrupted while running " + command, e);
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Result(finished ? process.exitValue() : -1, !finished,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Map<String, String> parse(String stdout) {
        Map<String, String> info = new HashMap<>();
        for (String line : stdout.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                info.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return info;
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static Path findScript() throws IOException {
        String configured = System.getProperty("ftpdrive.projectDir");
        if (configured != null && !configured.isBlank()) {
            Path script = Paths.get(configured).toAbsolutePath().resolve("scripts/ftp-server");
            if (!Files.isRegularFile(script)) {
                throw new IOException("no scripts/ftp-server in ftpdrive.projectDir=" + configured);
            }
            return script;
        }
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path d = cwd; d != null; d = d.getParent()) {
            Path script = d.resolve("scripts/ftp-server");
            if (Files.isRegularFile(script) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return script;
            }
        }
        throw new IOException("cannot find scripts/ftp-server from " + cwd
                + " (set the system property ftpdrive.projectDir)");
    }

    /**
     * vsftpd enters the FTP root with the FTP user's rights before it chroots (and the script
     * checks the same for ProFTPD), so that user must be able to traverse every directory above
     * it. JUnit's {@code @TempDir} directories are mode 700: give "others" search permission (x
     * only, no listing) on the directories between java.io.tmpdir and the state directory.
     * Directories elsewhere are left alone (the script names the one that blocks).
     */
    private static void makeTraversable(Path state) throws IOException {
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        try {
            tmp = tmp.toRealPath();
            state = state.toRealPath();
        } catch (IOException e) {
            return;
        }
        if (!state.startsWith(tmp) || state.equals(tmp)) {
            return;
        }
        for (Path d = state; d != null && !d.equals(tmp); d = d.getParent()) {
            PosixFileAttributeView view =
                    Files.getFileAttributeView(d, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (view == null) {
                return;
            }
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                perms.add(PosixFilePermission.OTHERS_EXECUTE);
                try {
                    view.setPermissions(perms);
                } catch (IOException e) {
                    return; // not ours; let the script report it
                }
            }
        }
    }
}
