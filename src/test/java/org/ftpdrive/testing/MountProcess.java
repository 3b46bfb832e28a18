package org.ftpdrive.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.fuse.MountTable;

/**
 * {@code ftpdrive mount} started from the packaged jar as a subprocess, as a user runs it. Ready
 * only once the kernel lists the mount; {@link #close()} unmounts and waits for the process, and
 * clears the mount point even when the process died.
 */
public final class MountProcess implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(30);

    private final Process process;
    private final Path mountPoint;
    private final Path log;

    private MountProcess(Process process, Path mountPoint, Path log) {
        this.process = process;
        this.mountPoint = mountPoint;
        this.log = log;
    }

    /** Whether this machine can mount FUSE file systems at all, and if not, why. */
    public static String fuseUnavailableReason() {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            return "/dev/fuse is missing";
        }
        if (!Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libfuse.so.2")) && !Files.exists(Path.of("/lib/x86_64-linux-gnu/libfuse.so.2"))
                && !Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libfuse.so.2"))) {
            return "libfuse 2 is not installed (apt-get install libfuse2)";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/fusermount")) && !Files.isExecutable(Path.of("/bin/fusermount"))) {
            return "fusermount is not installed (apt-get install fuse3)";
        }
        return null;
    }

    public static void requireFuse() {
        String reason = fuseUnavailableReason();
        TestRequirements.require(reason == null, "FUSE cannot be used here: " + reason);
    }

    public static MountProcess start(TestServer server, Path mountPoint, Path workDir, String... options)
            throws IOException, InterruptedException {
        String url = "ftp://" + server.user() + "@" + server.host() + ":" + server.port() + "/";
        return start(List.of(), url, server.password(), mountPoint, workDir, options);
    }

    /**
     * Mounts {@code url} with the jar run behind {@code prefix} (e.g. a command that enters a
     * network namespace and then runs the rest of its arguments).
     */
    public static MountProcess start(List<String> prefix, String url, String password, Path mountPoint, Path workDir,
            String... options) throws IOException, InterruptedException {
        requireFuse();
        Files.createDirectories(mountPoint);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(javaCommand(), "-jar", jar(), "mount", url, mountPoint.toString(),
                "--cache-dir", workDir.resolve("cache").toString()));
        command.addAll(List.of(options));
        Path log = Files.createTempFile(workDir, "mount-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FTPDRIVE_PASSWORD", password);
        Process p = pb.start();
        MountProcess mount = new MountProcess(p, mountPoint, log);
        long deadline = System.nanoTime() + READY.toNanos();
        while (!mount.mounted()) {
            if (!p.isAlive()) {
                throw new AssertionError("ftpdrive mount exited " + p.exitValue() + ": " + mount.log());
            }
            if (System.nanoTime() > deadline) {
                mount.close();
                throw new AssertionError("the mount did not appear within " + READY.toSeconds() + " s: " + mount.log());
            }
            Thread.sleep(20);
        }
        return mount;
    }

    /** The test JVM's own java, so a prefix command that resets PATH still finds it. */
    public static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static String jar() {
        return System.getProperty("ftpdrive.jar", "target/ftpdrive.jar");
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public Process process() {
        return process;
    }

    public boolean mounted() throws IOException {
        return MountTable.find(mountPoint).filter(MountTable.Mount::isFtpdrive).isPresent();
    }

    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Unmounts like a user (SIGTERM to the foreground process) and waits for it to end. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: finishes uploads, then unmounts
            if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (mounted()) {
            Shell.run(Duration.ofSeconds(10), "fusermount", "-u", "-z", mountPoint.toString());
        }
    }
}
