package org.ftpdrive.ftp;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds blocking socket writes, which Java does not time out: a server that stops reading while
 * keeping the data connection open would otherwise block an upload forever. The guarded resource
 * is closed when one write takes longer than the timeout, which makes the write fail.
 */
final class StallGuard {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ftpdrive-stall-guard");
        t.setDaemon(true);
        return t;
    });

    private final Duration timeout;
    private final Closeable resource;
    private volatile boolean fired;

    StallGuard(Duration timeout, Closeable resource) {
        this.timeout = timeout;
        this.resource = resource;
    }

    @FunctionalInterface
    interface Io {
        void run() throws IOException;
    }

    void run(Io io) throws IOException {
        ScheduledFuture<?> alarm = TIMER.schedule(this::fire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            io.run();
        } catch (IOException e) {
            if (fired) {
                throw new java.net.SocketTimeoutException("no progress for " + timeout.toSeconds() + " s");
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    private void fire() {
        fired = true;
        try {
            resource.close();
        } catch (IOException ignored) {
            // the blocked write fails either way
        }
    }
}
