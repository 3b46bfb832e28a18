package org.ftpdrive.fuse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Unmounts with {@code fusermount -u} and waits, boundedly, until the kernel no longer lists the mount. */
public final class Unmounter {
    private static final Duration POLL = Duration.ofMillis(20);

    private Unmounter() {}

    /**
     * @param lazy detach now even if files are open (for shutdown); otherwise a busy mount fails
     *     with {@link MountException.Busy}
     */
    public static void unmount(Path mountPoint, boolean lazy, Duration timeout) throws IOException {
        Path mp = mountPoint.toAbsolutePath().normalize();
        Optional<MountTable.Mount> mount = MountTable.find(mp);
        if (mount.isEmpty()) {
            throw new MountException(mp + " is not mounted");
        }
        if (!mount.get().isFtpdrive()) {
            throw new MountException(mp + " is not an ftpdrive mount (it is " + mount.get().type() + ")");
        }
        List<String> cmd = new ArrayList<>(List.of("fusermount", "-u"));
        if (lazy) {
            cmd.add("-z");
        }
        cmd.add(mp.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        String output;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new MountException("fusermount did not finish within " + timeout.toSeconds() + " s");
            }
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while unmounting " + mp);
        }
        if (p.exitValue() != 0) {
            if (output.contains("busy")) {
                throw new MountException.Busy(mp + " is busy: a program still uses files or folders in it "
                        + "(close them, or find them with: fuser -vm " + mp + ")");
            }
            throw new MountException("could not unmount " + mp + ": " + lastLine(output));
        }
        awaitGone(mp, timeout);
    }

    static void awaitGone(Path mp, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (MountTable.find(mp).filter(MountTable.Mount::isFtpdrive).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new MountException(mp + " is still mounted " + timeout.toSeconds() + " s after unmounting");
            }
            sleep();
        }
    }

    static void sleep() throws InterruptedIOException {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.split("\n");
        return lines.length == 0 || output.isBlank() ? "fusermount failed" : lines[lines.length - 1];
    }
}
