package org.ftpdrive.fuse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.ftpdrive.config.MountSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts a {@link DriveFuse} and says so only once the mount is observed: listed by the kernel as
 * an ftpdrive mount and answering a stat through the mount point. jnr-fuse's own non-blocking mount
 * assumes success after two seconds; this does not.
 */
public final class FuseMounter {
    private static final Logger log = LoggerFactory.getLogger(FuseMounter.class);

    private FuseMounter() {}

    /** A live mount; {@link #awaitEnd()} returns when it is unmounted (by us or by fusermount -u). */
    public static final class Mounted {
        private final Path mountPoint;
        private final CountDownLatch ended;
        private final AtomicReference<Throwable> failure;

        private Mounted(Path mountPoint, CountDownLatch ended, AtomicReference<Throwable> failure) {
            this.mountPoint = mountPoint;
            this.ended = ended;
            this.failure = failure;
        }

        public Path mountPoint() {
            return mountPoint;
        }

        public void awaitEnd() throws InterruptedException {
            ended.await();
        }

        public boolean awaitEnd(Duration timeout) throws InterruptedException {
            return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Detaches the mount (lazily, so open files do not block shutdown) and waits for the loop to end. */
        public void unmount(Duration timeout) throws IOException {
            if (ended.getCount() == 0) {
                return;
            }
            try {
                Unmounter.unmount(mountPoint, true, timeout);
            } catch (MountException e) {
                if (MountTable.find(mountPoint).filter(MountTable.Mount::isFtpdrive).isPresent()) {
                    throw e;
                }
            }
            try {
                if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("the FUSE loop for {} did not end within {} s", mountPoint, timeout.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static Mounted mount(DriveFuse fs, MountSettings settings, Duration timeout) throws IOException {
        Path mp = settings.mountPoint().toAbsolutePath().normalize();
        checkMountPoint(mp, settings.fuseOptions());
        List<String> options = FuseOptions.linux(settings);
        log.debug("FUSE options: {}", options);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            try {
                fs.mount(mp, true, false, options.toArray(String[]::new));
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                ended.countDown();
            }
        }, "ftpdrive-fuse-loop");
        loop.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ended.getCount() == 0) {
                Throwable t = failure.get();
                throw new MountException("could not mount at " + mp + (t == null ? " (see the message above)"
                        : ": " + rootMessage(t)));
            }
            if (MountTable.find(mp).filter(MountTable.Mount::isFtpdrive).isPresent()) {
                try {
                    Files.readAttributes(mp, BasicFileAttributes.class); // answered by the drive itself
                } catch (IOException e) {
                    Unmounter.unmount(mp, true, timeout);
                    throw new MountException("the drive at " + mp + " was mounted but does not answer: "
                            + e.getMessage());
                }
                return new Mounted(mp, ended, failure);
            }
            if (System.nanoTime() > deadline) {
                throw new MountException("the mount at " + mp + " did not appear within " + timeout.toSeconds() + " s");
            }
            Unmounter.sleep();
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Says in one line what is wrong with the mount point, before libfuse says it less clearly. */
    public static void checkMountPoint(Path mp, List<String> fuseOptions) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(mp, BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MountException("mount point " + mp + " does not exist (create it with: mkdir -p " + mp + ")");
        } catch (FileSystemException e) {
            if (String.valueOf(e.getReason()).contains("not connected")) {
                throw new MountException(mp + " is a broken mount left by a process that ended; clear it with: "
                        + "ftpdrive unmount " + mp);
            }
            throw new MountException("cannot use " + mp + " as a mount point: " + e.getReason());
        }
        if (!attrs.isDirectory()) {
            throw new MountException("mount point " + mp + " is not a directory");
        }
        var existing = MountTable.find(mp);
        if (existing.isPresent()) {
            throw new MountException(mp + " is already a mount point"
                    + (existing.get().isFtpdrive() ? " of ftpdrive (" + existing.get().source() + ")" : ""));
        }
        boolean nonempty = fuseOptions.stream().anyMatch(o -> o.equals("nonempty"));
        if (!nonempty) {
            try (Stream<Path> children = Files.list(mp)) {
                if (children.findAny().isPresent()) {
                    throw new MountException("mount point " + mp + " is not empty (mount over its contents with "
                            + "-o nonempty)");
                }
            }
        }
        if (!Files.isWritable(mp) && !isRoot()) {
            throw new MountException("you may not mount on " + mp + " (it is not writable by you)");
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

}
