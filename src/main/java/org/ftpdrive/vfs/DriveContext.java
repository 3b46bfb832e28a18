package org.ftpdrive.vfs;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.RemoteStore;

/** What every open file of one drive shares: the store, the staging folder, the fetcher threads. */
final class DriveContext implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DriveContext.class);
    private final RemoteStore store;
    private final StagingArea staging;
    private final Drive.Options options;
    private final ExecutorService fetchers;
    private final java.util.concurrent.atomic.AtomicBoolean chmodUnsupportedLogged =
            new java.util.concurrent.atomic.AtomicBoolean();

    DriveContext(RemoteStore store, StagingArea staging, Drive.Options options) {
        this.store = store;
        this.staging = staging;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.fetchers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ftpdrive-fetch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    RemoteStore store() {
        return store;
    }

    StagingArea staging() {
        return staging;
    }

    /**
     * The drive's one chmod policy (for {@link Drive#chmod} and for modes applied after an upload):
     * where the server has no SITE CHMOD, the change is accepted without effect.
     */
    void chmod(RemotePath path, int mode) throws java.io.IOException {
        try {
            store.chmod(path, mode & 07777);
        } catch (org.ftpdrive.remote.UnsupportedRemoteOperationException e) {
            if (chmodUnsupportedLogged.compareAndSet(false, true)) {
                log.info("the server cannot change permissions ({}); chmod is accepted without effect",
                        e.getMessage());
            }
        }
    }

    PrefetchReader newReader(java.util.function.Supplier<RemotePath> path) {
        return new PrefetchReader(store, path, fetchers, options.readAhead(), options.readBehind(),
                options.readTimeout(), options.idleRelease());
    }

    Duration readTimeout() {
        return options.readTimeout();
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
    }
}
