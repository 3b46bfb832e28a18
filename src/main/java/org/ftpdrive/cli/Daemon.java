package org.ftpdrive.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.MountSettings;
import org.ftpdrive.ftp.DataModeProbe;
import org.ftpdrive.fuse.MountTable;

/**
 * {@code mount --daemon}: starts the same command again in a new session, in the background, and
 * returns once the kernel lists the mount (exit 0) or the background process has ended (its one-line
 * error and exit code). The password goes to the child in its environment, never on its command line.
 */
final class Daemon {
    private static final Duration POLL = Duration.ofMillis(50);

    private Daemon() {}

    static int start(List<String> originalArgs, ConnectionSettings cs, MountSettings ms, PrintWriter err)
            throws IOException, InterruptedException {
        Files.createDirectories(ms.cacheDir());
        Path logFile = ms.cacheDir().resolve("mount-" + ms.mountPoint().toString().replaceAll("[^A-Za-z0-9._-]", "_")
                + ".log");
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // so Ctrl-C in this terminal does not reach the drive
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(childArgs(originalArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        Map<String, String> env = pb.environment();
        if (!cs.credentials().isAnonymous()) {
            env.put(CredentialSource.PASSWORD_ENV, cs.credentials().revealPassword());
        }
        Process child = pb.start();
        long deadline = System.nanoTime() + patience(cs).toNanos();
        while (true) {
            if (!child.isAlive()) {
                err.println("ftpdrive: " + lastError(logFile));
                err.flush();
                return child.exitValue() == 0 ? ExitCodes.FAILURE : child.exitValue();
            }
            if (MountTable.find(ms.mountPoint()).filter(MountTable.Mount::isFtpdrive).isPresent()) {
                err.println("ftpdrive: mounted " + ms.volumeName() + " at " + ms.mountPoint() + " in the background "
                        + "(pid " + child.pid() + ", log " + logFile + "); unmount with: ftpdrive unmount "
                        + ms.mountPoint());
                err.flush();
                return ExitCodes.OK;
            }
            if (System.nanoTime() > deadline) {
                child.destroy();
                err.println("ftpdrive: the drive did not mount in time; see " + logFile);
                err.flush();
                return ExitCodes.FAILURE;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * How long the child may take to mount: login, the first listing in both modes of auto mode
     * and, when neither works, the diagnosis, each bounded by its timeouts.
     */
    static Duration patience(ConnectionSettings cs) {
        return cs.connectTimeout().plus(cs.dataConnectTimeout().plusSeconds(1).multipliedBy(2))
                .plus(DataModeProbe.upperBound(cs)).plusSeconds(45);
    }

    /** The arguments without --daemon, and without a password in the URL (it goes in the environment). */
    static List<String> childArgs(List<String> original) {
        List<String> args = new ArrayList<>();
        boolean first = true;
        for (String a : original) {
            if (a.equals("--daemon")) {
                continue;
            }
            args.add(a.contains("://") ? withoutPassword(a) : a);
            first = false;
        }
        if (first) {
            throw new IllegalStateException("no arguments");
        }
        return args;
    }

    /**
     * The URL without its password. The user information ends at the last '@' of the authority,
     * which ends at the first '/' after "//" (an '@' in the path is not part of it).
     */
    static String withoutPassword(String url) {
        int sep = url.indexOf("://");
        if (sep < 0) {
            return url;
        }
        int authorityStart = sep + 3;
        int authorityEnd = url.indexOf('/', authorityStart);
        if (authorityEnd < 0) {
            authorityEnd = url.length();
        }
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return url;
        }
        int colon = url.indexOf(':', authorityStart);
        if (colon < 0 || colon > at) {
            return url;
        }
        return url.substring(0, colon) + url.substring(at);
    }

    private static String lastError(Path logFile) throws IOException {
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.startsWith("ftpdrive: ")) {
                return line.substring("ftpdrive: ".length());
            }
        }
        return "the background mount ended; see " + logFile;
    }
}
