package org.ftpdrive.vfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local folder that holds staging copies of files written out of order. Each mount process has
 * its own folder {@code BASE/staging-PID}, private to the user, removed when the mount ends; folders
 * left by processes that no longer run are removed at start.
 */
public final class StagingArea implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StagingArea.class);
    private static final String PREFIX = "staging-";

    private final Path dir;

    private StagingArea(Path dir) {
        this.dir = dir;
    }

    /** The default base folder: {@code $XDG_CACHE_HOME/ftpdrive}, else {@code ~/.cache/ftpdrive}. */
    public static Path defaultBase() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("ftpdrive");
    }

    public static StagingArea create(Path base) throws IOException {
        Files.createDirectories(base);
        removeAbandoned(base);
        Path dir = base.resolve(PREFIX + ProcessHandle.current().pid());
        deleteTree(dir);
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new StagingArea(dir);
    }

    public Path dir() {
        return dir;
    }

    Path newFile() throws IOException {
        return Files.createTempFile(dir, "open-", ".part");
    }

    private static void removeAbandoned(Path base) throws IOException {
        try (Stream<Path> children = Files.list(base)) {
            children.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(p -> {
                String pid = p.getFileName().toString().substring(PREFIX.length());
                boolean alive;
                try {
                    alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                } catch (NumberFormatException e) {
                    return;
                }
                if (!alive) {
                    log.info("removing staging files left by an earlier mount: {}", p);
                    deleteTree(p);
                }
            });
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public void close() {
        deleteTree(dir);
    }
}
